package main

import (
	"bufio"
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/kith-bot/kith/transfer"
)

// Fake Slack credentials; obviously not real.
const (
	testBotToken = "xoxb-test-token"
	testSecret   = "test-signing-secret"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
	buildDir  string
)

// kithBinary builds cmd/kith once per test run and returns its path.
func kithBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "kith-bin-")
		if buildErr != nil {
			return
		}
		binPath = filepath.Join(buildDir, "kith")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// fakeSlackAPI answers the Web API calls kith makes with success, and
// records what is posted to response_url.
type fakeSlackAPI struct {
	srv *httptest.Server
	mu  sync.Mutex
	// responded maps a response_url id to the text posted there.
	responded map[string]string
}

func newFakeSlackAPI(t *testing.T) *fakeSlackAPI {
	f := &fakeSlackAPI{responded: map[string]string{}}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		switch {
		case strings.HasPrefix(r.URL.Path, "/respond/"):
			f.mu.Lock()
			f.responded[strings.TrimPrefix(r.URL.Path, "/respond/")] = string(body)
			f.mu.Unlock()
			io.WriteString(w, "ok")
		case r.URL.Path == "/api/auth.test":
			io.WriteString(w, `{"ok":true,"url":"https://t1.slack.test/","team":"Test","user":"kith","team_id":"T1","user_id":"UBOT","bot_id":"B1"}`)
		case r.URL.Path == "/api/users.info":
			io.WriteString(w, `{"ok":true,"user":{"id":"U1","name":"ada","tz":"Europe/Berlin","is_admin":true,"profile":{"display_name":"Ada","real_name":"Ada"}}}`)
		case r.URL.Path == "/api/conversations.open":
			io.WriteString(w, `{"ok":true,"channel":{"id":"D1"}}`)
		default:
			io.WriteString(w, `{"ok":true}`)
		}
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeSlackAPI) respondedTo(id string) (string, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, ok := f.responded[id]
	return s, ok
}

// process is a running kith binary.
type process struct {
	cmd    *exec.Cmd
	stderr *syncBuffer
	addr   string
	exited chan struct{}
	err    error
}

// ackedBeforeSignal is how many writes are acknowledged before the signal;
// the load goes on while kith stops, so some requests are in flight.
const ackedBeforeSignal = 100

var servingAddr = regexp.MustCompile(`msg="kith is serving".* http=(\S+)`)

// startKith starts `kith serve` and waits until /readyz answers 200.
func startKith(t *testing.T, env []string) *process {
	t.Helper()
	p := &process{stderr: &syncBuffer{}, exited: make(chan struct{})}
	p.cmd = exec.Command(kithBinary(t), "serve")
	p.cmd.Env = env
	p.cmd.Stderr = p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-p.exited:
		default:
			_ = p.cmd.Process.Kill()
			<-p.exited
		}
	})
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-p.exited:
			t.Fatalf("kith serve exited early: %v\n%s", p.err, p.stderr)
		default:
		}
		if p.addr == "" {
			if m := servingAddr.FindStringSubmatch(p.stderr.String()); m != nil {
				p.addr = m[1]
			}
		}
		if p.addr != "" {
			if resp, err := http.Get("http://" + p.addr + "/readyz"); err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					return p
				}
			}
		}
		time.Sleep(20 * time.Millisecond) // polling a child process; no clock to inject
	}
	t.Fatalf("kith serve did not become ready:\n%s", p.stderr)
	return nil
}

// signedCommand posts a signed slash command and reports whether kith
// acknowledged it (answered with the reply, or posted it to response_url
// by the time check is called).
func signedCommand(addr, text, id, responseURL string) (acked bool, err error) {
	reply, err := postCommand(addr, text, id, responseURL)
	return len(bytes.TrimSpace(reply)) > 0, err
}

// postCommand posts a signed slash command and returns kith's direct reply.
func postCommand(addr, text, id, responseURL string) ([]byte, error) {
	form := url.Values{
		"team_id": {"T1"}, "user_id": {"U1"}, "user_name": {"ada"}, "channel_id": {"D1"},
		"command": {"/kith"}, "text": {text}, "trigger_id": {id}, "response_url": {responseURL},
	}
	body := form.Encode()
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte(testSecret))
	fmt.Fprintf(mac, "v0:%s:%s", ts, body)
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/slack/commands", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	reply, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %s", resp.Status, reply)
	}
	return reply, nil
}

// load sends `add Person N` commands from a few workers until stop is
// closed or kith stops answering, and returns the names kith acknowledged.
func load(t *testing.T, p *process, slack *fakeSlackAPI, prefix string, stop <-chan struct{}, firstAcks chan<- struct{}) []string {
	var (
		mu    sync.Mutex
		acked []string
		late  []string // answered through response_url, checked at the end
		wg    sync.WaitGroup
		n     int
	)
	next := func() int {
		mu.Lock()
		defer mu.Unlock()
		n++
		return n
	}
	signalled := false
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				i := next()
				name := fmt.Sprintf("%s Person %d", prefix, i)
				id := fmt.Sprintf("%s-%d", prefix, i)
				ok, err := signedCommand(p.addr, "add "+name, id, slack.srv.URL+"/respond/"+id)
				if err != nil {
					return // kith is going away; unanswered requests are not acknowledged
				}
				mu.Lock()
				if ok {
					acked = append(acked, name)
				} else {
					late = append(late, id+"\x00"+name)
				}
				if len(acked) >= ackedBeforeSignal && !signalled && firstAcks != nil {
					signalled = true
					close(firstAcks)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	for _, l := range late {
		id, name, _ := strings.Cut(l, "\x00")
		if _, ok := slack.respondedTo(id); ok {
			acked = append(acked, name)
		}
	}
	return acked
}

// exportNames reads every contact name of the Slack owner through `kith export`.
func exportNames(t *testing.T, env []string) map[string]bool {
	t.Helper()
	cmd := exec.Command(kithBinary(t), "export", "--owner", "slack:T1:U1")
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("kith export: %v\n%s", err, stderr.String())
	}
	var doc transfer.Document
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatalf("export: %v\n%s", err, out)
	}
	names := map[string]bool{}
	for _, c := range doc.Contacts {
		names[c.Name] = true
	}
	return names
}

func TestProcessKeepsAcknowledgedWritesThroughSignals(t *testing.T) {
	slack := newFakeSlackAPI(t)
	dir := t.TempDir()
	env := []string{
		"KITH_DB=" + filepath.Join(dir, "kith.db"),
		"KITH_HTTP_ADDR=127.0.0.1:0",
		"KITH_LOG_LEVEL=info",
		"SLACK_BOT_TOKEN=" + testBotToken,
		"SLACK_SIGNING_SECRET=" + testSecret,
		"SLACK_API_URL=" + slack.srv.URL + "/api/",
		"HOME=" + dir,
		"PATH=" + os.Getenv("PATH"),
	}

	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGKILL} {
		t.Run(sig.String(), func(t *testing.T) {
			p := startKith(t, env)
			stop := make(chan struct{})
			first := make(chan struct{})
			var acked []string
			done := make(chan struct{})
			go func() {
				acked = load(t, p, slack, sig.String(), stop, first)
				close(done)
			}()
			select {
			case <-first:
			case <-time.After(20 * time.Second):
				t.Fatalf("no %d acknowledged commands:\n%s", ackedBeforeSignal, p.stderr)
			}
			sent := time.Now()
			if err := p.cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			select {
			case <-p.exited:
			case <-time.After(10 * time.Second):
				t.Fatalf("kith did not exit within 10s of %s:\n%s", sig, p.stderr)
			}
			close(stop)
			<-done
			if sig == syscall.SIGTERM {
				if p.err != nil {
					t.Fatalf("kith exited with %v after SIGTERM, want status 0:\n%s", p.err, p.stderr)
				}
				t.Logf("SIGTERM to exit: %s", time.Since(sent))
			}
			if strings.Contains(p.stderr.String(), testBotToken) || strings.Contains(p.stderr.String(), testSecret) {
				t.Errorf("a secret was logged:\n%s", p.stderr)
			}

			names := exportNames(t, env)
			lost := 0
			for _, n := range acked {
				if !names[n] {
					lost++
					t.Errorf("acknowledged %q is missing after %s", n, sig)
				}
			}
			t.Logf("%s: %d acknowledged, %d stored, %d lost", sig, len(acked), len(names), lost)
		})
	}
}

// TestProcessServesWithoutPlatform checks the documented choice that
// `kith serve` with no platform runs the scheduler and the HTTP routes, and
// that healthcheck talks to it.
func TestProcessServesWithoutPlatform(t *testing.T) {
	dir := t.TempDir()
	env := []string{"KITH_DB=" + filepath.Join(dir, "kith.db"), "KITH_HTTP_ADDR=127.0.0.1:0", "HOME=" + dir}
	p := startKith(t, env)
	if !strings.Contains(p.stderr.String(), "no chat platform is configured") {
		t.Errorf("no warning about the missing platform:\n%s", p.stderr)
	}

	hc := exec.Command(kithBinary(t), "healthcheck", "--url", "http://"+p.addr+"/healthz")
	if out, err := hc.CombinedOutput(); err != nil {
		t.Errorf("healthcheck: %v\n%s", err, out)
	}
	hc = exec.Command(kithBinary(t), "healthcheck")
	hc.Env = append(env[:0:0], "KITH_HTTP_ADDR="+p.addr)
	if out, err := hc.CombinedOutput(); err != nil {
		t.Errorf("healthcheck from KITH_HTTP_ADDR: %v\n%s", err, out)
	}

	// A second process fails within seconds (the default two-second wait).
	start := time.Now()
	ex := exec.Command(kithBinary(t), "export")
	ex.Env = env
	out, err := ex.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "database is in use by another kith process") {
		t.Errorf("export while serving: %v\n%s", err, out)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("export took %s to give up", d)
	}

	if err := p.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.exited:
		if p.err != nil {
			t.Errorf("exit after SIGINT: %v\n%s", p.err, p.stderr)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("kith did not exit within 10s of SIGINT")
	}
	hc = exec.Command(kithBinary(t), "healthcheck", "--url", "http://"+p.addr+"/healthz")
	if err := hc.Run(); err == nil {
		t.Error("healthcheck succeeded against a stopped kith")
	}
}

// TestProcessBareWithoutTerminal checks the error of bare kith with nothing
// configured, for standard input from a pipe and from /dev/null (what
// systemd and a container without -t give).
func TestProcessBareWithoutTerminal(t *testing.T) {
	bin := kithBinary(t)
	tests := []struct {
		name  string
		stdin func(t *testing.T) io.Reader
	}{
		{"pipe", func(*testing.T) io.Reader { return strings.NewReader("") }},
		{"dev null", func(t *testing.T) io.Reader {
			f, err := os.Open(os.DevNull)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { f.Close() })
			return f
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(bin)
			dir := t.TempDir()
			cmd.Env = []string{"HOME=" + dir, "KITH_DB=" + filepath.Join(dir, "kith.db")}
			cmd.Stdin = tt.stdin(t)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			ee, ok := err.(*exec.ExitError)
			if !ok || ee.ExitCode() != 2 {
				t.Fatalf("bare kith: %v, want exit status 2", err)
			}
			sc := bufio.NewScanner(&stderr)
			sc.Scan()
			if line := sc.Text(); !strings.Contains(line, "SLACK_BOT_TOKEN") || !strings.Contains(line, "DISCORD_BOT_TOKEN") || !strings.Contains(line, "kith console") {
				t.Errorf("bare kith said %q", line)
			}
		})
	}
}
