package discord

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/kith-bot/kith/internal/pace"
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

// DefaultPace is Discord's documented global limit for a bot: 50 requests
// a second across every route.
var DefaultPace = pace.Limits{Start: 50, Max: 50, Burst: 10}

// paceKey is the one bucket of the bot's global limit. Interaction
// responses and follow-ups (their own token in the path) are exempt from it
// on Discord's side, and must answer within 3 seconds, so they pass unpaced.
func paceKey(r *http.Request) string {
	if !strings.HasPrefix(r.Header.Get("Authorization"), "Bot ") || strings.Contains(r.URL.Path, "/interactions/") || strings.Contains(r.URL.Path, "/webhooks/") {
		return ""
	}
	return "discord"
}

// globalLimit reports a 429 of the global limit, which pauses every call.
// A 429 of one route's bucket is left to discordgo, which keeps those
// buckets from the X-RateLimit-* headers and waits them out itself; kith
// pausing for them too would make the two limiters fight.
func globalLimit(resp *http.Response) (time.Duration, bool) {
	wait, ok := pace.RetryAfter(resp)
	if !ok || (resp.Header.Get("X-RateLimit-Global") != "true" && resp.Header.Get("X-RateLimit-Scope") != "global") {
		return 0, false
	}
	return wait, true
}

// newClient returns an HTTP client that sends discordgo's REST calls to base,
// paced by p.
func newClient(base string, p *pace.Pacer) (*http.Client, error) {
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
		Timeout: requestTimeout,
		Transport: &rewriter{from: discordgo.EndpointAPI, to: to, next: &pace.Transport{
			Next: http.DefaultTransport, Pacer: p, Key: paceKey, Limited: globalLimit,
		}},
	}, nil
}
