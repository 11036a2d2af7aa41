package discord

import (
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"
)

// maxBody caps an interaction request; Discord's are a few kilobytes.
const maxBody = 1 << 20

// maxSkew is how old (or how far ahead) a signed timestamp may be; older
// requests are refused so a captured request cannot be replayed later.
const maxSkew = 5 * time.Minute

// Register adds POST /discord/interactions to mux when a public key is configured.
func (a *Adapter) Register(mux *http.ServeMux) {
	if a.pub == nil {
		return
	}
	mux.HandleFunc("POST /discord/interactions", a.interactions)
}

// interactions receives one Ed25519-signed interaction over HTTP.
func (a *Adapter) interactions(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "could not read the request", http.StatusBadRequest)
		return
	}
	if !a.verify(r.Header, body) {
		http.Error(w, "invalid request signature", http.StatusUnauthorized)
		return
	}
	var i discordgo.Interaction
	if err := json.Unmarshal(body, &i); err != nil || i.Type == 0 || i.ID == "" {
		http.Error(w, "malformed interaction", http.StatusBadRequest)
		return
	}
	if i.Type == discordgo.InteractionPing {
		writeJSON(w, &discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong})
		return
	}
	// serve runs on after the first response (a deferred reply's follow-up),
	// so it gets its own goroutine and hands the first response back here.
	first := make(chan *discordgo.InteractionResponse, 1)
	done := make(chan struct{})
	started := a.goTracked(func() {
		defer close(done)
		a.serve(&i, func(resp *discordgo.InteractionResponse) error {
			first <- resp
			return nil
		}, false)
	})
	if !started {
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	select {
	case resp := <-first:
		writeJSON(w, resp)
	case <-done:
		select { // serve may have answered and finished at once
		case resp := <-first:
			writeJSON(w, resp)
		default:
			http.Error(w, "no response", http.StatusInternalServerError)
		}
	case <-r.Context().Done():
	}
}

// verify checks Discord's signature over timestamp+body and the timestamp's age.
func (a *Adapter) verify(h http.Header, body []byte) bool {
	sig, err := hex.DecodeString(h.Get("X-Signature-Ed25519"))
	if err != nil || len(sig) != ed25519.SignatureSize {
		return false
	}
	ts := h.Get("X-Signature-Timestamp")
	secs, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return false
	}
	msg := make([]byte, 0, len(ts)+len(body))
	msg = append(append(msg, ts...), body...)
	if !ed25519.Verify(a.pub, msg, sig) {
		return false
	}
	age := a.cfg.Now().Sub(time.Unix(secs, 0))
	return age <= maxSkew && age >= -maxSkew
}

func writeJSON(w http.ResponseWriter, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(b)
}
