package discord_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// waitFor bounds every wait on the fake; reaching it fails the test.
const waitFor = 10 * time.Second

// apiPrefix is the path of the fake's REST base.
const apiPrefix = "/api/v10/"

// recorded is one REST request the fake received.
type recorded struct {
	Method, Path string
	Header       http.Header
	Body         []byte
	At           time.Time // when it arrived
}

// JSON returns the request's JSON body, or the payload_json part of a multipart body.
func (r recorded) JSON(t *testing.T, v any) {
	t.Helper()
	body := r.Body
	mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(bytes.NewReader(r.Body), params["boundary"])
		for {
			p, err := mr.NextPart()
			if err != nil {
				t.Fatalf("no payload_json in multipart body: %v", err)
			}
			if p.FormName() == "payload_json" {
				body, _ = io.ReadAll(p)
				break
			}
		}
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("%s %s: body %q: %v", r.Method, r.Path, body, err)
	}
}

// Files returns the file parts of a multipart body by file name.
func (r recorded) Files(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if !strings.HasPrefix(mt, "multipart/") {
		return out
	}
	mr := multipart.NewReader(bytes.NewReader(r.Body), params["boundary"])
	for {
		p, err := mr.NextPart()
		if err != nil {
			return out
		}
		if p.FileName() != "" {
			b, _ := io.ReadAll(p)
			out[p.FileName()] = string(b)
		}
	}
}

// fake is Discord at its HTTP and WebSocket boundary: REST on an httptest
// server and a gateway that says HELLO, takes IDENTIFY, says READY,
// acknowledges heartbeats and dispatches interactions.
type fake struct {
	srv *httptest.Server

	mu       sync.Mutex
	reqs     []recorded
	taken    []bool
	changed  chan struct{} // closed and replaced on each request
	tooMany  map[string]int
	failing  map[string][]int // path -> statuses to answer next, in order
	held     map[string]chan struct{}
	files    map[string][]byte
	conn     *websocket.Conn
	connMu   sync.Mutex // serialises writes to conn
	seq      int
	identify chan map[string]any
	ready    chan struct{}
	nonces   map[string]string // enforced nonce -> the message it created
	created  map[string]int    // channel -> messages created
	codes    map[string]int    // path -> JSON error code to answer (with 403) from now on
}

func newFake(t *testing.T) *fake {
	f := &fake{
		changed:  make(chan struct{}),
		tooMany:  map[string]int{},
		failing:  map[string][]int{},
		held:     map[string]chan struct{}{},
		files:    map[string][]byte{},
		nonces:   map[string]string{},
		created:  map[string]int{},
		codes:    map[string]int{},
		identify: make(chan map[string]any, 4),
		ready:    make(chan struct{}, 4),
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// Created counts the messages Discord created in a channel (a repeated
// enforced nonce creates none).
func (f *fake) Created(channel string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.created[channel]
}

// Refuse makes every later POST of a message to channel fail with Discord's
// JSON error code.
func (f *fake) Refuse(channel string, code int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.codes[apiPrefix+"channels/"+channel+"/messages"] = code
}

// APIURL is the base URL to give the adapter.
func (f *fake) APIURL() string { return f.srv.URL + apiPrefix }

// RateLimit makes the next n POSTs to path answer 429 first.
func (f *fake) RateLimit(path string, n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tooMany[path] = n
}

// Fail makes the next requests to path answer the given statuses, one each.
func (f *fake) Fail(path string, statuses ...int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failing[path] = statuses
}

// Hold makes requests to path wait until release is called: a slow channel.
func (f *fake) Hold(path string) (release func()) {
	ch := make(chan struct{})
	f.mu.Lock()
	f.held[path] = ch
	f.mu.Unlock()
	var once sync.Once
	return func() { once.Do(func() { close(ch) }) }
}

// File serves data at /files/name and returns its URL.
func (f *fake) File(name string, data []byte) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.files["/files/"+name] = data
	return f.srv.URL + "/files/" + name
}

func (f *fake) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/ws/" {
		f.gateway(w, r)
		return
	}
	body, _ := io.ReadAll(r.Body)
	rec := recorded{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: body, At: time.Now()}
	f.mu.Lock()
	f.reqs = append(f.reqs, rec)
	f.taken = append(f.taken, false)
	close(f.changed)
	f.changed = make(chan struct{})
	limited := f.tooMany[r.URL.Path]
	if limited > 0 {
		f.tooMany[r.URL.Path] = limited - 1
	}
	file, isFile := f.files[r.URL.Path]
	hold := f.held[r.URL.Path]
	fail := 0
	if st := f.failing[r.URL.Path]; len(st) > 0 {
		fail, f.failing[r.URL.Path] = st[0], st[1:]
	}
	f.mu.Unlock()
	if fail != 0 {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(fail)
		fmt.Fprintf(w, `{"message":"%d: failing on purpose","code":0}`, fail)
		return
	}
	if hold != nil {
		<-hold
	}

	if isFile {
		_, _ = w.Write(file)
		return
	}
	if !strings.HasPrefix(r.URL.Path, apiPrefix) {
		http.NotFound(w, r)
		return
	}
	if r.Header.Get("Authorization") != "Bot test-token" && !strings.Contains(r.URL.Path, "/interactions/") && !strings.Contains(r.URL.Path, "/webhooks/") {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"message":"401: Unauthorized","code":0}`))
		return
	}
	if limited > 0 {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-RateLimit-Limit", "5")
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset-After", "0.05")
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte(`{"message":"You are being rate limited.","retry_after":0.05,"global":false}`))
		return
	}
	p := strings.TrimPrefix(r.URL.Path, apiPrefix)
	w.Header().Set("Content-Type", "application/json")
	switch {
	case r.Method == http.MethodGet && (p == "gateway" || p == "gateway/bot"):
		fmt.Fprintf(w, `{"url":%q,"shards":1}`, "ws"+strings.TrimPrefix(f.srv.URL, "http")+"/ws")
	case r.Method == http.MethodGet && p == "oauth2/applications/@me":
		_, _ = w.Write([]byte(`{"id":"app-looked-up","name":"kith"}`))
	case r.Method == http.MethodPut && strings.HasSuffix(p, "/commands"):
		_, _ = w.Write(body)
	case r.Method == http.MethodPost && strings.HasPrefix(p, "interactions/"):
		w.WriteHeader(http.StatusNoContent)
	case strings.HasPrefix(p, "webhooks/"):
		_, _ = w.Write([]byte(`{"id":"m-webhook","channel_id":"c"}`))
	case r.Method == http.MethodPost && p == "users/@me/channels":
		var in struct {
			RecipientID string `json:"recipient_id"`
		}
		_ = json.Unmarshal(body, &in)
		fmt.Fprintf(w, `{"id":"dm-%s","type":1}`, in.RecipientID)
	case r.Method == http.MethodPost && strings.HasPrefix(p, "channels/") && strings.HasSuffix(p, "/messages"):
		if strings.Contains(p, "gone") {
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"message":"Unknown Channel","code":10003}`))
			return
		}
		ch := strings.TrimSuffix(strings.TrimPrefix(p, "channels/"), "/messages")
		f.mu.Lock()
		code := f.codes[r.URL.Path]
		f.mu.Unlock()
		if code != 0 {
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprintf(w, `{"message":"refused","code":%d}`, code)
			return
		}
		// enforce_nonce: a nonce seen before returns the message it made.
		var n struct {
			Nonce   string `json:"nonce"`
			Enforce bool   `json:"enforce_nonce"`
		}
		_ = json.Unmarshal(body, &n)
		f.mu.Lock()
		id, dup := f.nonces[n.Nonce]
		if !dup || !n.Enforce || n.Nonce == "" {
			f.created[ch]++
			id = fmt.Sprintf("m-%s-%d", ch, f.created[ch])
			if n.Enforce && n.Nonce != "" {
				f.nonces[n.Nonce] = id
			}
		}
		f.mu.Unlock()
		fmt.Fprintf(w, `{"id":%q,"channel_id":%q}`, id, ch)
	default:
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"message":"404: Not Found","code":0}`))
	}
}

// Await returns the first request not yet taken whose method matches and
// whose path (after the API prefix) starts with path.
func (f *fake) Await(t *testing.T, method, path string) recorded {
	t.Helper()
	deadline := time.After(waitFor)
	for {
		f.mu.Lock()
		for i, r := range f.reqs {
			if !f.taken[i] && r.Method == method && strings.HasPrefix(strings.TrimPrefix(r.Path, apiPrefix), path) {
				f.taken[i] = true
				f.mu.Unlock()
				return r
			}
		}
		ch := f.changed
		f.mu.Unlock()
		select {
		case <-ch:
		case <-deadline:
			t.Fatalf("no %s %s within %v; got %v", method, path, waitFor, f.Requests())
		}
	}
}

// Requests lists "METHOD path" of every request so far.
func (f *fake) Requests() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, r := range f.reqs {
		out = append(out, r.Method+" "+strings.TrimPrefix(r.Path, apiPrefix))
	}
	return out
}

// Count counts requests with that method and path prefix.
func (f *fake) Count(method, path string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, r := range f.reqs {
		if r.Method == method && strings.HasPrefix(strings.TrimPrefix(r.Path, apiPrefix), path) {
			n++
		}
	}
	return n
}

var upgrader = websocket.Upgrader{}

// gateway plays Discord's gateway for one connection.
func (f *fake) gateway(w http.ResponseWriter, r *http.Request) {
	c, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer c.Close()
	f.connMu.Lock()
	f.conn, f.seq = c, 0
	err = c.WriteJSON(map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": 45000}})
	f.connMu.Unlock()
	if err != nil {
		return
	}
	var ident struct {
		Op int            `json:"op"`
		D  map[string]any `json:"d"`
	}
	if err := c.ReadJSON(&ident); err != nil || ident.Op != 2 {
		return
	}
	f.identify <- ident.D
	if err := f.write("READY", map[string]any{
		"v": 10, "session_id": "session-1", "resume_gateway_url": "ws://unused",
		"user":        map[string]any{"id": "bot-1", "username": "kith", "bot": true},
		"guilds":      []any{},
		"application": map[string]any{"id": "app-1", "flags": 0},
	}); err != nil {
		return
	}
	f.ready <- struct{}{}
	for {
		var m struct {
			Op int `json:"op"`
		}
		if err := c.ReadJSON(&m); err != nil {
			return
		}
		if m.Op == 1 {
			f.connMu.Lock()
			_ = c.WriteJSON(map[string]any{"op": 11})
			f.connMu.Unlock()
		}
	}
}

// write sends a dispatch event on the current connection.
func (f *fake) write(event string, d any) error {
	f.connMu.Lock()
	defer f.connMu.Unlock()
	f.seq++
	return f.conn.WriteJSON(map[string]any{"op": 0, "t": event, "s": f.seq, "d": d})
}

// Dispatch delivers an interaction over the gateway.
func (f *fake) Dispatch(t *testing.T, i *discordgo.Interaction) {
	t.Helper()
	if err := f.write("INTERACTION_CREATE", i); err != nil {
		t.Fatalf("dispatch: %v", err)
	}
}

// AwaitReady waits for an IDENTIFY answered with READY and returns the IDENTIFY payload.
func (f *fake) AwaitReady(t *testing.T) map[string]any {
	t.Helper()
	var ident map[string]any
	select {
	case ident = <-f.identify:
	case <-time.After(waitFor):
		t.Fatalf("no IDENTIFY; requests %v", f.Requests())
	}
	select {
	case <-f.ready:
	case <-time.After(waitFor):
		t.Fatal("READY not sent")
	}
	return ident
}
