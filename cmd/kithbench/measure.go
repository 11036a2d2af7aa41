package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// runningLine is what kith serve logs once the scheduler runs.
const runningLine = "scheduler running"

// sampleEvery is how often a running command's memory is read: often enough
// to catch a peak that lasts a few hundred milliseconds.
const sampleEvery = 20 * time.Millisecond

// memory is what /proc/PID/status says of a process, in kB.
type memory struct{ vmRSS, rssAnon, rssFile, vmHWM int64 }

// readMemory reads a process's resident memory.
func readMemory(pid int) (memory, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return memory{}, err
	}
	var m memory
	for line := range strings.Lines(string(b)) {
		name, rest, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) == 0 {
			continue
		}
		v, _ := strconv.ParseInt(f[0], 10, 64)
		switch name {
		case "VmRSS":
			m.vmRSS = v
		case "RssAnon":
			m.rssAnon = v
		case "RssFile":
			m.rssFile = v
		case "VmHWM":
			m.vmHWM = v
		}
	}
	return m, nil
}

// peaks follows a process's memory until stop is closed and keeps the highest
// RssAnon and VmRSS seen.
type peaks struct {
	mu             sync.Mutex
	rssAnon, vmRSS int64
	last           memory
	done           chan struct{}
}

// watch samples pid every sampleEvery until stop is closed.
func watch(pid int, stop <-chan struct{}) *peaks {
	p := &peaks{done: make(chan struct{})}
	go func() {
		defer close(p.done)
		t := time.NewTicker(sampleEvery)
		defer t.Stop()
		for {
			if m, err := readMemory(pid); err == nil {
				p.mu.Lock()
				p.rssAnon, p.vmRSS, p.last = max(p.rssAnon, m.rssAnon), max(p.vmRSS, m.vmRSS), m
				p.mu.Unlock()
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	return p
}

// evict drops a file from the page cache, so the next run reads it from
// disk as after a reboot; it needs no privileges, unlike drop_caches.
func evict(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return err
	}
	return unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED)
}

// size returns a file's size in bytes.
func size(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}

// runStart starts kith serve on the file, times it until the scheduler runs,
// reads its memory there and stops it; -runs repeats it.
func runStart(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("start", flag.ContinueOnError)
	bin := fs.String("kith", "kith", "the kith binary")
	db := fs.String("db", "", "the bbolt file")
	cold := fs.Bool("cold", false, "drop the file from the page cache before each start")
	runs := fs.Int("runs", 1, "how many starts")
	settle := fs.Duration("settle", time.Second, "how long to keep it running after the scheduler runs before reading memory again")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *db == "" {
		return fmt.Errorf("start needs -db FILE")
	}
	for r := range *runs {
		if err := startOnce(ctx, *bin, *db, *cold, *settle, r+1); err != nil {
			return err
		}
	}
	return nil
}

// startOnce is one timed start.
func startOnce(ctx context.Context, bin, db string, cold bool, settle time.Duration, run int) error {
	before := size(db)
	if cold {
		if err := evict(db); err != nil {
			return err
		}
	}
	cmd := exec.CommandContext(ctx, bin, "serve")
	cmd.Env = append(os.Environ(), "KITH_DB="+db, "KITH_HTTP_ADDR=127.0.0.1:0", "KITH_LOG_LEVEL=info",
		"SLACK_BOT_TOKEN=", "DISCORD_BOT_TOKEN=", "KITH_BACKUP_DIR=")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	var ru syscall.Rusage
	begin := time.Now()
	if err := cmd.Start(); err != nil {
		return err
	}
	running := make(chan time.Duration, 1)
	var log strings.Builder
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if log.Len() < 1<<16 {
				log.WriteString(sc.Text() + "\n")
			}
			if strings.Contains(sc.Text(), runningLine) {
				running <- time.Since(begin)
			}
		}
		_, _ = io.Copy(io.Discard, stderr)
	}()
	var took time.Duration
	select {
	case took = <-running:
	case <-time.After(10 * time.Minute):
		_ = cmd.Process.Kill()
		return fmt.Errorf("kith never logged %q:\n%s", runningLine, log.String())
	}
	at, _ := readMemory(cmd.Process.Pid)
	time.Sleep(settle)
	later, _ := readMemory(cmd.Process.Pid)
	_ = cmd.Process.Signal(syscall.SIGTERM)
	err = cmd.Wait()
	if ps := cmd.ProcessState; ps != nil {
		if r, ok := ps.SysUsage().(*syscall.Rusage); ok {
			ru = *r
		}
	}
	if err != nil {
		return fmt.Errorf("kith serve: %v\n%s", err, log.String())
	}
	mode := "warm"
	if cold {
		mode = "cold"
	}
	fmt.Printf("start %d (%s): scheduler running after %s (%s of CPU in all); at that moment VmRSS %s (RssAnon %s, RssFile %s); %s later VmRSS %s (RssAnon %s); major faults %d; file %s -> %s\n",
		run, mode, took.Round(time.Millisecond), (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Round(time.Millisecond), mb(at.vmRSS), mb(at.rssAnon), mb(at.rssFile),
		settle, mb(later.vmRSS), mb(later.rssAnon), ru.Majflt, mbBytes(before), mbBytes(size(db)))
	return nil
}

// runCommand runs a command (a kith export, say) and reports its time and
// peak memory, read every sampleEvery.
func runCommand(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	db := fs.String("db", "", "the bbolt file, to evict with -cold")
	cold := fs.Bool("cold", false, "drop the file from the page cache first")
	out := fs.String("out", "", "a file the command writes, whose size gives the throughput")
	if err := fs.Parse(args); err != nil {
		return err
	}
	rest := fs.Args()
	if len(rest) == 0 {
		return fmt.Errorf("run needs a command after --")
	}
	if *cold {
		if *db == "" {
			return fmt.Errorf("-cold needs -db FILE")
		}
		if err := evict(*db); err != nil {
			return err
		}
	}
	cmd := exec.CommandContext(ctx, rest[0], rest[1:]...)
	if *db != "" {
		cmd.Env = append(os.Environ(), "KITH_DB="+*db)
	}
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	begin := time.Now()
	if err := cmd.Start(); err != nil {
		return err
	}
	stop := make(chan struct{})
	p := watch(cmd.Process.Pid, stop)
	err := cmd.Wait()
	took := time.Since(begin)
	close(stop)
	<-p.done
	if err != nil {
		return err
	}
	var hwm int64
	var majflt int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		hwm = ru.Maxrss // kB on Linux: the true VmRSS peak, between samples too
		majflt = ru.Majflt
	}
	cpu := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	fmt.Fprintf(os.Stderr, "%s took %s (%s of CPU, %d major faults); peak RssAnon %s (sampled), peak VmRSS %s",
		rest[0], took.Round(time.Millisecond), cpu.Round(time.Millisecond), majflt, mb(p.rssAnon), mb(hwm))
	if *out != "" {
		n := size(*out)
		fmt.Fprintf(os.Stderr, "; wrote %s: %.0f MB/s, %.0f MB per CPU second", mbBytes(n),
			float64(n)/1e6/took.Seconds(), float64(n)/1e6/cpu.Seconds())
	}
	fmt.Fprintln(os.Stderr)
	return nil
}

// mb formats kB as MB.
func mb(kb int64) string { return fmt.Sprintf("%.1f MB", float64(kb)/1024) }

// mbBytes formats bytes as MB.
func mbBytes(b int64) string { return fmt.Sprintf("%.1f MB", float64(b)/1e6) }
