package slack_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

const (
	botToken = "xoxb-test-token"
	appToken = "xapp-test-token"
	secret   = "test-signing-secret"
	teamID   = "T1"
	botUser  = "UBOT"
)

// call is one request the fake Slack received.
type call struct {
	Method string     // Web API method, or "upload", "respond", "download"
	Form   url.Values // form fields of form-encoded calls
	JSON   map[string]any
	Path   string
	Body   []byte
	Token  string    // the token the call carried
	At     time.Time // when it came, by the fake's clock (see pauseWorkspace)
}

// fakeSlack is Slack's Web API, response_url, file hosts and Socket Mode,
// served by httptest so the real slack-go client runs against it.
type fakeSlack struct {
	t   testing.TB
	srv *httptest.Server

	mu        sync.Mutex
	calls     []call
	changed   chan struct{}
	limits    map[string]int // method -> 429 answers still to give
	users     map[string]map[string]any
	files     map[string][]byte
	socketOut chan []byte          // frames to send to the Socket Mode client
	socketIn  chan json.RawMessage // frames the client sent (acks)
	pongs     int
	refuse    map[string]string         // channel -> Slack error for posts there
	tokens    map[string]string         // more accepted bot tokens -> their workspace
	codes     map[string]map[string]any // oauth.v2.access: code -> answer
	paused    map[string]time.Time      // bot token -> until when its posts answer 429, by now
	pausedM   map[string]time.Time      // Web API method -> until when it answers 429 for every token, by now
	now       func() time.Time          // the clock of paused and call.At; nil: calls are not stamped
}

func newFakeSlack(t testing.TB) *fakeSlack {
	f := &fakeSlack{
		t:         t,
		changed:   make(chan struct{}),
		limits:    map[string]int{},
		users:     map[string]map[string]any{},
		files:     map[string][]byte{},
		refuse:    map[string]string{},
		socketOut: make(chan []byte, 16),
		socketIn:  make(chan json.RawMessage, 16),
		tokens:    map[string]string{},
		codes:     map[string]map[string]any{},
		paused:    map[string]time.Time{},
		pausedM:   map[string]time.Time{},
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// apiURL is what the adapter gets as Config.APIURL.
func (f *fakeSlack) apiURL() string { return f.srv.URL + "/api/" }

// responseURL is a response_url the fake records posts to.
func (f *fakeSlack) responseURL(id string) string { return f.srv.URL + "/respond/" + id }

func (f *fakeSlack) addUser(id, name, tz string, admin bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.users[id] = map[string]any{"id": id, "name": strings.ToLower(name), "tz": tz, "is_admin": admin,
		"profile": map[string]any{"display_name": name, "real_name": name}}
}

// refusePosts makes every later post to channel fail with Slack's error.
func (f *fakeSlack) refusePosts(channel, slackErr string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.refuse[channel] = slackErr
}

// postsTo returns the chat.postMessage calls to one channel.
func (f *fakeSlack) postsTo(channel string) []call {
	var out []call
	for _, c := range f.callsOf("chat.postMessage") {
		if c.Form.Get("channel") == channel {
			out = append(out, c)
		}
	}
	return out
}

// rateLimit makes the next n calls of method answer 429.
func (f *fakeSlack) rateLimit(method string, n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.limits[method] = n
}

// pauseWorkspace makes every chat.postMessage with token answer 429 until
// the clock reaches until, with Retry-After the whole seconds left, as Slack
// does when a workspace has sent more than it allows; calls are stamped
// with that clock.
func (f *fakeSlack) pauseWorkspace(token string, until time.Time, clock func() time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.paused[token] = until
	f.now = clock
}

// pauseMethod makes every call of a Web API method answer 429 until the
// clock reaches until, as pauseWorkspace does for posts.
func (f *fakeSlack) pauseMethod(method string, until time.Time, clock func() time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pausedM[method] = until
	f.now = clock
}

// pausedFor returns how long posts with token, or calls of method, are
// still refused; 0 when not.
func (f *fakeSlack) pausedFor(token, method string) time.Duration {
	f.mu.Lock()
	until, now := f.pausedM[method], f.now
	if method == "chat.postMessage" && f.paused[token].After(until) {
		until = f.paused[token]
	}
	f.mu.Unlock()
	if until.IsZero() {
		return 0
	}
	return max(until.Sub(now()), 0)
}

func (f *fakeSlack) record(c call) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.now != nil {
		c.At = f.now()
	}
	f.calls = append(f.calls, c)
	close(f.changed)
	f.changed = make(chan struct{})
}

// callsOf returns the recorded calls of one method.
func (f *fakeSlack) callsOf(method string) []call {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []call
	for _, c := range f.calls {
		if c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// wait blocks until at least n calls of method were recorded and returns them.
// The deadline only guards against a hung test; nothing sleeps for a schedule.
func (f *fakeSlack) wait(method string, n int) []call {
	f.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		f.mu.Lock()
		ch := f.changed
		f.mu.Unlock()
		if cs := f.callsOf(method); len(cs) >= n {
			return cs
		}
		select {
		case <-ch:
		case <-deadline:
			f.t.Fatalf("waited for %d %s calls; got %d", n, method, len(f.callsOf(method)))
		}
	}
}

func (f *fakeSlack) serve(w http.ResponseWriter, r *http.Request) {
	switch {
	case strings.HasPrefix(r.URL.Path, "/api/"):
		f.serveAPI(w, r, strings.TrimPrefix(r.URL.Path, "/api/"))
	case strings.HasPrefix(r.URL.Path, "/respond/"):
		body, _ := io.ReadAll(r.Body)
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			f.t.Errorf("response_url post is not JSON: %s", body)
		}
		f.record(call{Method: "respond", Path: r.URL.Path, JSON: m, Body: body})
		_, _ = io.WriteString(w, "ok")
	case strings.HasPrefix(r.URL.Path, "/upload/"):
		if !f.accepts(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")) {
			http.Error(w, "no token", http.StatusForbidden)
			return
		}
		file, _, err := r.FormFile("file")
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		data, _ := io.ReadAll(file)
		f.record(call{Method: "upload", Path: r.URL.Path, Body: data, Token: strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")})
		_, _ = io.WriteString(w, "OK - 1")
	case strings.HasPrefix(r.URL.Path, "/files/"):
		if !f.accepts(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")) {
			http.Error(w, "no token", http.StatusForbidden)
			return
		}
		f.mu.Lock()
		data, ok := f.files[strings.TrimPrefix(r.URL.Path, "/files/")]
		f.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		f.record(call{Method: "download", Path: r.URL.Path, Token: strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")})
		w.Header().Set("Content-Type", "text/csv")
		_, _ = w.Write(data)
	case r.URL.Path == "/ws":
		f.serveSocket(w, r)
	default:
		f.t.Errorf("fake slack: unexpected request %s %s", r.Method, r.URL.Path)
		http.NotFound(w, r)
	}
}

func (f *fakeSlack) serveAPI(w http.ResponseWriter, r *http.Request, method string) {
	body, _ := io.ReadAll(r.Body)
	c := call{Method: method, Path: r.URL.Path, Body: body}
	token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		_ = json.Unmarshal(body, &c.JSON)
	} else {
		c.Form, _ = url.ParseQuery(string(body))
		if t := c.Form.Get("token"); t != "" {
			token = t
		}
	}
	c.Token = token
	ok := f.accepts(token)
	switch method {
	case "apps.connections.open":
		ok = token == appToken
	case "oauth.v2.access":
		ok = true // authenticated by the client id and secret in the form
	}
	if token == revokedToken {
		f.record(call{Method: method + "#revoked", Token: token})
		writeJSONT(w, map[string]any{"ok": false, "error": "token_revoked"})
		return
	}
	if !ok {
		f.t.Errorf("%s called with token %q", method, token)
		writeJSONT(w, map[string]any{"ok": false, "error": "invalid_auth"})
		return
	}
	f.mu.Lock()
	limited := f.limits[method] > 0
	if limited {
		f.limits[method]--
	}
	f.mu.Unlock()
	if limited {
		f.record(call{Method: method + "#429"})
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(http.StatusTooManyRequests)
		return
	}
	if left := f.pausedFor(token, method); left > 0 {
		f.record(call{Method: method + "#429", Token: token})
		w.Header().Set("Retry-After", strconv.Itoa(int((left+time.Second-1)/time.Second)))
		w.WriteHeader(http.StatusTooManyRequests)
		return
	}
	f.record(c)
	switch method {
	case "auth.test":
		writeJSONT(w, map[string]any{"ok": true, "user_id": botUser, "team_id": teamID, "user": "kith"})
	case "oauth.v2.access":
		f.mu.Lock()
		res, ok := f.codes[c.Form.Get("code")]
		f.mu.Unlock()
		if !ok || c.Form.Get("client_secret") != clientSecret || c.Form.Get("client_id") != clientID {
			writeJSONT(w, map[string]any{"ok": false, "error": "invalid_code"})
			return
		}
		writeJSONT(w, res)
	case "users.info":
		f.mu.Lock()
		u, ok := f.users[c.Form.Get("user")]
		f.mu.Unlock()
		if !ok {
			writeJSONT(w, map[string]any{"ok": false, "error": "user_not_found"})
			return
		}
		writeJSONT(w, map[string]any{"ok": true, "user": u})
	case "conversations.open":
		writeJSONT(w, map[string]any{"ok": true, "channel": map[string]any{"id": "D" + c.Form.Get("users")}})
	case "chat.postMessage", "chat.update":
		f.mu.Lock()
		refusal := f.refuse[c.Form.Get("channel")]
		f.mu.Unlock()
		if refusal != "" {
			writeJSONT(w, map[string]any{"ok": false, "error": refusal})
			return
		}
		writeJSONT(w, map[string]any{"ok": true, "channel": c.Form.Get("channel"), "ts": fmt.Sprintf("1700000000.%06d", len(f.callsOf(method)))})
	case "conversations.history":
		// The channel's messages, newest first, with their metadata when
		// asked for it (include_all_metadata). The fake's ts values are not
		// real times, so oldest is recorded for tests to check, not applied.
		var msgs []map[string]any
		posts := f.callsOf("chat.postMessage")
		for i := len(posts) - 1; i >= 0; i-- {
			p := posts[i]
			if p.Form.Get("channel") != c.Form.Get("channel") {
				continue
			}
			m := map[string]any{"type": "message", "text": p.Form.Get("text"), "ts": fmt.Sprintf("1700000000.%06d", i)}
			if meta := p.Form.Get("metadata"); meta != "" && c.Form.Get("include_all_metadata") == "1" {
				var md map[string]any
				_ = json.Unmarshal([]byte(meta), &md)
				m["metadata"] = md
			}
			msgs = append(msgs, m)
		}
		writeJSONT(w, map[string]any{"ok": true, "messages": msgs, "has_more": false})
	case "views.publish", "views.open":
		writeJSONT(w, map[string]any{"ok": true, "view": map[string]any{"id": "V1"}})
	case "files.getUploadURLExternal":
		id := fmt.Sprintf("F%d", len(f.callsOf(method)))
		writeJSONT(w, map[string]any{"ok": true, "upload_url": f.srv.URL + "/upload/" + id, "file_id": id})
	case "files.completeUploadExternal":
		var files []map[string]any
		_ = json.Unmarshal([]byte(c.Form.Get("files")), &files)
		writeJSONT(w, map[string]any{"ok": true, "files": files})
	case "files.info":
		id := c.Form.Get("file")
		f.mu.Lock()
		data := f.files[id]
		f.mu.Unlock()
		writeJSONT(w, map[string]any{"ok": true, "file": fileJSON(f, id, data)})
	case "apps.connections.open":
		writeJSONT(w, map[string]any{"ok": true, "url": "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/ws"})
	default:
		f.t.Errorf("fake slack: unexpected method %s", method)
		writeJSONT(w, map[string]any{"ok": false, "error": "unknown_method"})
	}
}

// accepts reports whether token is a bot token the fake knows.
func (f *fakeSlack) accepts(token string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	_, ok := f.tokens[token]
	return token == botToken || ok
}

// fileJSON is a file object as Slack describes one.
func fileJSON(f *fakeSlack, id string, data []byte) map[string]any {
	return map[string]any{"id": id, "name": "Connections.csv", "mimetype": "text/csv", "size": len(data),
		"url_private": f.srv.URL + "/files/" + id, "url_private_download": f.srv.URL + "/files/" + id}
}

var upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}

// serveSocket is Slack's Socket Mode end: it says hello, pings, forwards
// socketOut frames and reports what the client sends to socketIn.
func (f *fakeSlack) serveSocket(w http.ResponseWriter, r *http.Request) {
	conn, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer conn.Close()
	conn.SetPongHandler(func(string) error {
		f.mu.Lock()
		f.pongs++
		f.mu.Unlock()
		f.record(call{Method: "pong"})
		return nil
	})
	var wmu sync.Mutex
	write := func(mt int, b []byte) error {
		wmu.Lock()
		defer wmu.Unlock()
		if mt == websocket.PingMessage {
			return conn.WriteControl(mt, b, time.Now().Add(time.Second))
		}
		return conn.WriteMessage(mt, b)
	}
	if write(websocket.TextMessage, []byte(`{"type":"hello","num_connections":1,"connection_info":{"app_id":"A1"}}`)) != nil {
		return
	}
	done := make(chan struct{})
	defer close(done)
	go func() {
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				if write(websocket.PingMessage, []byte("ping")) != nil {
					return
				}
			case b := <-f.socketOut:
				if write(websocket.TextMessage, b) != nil {
					return
				}
			}
		}
	}()
	for {
		_, b, err := conn.ReadMessage()
		if err != nil {
			return
		}
		f.record(call{Method: "socket-ack", Body: b})
		f.socketIn <- b
	}
}

func writeJSONT(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
