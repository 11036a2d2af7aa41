package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// fakeSlack is the Web API of one workspace as the delivery run needs it:
// auth.test, conversations.open, chat.postMessage allowing perSecond calls
// in each second of its own (0: no limit; 429 with Retry-After: 1 beyond),
// and conversations.history returning the channel's messages with their
// metadata, which kith reads to find a slot that went out before a crash.
type fakeSlack struct {
	perSecond int
	team      string

	mu        sync.Mutex
	begin     time.Time
	window    int64
	inWindow  int
	posts     map[string][]string // channel -> metadata of each message posted
	last      time.Time           // when the last message was accepted
	limited   int64
	histories int64
}

// start sets the beginning of the fake's first one-second window.
func (f *fakeSlack) start(t time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.begin = t
}

func (f *fakeSlack) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	switch r.URL.Path {
	case "/api/auth.test":
		writeJSON(w, map[string]any{"ok": true, "user_id": "UKITH", "team_id": f.team, "bot_id": "BKITH"})
	case "/api/conversations.open":
		writeJSON(w, map[string]any{"ok": true, "channel": map[string]any{"id": "D" + r.Form.Get("users")}})
	case "/api/chat.postMessage":
		f.post(w, r)
	case "/api/conversations.history":
		f.history(w, r)
	default:
		writeJSON(w, map[string]any{"ok": true})
	}
}

func (f *fakeSlack) post(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := time.Now()
	if f.perSecond > 0 {
		win := int64(now.Sub(f.begin) / time.Second)
		if win != f.window {
			f.window, f.inWindow = win, 0
		}
		if f.inWindow >= f.perSecond {
			f.limited++
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		f.inWindow++
	}
	ch := r.Form.Get("channel")
	f.posts[ch] = append(f.posts[ch], r.Form.Get("metadata"))
	f.last = now
	writeJSON(w, map[string]any{"ok": true, "channel": ch, "ts": fmt.Sprintf("%d.%06d", now.Unix(), len(f.posts[ch]))})
}

// history answers with every message of the channel, newest first; the
// channel of one owner with kith holds a message or two.
func (f *fakeSlack) history(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.histories++
	ch := r.Form.Get("channel")
	msgs := []map[string]any{}
	for i := len(f.posts[ch]) - 1; i >= 0; i-- {
		m := map[string]any{"type": "message", "ts": fmt.Sprintf("%d.%06d", f.begin.Unix(), i+1)}
		if meta := f.posts[ch][i]; meta != "" && r.Form.Get("include_all_metadata") != "" {
			var md map[string]any
			_ = json.Unmarshal([]byte(meta), &md)
			m["metadata"] = md
		}
		msgs = append(msgs, m)
	}
	writeJSON(w, map[string]any{"ok": true, "messages": msgs, "has_more": false})
}

// delivered returns how many channels got at least one message.
func (f *fakeSlack) delivered() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.posts)
}

// counts returns the channels that got a message and the messages beyond
// the first in each.
func (f *fakeSlack) counts() (delivered, duplicates int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, p := range f.posts {
		duplicates += len(p) - 1
	}
	return len(f.posts), duplicates
}

// stats returns the 429s given and the history lookups answered.
func (f *fakeSlack) stats() (limited, histories int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.limited, f.histories
}

// lastPost returns when the last message was accepted.
func (f *fakeSlack) lastPost() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.last
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
