package slack_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestFileSharedInDMIsImported(t *testing.T) {
	hs := newHarness(t)
	csv := "First Name,Last Name,Company\nJane,Doe,Acme\nBob,Roe,Initech\n"
	hs.fake.mu.Lock()
	hs.fake.files["F9"] = []byte(csv)
	hs.fake.mu.Unlock()
	file := fileJSON(hs.fake, "F9", []byte(csv))
	msg := eventBody("Ev20", map[string]any{"type": "message", "subtype": "file_share", "channel": "DU1", "channel_type": "im",
		"user": "U1", "text": "", "ts": "1700000000.000009", "files": []any{file}})
	if code, _ := hs.send("/slack/events", "application/json", msg, now, secret); code != http.StatusOK {
		t.Fatal(code)
	}
	post := hs.fake.wait("chat.postMessage", 1)[0]
	if post.Form.Get("channel") != "DU1" || post.Form.Get("text") != "Imported 2 contacts from Connections.csv." {
		t.Fatalf("reply %v", post.Form)
	}
	reqs := hs.h.requests()
	if len(reqs) != 1 || reqs[0].Text != "import" || reqs[0].File == nil || string(reqs[0].File.Data) != csv ||
		reqs[0].File.Name != "Connections.csv" || reqs[0].File.Type != "text/csv" || !strings.Contains(reqs[0].Key, "F9") {
		t.Fatalf("requests %+v", reqs)
	}
	// Slack also sends file_shared for the same file, and may redeliver the
	// message event: the file is imported once.
	shared := eventBody("Ev21", map[string]any{"type": "file_shared", "channel_id": "DU1", "file_id": "F9", "user_id": "U1", "file": map[string]any{"id": "F9"}})
	hs.send("/slack/events", "application/json", shared, now, secret)
	hs.send("/slack/events", "application/json", msg, now, secret)
	// Kith's own messages with files (an export) are not imported.
	own := eventBody("Ev22", map[string]any{"type": "message", "channel": "DU1", "channel_type": "im", "user": botUser, "bot_id": "B1", "files": []any{file}})
	hs.send("/slack/events", "application/json", own, now, secret)
	// A file shared in a channel is not for kith.
	channel := eventBody("Ev23", map[string]any{"type": "message", "channel": "C1", "channel_type": "channel", "user": "U1", "files": []any{fileJSON(hs.fake, "F10", nil)}})
	hs.send("/slack/events", "application/json", channel, now, secret)
	// A later file from the same user goes through.
	hs.fake.mu.Lock()
	hs.fake.files["F11"] = []byte("First Name,Last Name\nAl,Bo\n")
	hs.fake.mu.Unlock()
	later := eventBody("Ev24", map[string]any{"type": "file_shared", "channel_id": "DU1", "file_id": "F11", "user_id": "U1", "file": map[string]any{"id": "F11"}})
	hs.send("/slack/events", "application/json", later, now, secret)
	hs.fake.wait("chat.postMessage", 2)
	hs.shutdown() // every event handled
	if reqs := hs.h.requests(); len(reqs) != 2 {
		t.Fatalf("%d imports, want 2", len(reqs))
	}
}
