package slack_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	kslack "github.com/kith-bot/kith/bot/slack"
)

// TestBucketKey: a Web API call is paced in the bucket of its workspace's
// token and its method, whether slack-go sends the token in a header or in
// the form; the token itself never appears in the key; a call without a
// token is not paced.
func TestBucketKey(t *testing.T) {
	form := func(method, tok string) *http.Request {
		v := url.Values{"channel": {"D1"}, "blocks": {`[{"type":"section"}]`}, "token": {tok}}
		r, _ := http.NewRequest(http.MethodPost, "https://slack.com/api/"+method, strings.NewReader(v.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return r
	}
	header := func(method, tok string) *http.Request {
		r, _ := http.NewRequest(http.MethodPost, "https://slack.com/api/"+method, strings.NewReader("{}"))
		r.Header.Set("Authorization", "Bearer "+tok)
		return r
	}
	a := kslack.BucketKey(form("chat.postMessage", "xoxb-a+1"))
	if a == "" || strings.Contains(a, "xoxb") {
		t.Fatalf("key %q: want one that names the bucket without the token", a)
	}
	if b := kslack.BucketKey(header("chat.postMessage", "xoxb-a+1")); b != a {
		t.Errorf("the token in a header gave %q, in the form %q; want one bucket", b, a)
	}
	if b := kslack.BucketKey(form("conversations.open", "xoxb-a+1")); b == a {
		t.Error("two methods of one workspace share a bucket; Slack limits them apart")
	}
	if b := kslack.BucketKey(form("chat.postMessage", "xoxb-b")); b == a {
		t.Error("two workspaces share a bucket")
	}
	if b := kslack.BucketKey(form("chat.postMessage", "")); b != "" {
		t.Errorf("a call without a token is paced in %q", b)
	}
}
