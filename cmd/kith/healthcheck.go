package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"time"
)

// healthOptions are the flags of kith healthcheck.
type healthOptions struct {
	url string
}

// healthTimeout bounds the check, well inside a container runtime's own timeout.
const healthTimeout = 5 * time.Second

var healthcheckCommand = &command{
	name:     "healthcheck",
	synopsis: "kith healthcheck [--url URL]",
	summary:  "exit 0 when /healthz answers 200; for container health checks",
	help: `Asks a running kith whether it is up and exits 0 when /healthz answers 200,
1 otherwise. The default URL is derived from KITH_HTTP_ADDR
(http://127.0.0.1:8080/healthz by default).`,
	envs:  []string{"KITH_HTTP_ADDR"},
	quiet: true,
	flags: func(m *Main, fs *flag.FlagSet) {
		fs.StringVar(&m.health.url, "url", "", "the URL to check (default derived from KITH_HTTP_ADDR)")
	},
	run: (*Main).runHealthcheck,
}

// runHealthcheck asks /healthz.
func (m *Main) runHealthcheck(ctx context.Context) error {
	url := m.health.url
	if url == "" {
		var err error
		if url, err = healthURL(m.Config.HTTPAddr); err != nil {
			return err
		}
	}
	ctx, cancel := context.WithTimeout(ctx, healthTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return usageErrorf("--url %q is not a URL.", url)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("%s is not answering: %w", url, errors.Unwrap(err))
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %s", url, resp.Status)
	}
	fmt.Fprintf(m.Stdout, "%s: ok\n", url)
	return nil
}

// healthURL derives the /healthz URL from a listen address: a wildcard
// host (":8080", "0.0.0.0:8080", "[::]:8080") is reached on loopback.
func healthURL(addr string) (string, error) {
	if addr == "" {
		return "", usageErrorf("KITH_HTTP_ADDR is empty, so kith serves no HTTP; give --url or set KITH_HTTP_ADDR.")
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", usageErrorf("KITH_HTTP_ADDR=%q is not host:port; use e.g. :8080.", addr)
	}
	switch host {
	case "", "0.0.0.0":
		host = "127.0.0.1"
	case "::":
		host = "::1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/healthz", nil
}
