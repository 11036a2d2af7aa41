package slack

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// MaxBody is the largest request body Slack routes accept (spec: 1 MiB).
const MaxBody = 1 << 20

// signatureWindow is how far a request's timestamp may be from now, so a
// captured request cannot be replayed later.
const signatureWindow = 5 * time.Minute

// errUnsigned says a request's signature is missing, wrong or stale.
var errUnsigned = errors.New("slack: bad request signature")

// readSigned reads a route's body and checks Slack's v0 signature against
// cfg.Now. It writes the error response itself and returns ok=false when the
// request must go no further. slack.NewSecretsVerifier is not used because it
// reads the wall clock, which the injected clock must replace.
func (a *Adapter) readSigned(w http.ResponseWriter, r *http.Request) (body []byte, ok bool) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "use POST", http.StatusMethodNotAllowed)
		return nil, false
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "body over 1 MiB", http.StatusRequestEntityTooLarge)
			return nil, false
		}
		http.Error(w, "unreadable body", http.StatusBadRequest)
		return nil, false
	}
	if err := verify(r.Header, body, a.cfg.SigningSecret, a.cfg.Now()); err != nil {
		a.log.Warn("slack: rejected request", "path", r.URL.Path, "err", err)
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return nil, false
	}
	return body, true
}

// verify checks X-Slack-Signature = v0=HMAC-SHA256(secret, "v0:<ts>:<body>")
// and that X-Slack-Request-Timestamp is within signatureWindow of now.
func verify(h http.Header, body []byte, secret string, now time.Time) error {
	sig, ts := h.Get("X-Slack-Signature"), h.Get("X-Slack-Request-Timestamp")
	if secret == "" || sig == "" || ts == "" {
		return errUnsigned
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return errUnsigned
	}
	if d := now.Sub(time.Unix(sec, 0)); d > signatureWindow || d < -signatureWindow {
		return errUnsigned
	}
	hexSig, found := strings.CutPrefix(sig, "v0=")
	got, err := hex.DecodeString(hexSig)
	if !found || err != nil {
		return errUnsigned
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + ts + ":"))
	mac.Write(body)
	if !hmac.Equal(mac.Sum(nil), got) {
		return errUnsigned
	}
	return nil
}

// Sign returns the headers Slack would send with body at time t; for tests
// and tools that drive the routes.
func Sign(secret string, t time.Time, body []byte) http.Header {
	ts := strconv.FormatInt(t.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + ts + ":"))
	mac.Write(body)
	h := http.Header{}
	h.Set("X-Slack-Request-Timestamp", ts)
	h.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	return h
}
