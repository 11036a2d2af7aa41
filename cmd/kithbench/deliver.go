package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/kith-bot/kith/reminders"
	"github.com/kith-bot/kith/storage/bolt"
)

// deliverTeam is the one workspace of the delivery run, and its bot token.
const (
	deliverTeam  = "T1"
	deliverToken = "xoxb-kithbench"
)

// deliverOptions shape one delivery run.
type deliverOptions struct {
	bin       string
	owners    int
	perSecond int     // posts a second the fake Slack allows; 0 for no limit
	killAt    float64 // share of owners delivered at which kith is killed; 0: never
	settle    time.Duration
	timeout   time.Duration
	dir       string
}

// runDeliver times the delivery of one digest slot by the built kith serve
// to a fake Slack run here, and, with -kill-at, kills it with SIGKILL in the
// middle and starts it again on the same file; then it counts the messages
// each owner got: each must have exactly one.
func runDeliver(ctx context.Context, args []string) error {
	var o deliverOptions
	fs := flag.NewFlagSet("deliver", flag.ContinueOnError)
	fs.StringVar(&o.bin, "kith", "kith", "the kith binary")
	fs.IntVar(&o.owners, "owners", 10000, "owners, all due at one slot")
	fs.IntVar(&o.perSecond, "per-second", 200, "chat.postMessage calls a second the fake Slack allows; 0 for no limit")
	fs.Float64Var(&o.killAt, "kill-at", 0.5, "share of owners delivered when kith gets SIGKILL and is started again; 0 for no kill")
	fs.DurationVar(&o.settle, "settle", reminders.DefaultLease+15*time.Second,
		"after a kill, how long no message must come once all are delivered before counting: longer than a claim's lease")
	fs.DurationVar(&o.timeout, "timeout", 15*time.Minute, "give up after this long")
	fs.StringVar(&o.dir, "dir", "", "where the database and kith's logs go (a new temporary directory when empty)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.owners < 1 || o.perSecond < 0 || o.killAt < 0 || o.killAt >= 1 {
		return fmt.Errorf("deliver needs positive -owners, -per-second ≥ 0 and -kill-at in [0, 1)")
	}
	if o.dir != "" {
		if err := os.MkdirAll(o.dir, 0o700); err != nil {
			return err
		}
	} else {
		d, err := os.MkdirTemp("", "kithbench-deliver-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		o.dir = d
	}
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	r, err := deliver(ctx, o)
	if err != nil {
		return err
	}
	fmt.Println(r)
	if r.delivered != o.owners || r.duplicates != 0 {
		return errors.New("some owner got no digest or more than one")
	}
	return nil
}

// deliverResult is what one run counted.
type deliverResult struct {
	owners, delivered, duplicates int
	limited, rechecks             int64
	killed                        bool
	atKill                        int // owners delivered when kith was killed
	elapsed, restartToDone        time.Duration
	rate                          float64
}

func (r deliverResult) String() string {
	s := fmt.Sprintf("owners %d: delivered %d, duplicates %d, 429s %d, elapsed %s, %.1f digests/s",
		r.owners, r.delivered, r.duplicates, r.limited, r.elapsed.Round(10*time.Millisecond), r.rate)
	if r.killed {
		s += fmt.Sprintf("; SIGKILL at %d delivered, restarted, %s from restart to the last (%d history lookups for slots that may have gone out)",
			r.atKill, r.restartToDone.Round(10*time.Millisecond), r.rechecks)
	}
	return s
}

func deliver(ctx context.Context, o deliverOptions) (deliverResult, error) {
	db := filepath.Join(o.dir, "kith.db")
	// A slot a minute ago, so it is due the moment kith starts.
	slot := time.Now().UTC().Truncate(time.Minute).Add(-time.Minute)
	if err := seedDue(ctx, db, o.owners, slot); err != nil {
		return deliverResult{}, fmt.Errorf("seeding: %w", err)
	}
	fake := &fakeSlack{perSecond: o.perSecond, team: deliverTeam, posts: map[string][]string{}}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	env := append(os.Environ(), "KITH_DB="+db, "KITH_HTTP_ADDR=127.0.0.1:0", "KITH_LOG_LEVEL=warn", "KITH_TICK=1s",
		"SLACK_BOT_TOKEN="+deliverToken, "SLACK_API_URL="+srv.URL+"/api/", "SLACK_SIGNING_SECRET=", "SLACK_APP_TOKEN=",
		"SLACK_CLIENT_ID=", "SLACK_CLIENT_SECRET=", "DISCORD_BOT_TOKEN=", "KITH_BACKUP_DIR=")

	r := deliverResult{owners: o.owners}
	var restart time.Time
	fake.start(time.Now())
	begin := time.Now()
	k, err := startKith(ctx, o.bin, env, filepath.Join(o.dir, "kith-1.log"))
	if err != nil {
		return r, err
	}
	if o.killAt > 0 {
		want := int(o.killAt * float64(o.owners))
		if err := k.waitFor(ctx, func() bool { return fake.delivered() >= want }); err != nil {
			return r, fmt.Errorf("waiting for %d deliveries: %w", want, err)
		}
		if err := k.kill(); err != nil {
			return r, err
		}
		r.killed, r.atKill = true, fake.delivered()
		restart = time.Now()
		if k, err = startKith(ctx, o.bin, env, filepath.Join(o.dir, "kith-2.log")); err != nil {
			return r, err
		}
	}
	err = k.waitFor(ctx, func() bool { return fake.delivered() >= o.owners })
	if err == nil && r.killed {
		// The slots the killed kith had claimed come back when their leases
		// run out: wait for them, so one sent twice shows.
		err = k.waitFor(ctx, func() bool { return time.Since(fake.lastPost()) >= o.settle })
	}
	if err == nil {
		// Stopped, kith has written every done mark it will; a slot left
		// at the slot would be sent again on the next start.
		if err = k.stop(); err == nil {
			err = checkAdvanced(ctx, db, o.owners, slot)
		}
	}
	r.delivered, r.duplicates = fake.counts()
	r.limited, r.rechecks = fake.stats()
	r.elapsed = fake.lastPost().Sub(begin)
	if r.killed {
		r.restartToDone = fake.lastPost().Sub(restart)
	}
	r.rate = float64(r.delivered) / r.elapsed.Seconds()
	if err != nil {
		return r, fmt.Errorf("%v: %w (logs in %s)", r, err, o.dir)
	}
	return r, nil
}

// seedDue writes owners of one workspace, each with a contact long due and
// a daily digest whose job is due at slot.
func seedDue(ctx context.Context, db string, owners int, slot time.Time) error {
	long := slot.AddDate(-1, 0, 0)
	store, err := bolt.Open(db, bolt.Options{Now: func() time.Time { return long }})
	if err != nil {
		return err
	}
	defer store.Close()
	daily := fmt.Sprintf("daily %02d:%02d", slot.Hour(), slot.Minute())
	jobs := make([]reminders.Job, owners)
	var wg sync.WaitGroup
	var once sync.Once
	var first error
	const writers = 32
	for w := range writers {
		wg.Go(func() {
			for i := w; i < owners; i += writers {
				owner := deliverOwner(i)
				jobs[i] = reminders.Job{Kind: reminders.DigestJob, ID: string(owner), Slot: slot, Due: slot}
				err := store.Update(ctx, owner, reminders.Change{Now: long}, func(tx reminders.OwnerTx) error {
					if err := tx.PutSettings(reminders.Settings{Digest: daily, Created: long}); err != nil {
						return err
					}
					c := reminders.Contact{Name: "Jane Doe", Added: long}
					return tx.PutContact(&c)
				})
				if err != nil {
					once.Do(func() { first = err })
					return
				}
			}
		})
	}
	wg.Wait()
	if first != nil {
		return first
	}
	return store.PutJobs(ctx, jobs...)
}

// deliverOwner names the i-th owner of the delivery run.
func deliverOwner(i int) reminders.OwnerID {
	return reminders.Owner{Platform: reminders.PlatformSlack, Team: deliverTeam, User: fmt.Sprintf("U%06d", i)}.ID()
}

// checkAdvanced confirms in the database that every owner's digest job has
// moved past the slot: the done mark of each delivery is written.
func checkAdvanced(ctx context.Context, db string, owners int, slot time.Time) error {
	store, err := bolt.Open(db, bolt.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer store.Close()
	behind := 0
	for i := range owners {
		j, err := store.Job(ctx, reminders.DigestJob, string(deliverOwner(i)))
		if err != nil {
			return err
		}
		if !j.Slot.After(slot) {
			behind++
		}
	}
	if behind > 0 {
		return fmt.Errorf("%d owners' digest jobs are still at the slot", behind)
	}
	return nil
}

// kithProc is one running kith serve.
type kithProc struct {
	cmd     *exec.Cmd
	logPath string
	done    chan error
}

// startKith starts kith serve with env, its log in logPath.
func startKith(ctx context.Context, bin string, env []string, logPath string) (*kithProc, error) {
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "serve")
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, err
	}
	k := &kithProc{cmd: cmd, logPath: logPath, done: make(chan error, 1)}
	go func() {
		k.done <- cmd.Wait()
		logf.Close()
	}()
	return k, nil
}

// kill sends SIGKILL: no deferred function, no last commit.
func (k *kithProc) kill() error {
	if err := k.cmd.Process.Signal(syscall.SIGKILL); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	err := <-k.done
	k.done <- err
	return nil
}

// stop asks kith to stop (SIGTERM) and waits for it to finish its work.
func (k *kithProc) stop() error {
	if err := k.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return err
	}
	select {
	case err := <-k.done:
		k.done <- err
		if err != nil {
			return fmt.Errorf("kith serve: %v (see %s)", err, k.logPath)
		}
		return nil
	case <-time.After(time.Minute):
		_ = k.kill()
		return fmt.Errorf("kith serve did not stop within a minute of SIGTERM (see %s)", k.logPath)
	}
}

// waitFor polls cond until it holds, ctx ends or kith exits.
func (k *kithProc) waitFor(ctx context.Context, cond func() bool) error {
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	for !cond() {
		select {
		case <-ctx.Done():
			_ = k.kill()
			return ctx.Err()
		case err := <-k.done:
			k.done <- err // for kill and stop
			return fmt.Errorf("kith serve exited (%v); its log ends:\n%s", err, logTail(k.logPath, 20))
		case <-t.C:
		}
	}
	return nil
}

// logTail returns the last lines of a log, for errors.
func logTail(path string, lines int) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	var tail []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		tail = append(tail, sc.Text())
		if len(tail) > lines {
			tail = tail[1:]
		}
	}
	return strings.Join(tail, "\n")
}
