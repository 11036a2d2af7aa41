package safe_test

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/kith-bot/kith/internal/safe"
)

func TestCall(t *testing.T) {
	var logged bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logged, nil))

	if err := safe.Call(log, "ok", func() error { return nil }); err != nil {
		t.Errorf("Call of a clean fn = %v, want nil", err)
	}
	want := errors.New("boom")
	if err := safe.Call(log, "fails", func() error { return want }); err != want {
		t.Errorf("Call of a failing fn = %v, want its own error", err)
	}
	if logged.Len() != 0 {
		t.Errorf("Call logged without a panic: %s", logged.String())
	}

	err := safe.Call(log, "sweep", func() error { panic("nil map") })
	if err == nil || !strings.Contains(err.Error(), "sweep: panic: nil map") {
		t.Errorf("Call of a panicking fn = %v, want the panic as an error", err)
	}
	if !strings.Contains(logged.String(), "in=sweep") || !strings.Contains(logged.String(), "stack=") {
		t.Errorf("the panic was not logged with its name and stack: %s", logged.String())
	}
}
