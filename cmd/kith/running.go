package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/kith-bot/kith/internal/safe"
)

// running owns every goroutine and server a long-running sub-command
// starts, so that Close can stop them in order and wait for them.
type running struct {
	m      *Main
	log    *slog.Logger
	ctx    context.Context // cancelled by stop, after the HTTP server has drained
	cancel context.CancelFunc
	wg     sync.WaitGroup

	server *http.Server
	ln     net.Listener
}

// startRunning prepares the goroutine owner. Its context does not inherit
// the cancellation of parent (a signal): stop decides the order in which
// things end, so in-flight requests finish before their workers are told to.
func (m *Main) startRunning(parent context.Context) *running {
	ctx, cancel := context.WithCancel(context.WithoutCancel(parent))
	r := &running{m: m, log: m.logger, ctx: ctx, cancel: cancel}
	m.running = r
	return r
}

// goRun runs fn in a goroutine that turns a panic into an error. When an
// essential fn returns before stop, or any fn fails, the sub-command ends.
func (r *running) goRun(name string, essential bool, fn func(ctx context.Context) error) {
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		err := safe.Call(r.log, name, func() error { return fn(r.ctx) })
		stopping := r.ctx.Err() != nil
		switch {
		case err != nil && !stopping:
			r.log.Error("stopped with an error", "in", name, "err", err)
			r.m.finish(fmt.Errorf("%s: %w", name, err))
		case essential && !stopping:
			r.m.finish(nil)
		}
	}()
}

// serveHTTP starts the HTTP server on an already bound listener.
func (r *running) serveHTTP(ln net.Listener, h http.Handler) {
	r.ln = ln
	r.server = &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(r.log.Handler(), slog.LevelDebug),
	}
	r.goRun("http", false, func(context.Context) error {
		if err := r.server.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	})
}

// stop ends everything within timeout: the HTTP server stops accepting and
// drains its requests, then the workers (adapters, scheduler, backups,
// console) are cancelled and finish what they were doing.
func (r *running) stop(timeout time.Duration) error {
	deadline, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	start := time.Now()
	r.log.Info("kith is stopping", "grace", timeout)
	var errs []error
	if r.server != nil {
		if err := r.server.Shutdown(deadline); err != nil {
			errs = append(errs, fmt.Errorf("http shutdown: %w", err))
			_ = r.server.Close()
		}
	}
	r.cancel()
	finished := make(chan struct{})
	go func() {
		r.wg.Wait()
		close(finished)
	}()
	select {
	case <-finished:
	case <-deadline.Done():
		errs = append(errs, fmt.Errorf("work still running after %s was abandoned", timeout))
	}
	r.m.running = nil
	err := errors.Join(errs...)
	if err != nil {
		r.log.Error("kith stopped uncleanly", "took", time.Since(start), "err", err)
	} else {
		r.log.Info("kith stopped", "took", time.Since(start))
	}
	return err
}
