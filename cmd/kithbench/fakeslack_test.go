package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"
)

// TestFakeSlackCounts: the delivery run's fake Slack counts a second
// message to one channel as a duplicate, refuses posts beyond its limit
// with a 429 and Retry-After, and shows a post's metadata in the channel's
// history, as kith's check before sending again needs.
func TestFakeSlackCounts(t *testing.T) {
	f := &fakeSlack{perSecond: 2, team: "T1", posts: map[string][]string{}}
	srv := httptest.NewServer(f)
	defer srv.Close()
	f.start(time.Now())
	meta := `{"event_type":"kith_digest","event_payload":{"slot":"2026-06-01T09:00:00Z"}}`
	post := func(ch string) int {
		resp, err := http.PostForm(srv.URL+"/api/chat.postMessage", url.Values{"channel": {ch}, "metadata": {meta}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	codes := []int{post("D1"), post("D1"), post("D2")}
	if codes[0] != 200 || codes[1] != 200 {
		t.Fatalf("posts within the limit answered %v", codes)
	}
	if codes[2] == http.StatusTooManyRequests { // the window turned meanwhile otherwise
		if limited, _ := f.stats(); limited != 1 {
			t.Errorf("%d 429s counted, want 1", limited)
		}
	}
	if delivered, dups := f.counts(); delivered < 1 || dups != 1 {
		t.Errorf("delivered %d, duplicates %d; want D1 counted once as a duplicate", delivered, dups)
	}
	resp, err := http.PostForm(srv.URL+"/api/conversations.history", url.Values{"channel": {"D1"}, "include_all_metadata": {"true"}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var h struct {
		Messages []struct {
			Metadata struct {
				EventType    string         `json:"event_type"`
				EventPayload map[string]any `json:"event_payload"`
			} `json:"metadata"`
		} `json:"messages"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&h); err != nil {
		t.Fatal(err)
	}
	if len(h.Messages) != 2 || h.Messages[0].Metadata.EventType != "kith_digest" || h.Messages[0].Metadata.EventPayload["slot"] != "2026-06-01T09:00:00Z" {
		t.Errorf("history = %+v, want both messages with their metadata", h.Messages)
	}
}
