package slack

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"

	"github.com/kith-bot/kith/reminders"
)

// KeySize is the length of KITH_SECRET_KEY in bytes: AES-256.
const KeySize = 32

// sealVersion prefixes every sealed token, so a later change of the scheme
// can tell old tokens from new ones.
const sealVersion = 1

// Key is KITH_SECRET_KEY: it seals the workspaces' bot tokens at rest and
// signs the OAuth state.
type Key struct{ b [KeySize]byte }

// ParseKey reads KITH_SECRET_KEY: 32 bytes written as 64 hex digits or as
// base64 (standard or URL alphabet, padded or not).
func ParseKey(s string) (Key, error) {
	var k Key
	s = strings.TrimSpace(s)
	if s == "" {
		return k, reminders.Errorf(reminders.EINVALID, "KITH_SECRET_KEY is not set; set it to 32 random bytes in hex or base64, e.g. the output of `openssl rand -hex 32`.")
	}
	var b []byte
	if raw, err := hex.DecodeString(s); err == nil {
		b = raw
	} else {
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
			if raw, err := enc.DecodeString(s); err == nil {
				b = raw
				break
			}
		}
	}
	if len(b) != KeySize {
		return k, reminders.Errorf(reminders.EINVALID, "KITH_SECRET_KEY must be 32 bytes written as 64 hex digits or in base64; generate one with `openssl rand -hex 32`.")
	}
	copy(k.b[:], b)
	return k, nil
}

// aead is AES-256-GCM under the key.
func (k Key) aead() cipher.AEAD {
	block, err := aes.NewCipher(k.b[:])
	if err != nil {
		panic(err) // the key is always 32 bytes
	}
	g, err := cipher.NewGCM(block)
	if err != nil {
		panic(err)
	}
	return g
}

// seal encrypts a token with a fresh random nonce; team is bound as
// additional data, so a sealed token copied to another workspace's record
// does not open.
func (k Key) seal(plain []byte, team string) []byte {
	g := k.aead()
	out := make([]byte, 1+g.NonceSize(), 1+g.NonceSize()+len(plain)+g.Overhead())
	out[0] = sealVersion
	if _, err := rand.Read(out[1:]); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	return g.Seal(out, out[1:], plain, []byte(team))
}

// errSealedElsewhere says a token does not open: another key, or another team's record.
var errSealedElsewhere = errors.New("sealed with another key")

// open decrypts what seal made for the same team.
func (k Key) open(sealed []byte, team string) ([]byte, error) {
	g := k.aead()
	if len(sealed) < 1+g.NonceSize()+g.Overhead() || sealed[0] != sealVersion {
		return nil, errSealedElsewhere
	}
	plain, err := g.Open(nil, sealed[1:1+g.NonceSize()], sealed[1+g.NonceSize():], []byte(team))
	if err != nil {
		return nil, errSealedElsewhere
	}
	return plain, nil
}

// stateKey is the HMAC key of OAuth states, derived from the key so that
// the cipher key is used for nothing else.
func (k Key) stateKey() []byte {
	b, err := hkdf.Key(sha256.New, k.b[:], nil, "kith oauth state", 32)
	if err != nil {
		panic(err) // only for lengths past 255 hashes
	}
	return b
}
