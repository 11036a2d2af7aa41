package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kith-bot/kith/storage/postgres/pgtest"
)

// TestReadyzFollowsPostgres stops Postgres under a running kith: /readyz
// fails while the database is away and passes again once it is back, with
// no restart. The test has a server of its own, since it stops it.
func TestReadyzFollowsPostgres(t *testing.T) {
	srv := pgtest.Start(t)
	h := newMain(t, map[string]string{"KITH_DB": srv.NewDB(t), "KITH_HTTP_ADDR": "127.0.0.1:0"}, nil, time.Now())
	ctx := context.Background()
	if err := h.ParseFlags(ctx, []string{"serve"}); err != nil {
		t.Fatal(err)
	}
	if err := h.Run(ctx); err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	base := "http://" + h.HTTPAddr()
	if code, body := get(t, base+"/readyz"); code != http.StatusOK {
		t.Fatalf("/readyz with the database up = %d %q", code, body)
	}
	srv.Stop()
	if code, body := get(t, base+"/readyz"); code != http.StatusServiceUnavailable || !strings.Contains(body, "database") {
		t.Errorf("/readyz with the database down = %d %q, want 503 naming the database", code, body)
	}
	if code, _ := get(t, base+"/healthz"); code != http.StatusOK {
		t.Errorf("/healthz with the database down = %d; the process is up", code)
	}
	srv.Resume(t)
	if code, body := get(t, base+"/readyz"); code != http.StatusOK {
		t.Errorf("/readyz after the database came back = %d %q", code, body)
	}
}
