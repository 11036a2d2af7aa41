package discord_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kith-bot/kith/bot/discord"
)

// A Discord outage at start delays readiness; it does not stop kith.
func TestRegistrationIsRetriedAfterAServerError(t *testing.T) {
	e := setup(t, &recorder{}, func(c *discord.Config) { c.Gateway = false })
	e.f.Fail(apiPrefix+"applications/app-1/commands", http.StatusInternalServerError)
	e.run(t) // fails the test unless the adapter becomes Ready
	if n := e.f.Count(http.MethodPut, "applications/app-1/commands"); n != 2 {
		t.Errorf("registration was tried %d times; want 2 (one failure, one success)", n)
	}
}

// A refused token will not mend by waiting: Run says so at once.
func TestRegistrationWithARefusedTokenStops(t *testing.T) {
	e := setup(t, &recorder{}, func(c *discord.Config) { c.Gateway = false })
	e.f.Fail(apiPrefix+"applications/app-1/commands", http.StatusUnauthorized)
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	start := time.Now()
	err := e.a.Run(ctx)
	if err == nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("Run = %v; want the 401 reported", err)
	}
	if time.Since(start) > time.Second {
		t.Errorf("Run took %v to give up on a refused token; want no retries", time.Since(start))
	}
}
