package discord

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// DefaultAPIURL is Discord's REST base URL, used when Config.APIURL is empty.
const DefaultAPIURL = "https://discord.com/api/v10/"

// rewriter sends every request that discordgo addresses to its built-in API
// base to the configured base instead. discordgo builds URLs from package
// variables; changing those would affect every Session in the process (and
// every parallel test), so the redirection happens per client instead.
type rewriter struct {
	from string   // discordgo's base, e.g. "https://discord.com/api/v9/"
	to   *url.URL // the configured base, ending in "/"
	next http.RoundTripper
}

func (rw *rewriter) RoundTrip(r *http.Request) (*http.Response, error) {
	u := r.URL.String()
	if !strings.HasPrefix(u, rw.from) {
		return rw.next.RoundTrip(r)
	}
	target, err := url.Parse(rw.to.String() + strings.TrimPrefix(u, rw.from))
	if err != nil {
		return nil, fmt.Errorf("discord: rewrite %s: %w", u, err)
	}
	// RoundTrippers must not change the caller's request, so change a copy.
	r2 := r.Clone(r.Context())
	r2.URL = target
	r2.Host = target.Host
	return rw.next.RoundTrip(r2)
}

// newClient returns an HTTP client that sends discordgo's REST calls to base.
func newClient(base string) (*http.Client, error) {
	if base == "" {
		base = DefaultAPIURL
	}
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	to, err := url.Parse(base)
	if err != nil || (to.Scheme != "http" && to.Scheme != "https") || to.Host == "" {
		return nil, fmt.Errorf("discord: DISCORD_API_URL %q is not an http(s) URL", base)
	}
	return &http.Client{
		Timeout:   requestTimeout,
		Transport: &rewriter{from: discordgo.EndpointAPI, to: to, next: http.DefaultTransport},
	}, nil
}
