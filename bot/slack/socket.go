package slack

import (
	"context"
	"encoding/json"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/kith-bot/kith/internal/backoff"
)

// ackTimeout bounds handing an ack to the socket writer; a dead socket must
// not pin the goroutine, and Slack redelivers what was not acknowledged.
const ackTimeout = 5 * time.Second

// runSocket serves Socket Mode until ctx ends, reconnecting with back-off.
// apps.connections.open goes to the API URL; the WebSocket URL is Slack's answer.
func (a *Adapter) runSocket(ctx context.Context) {
	smc := socketmode.New(a.socketAPI, socketmode.OptionLog(slogPrinter{a.log}))
	done := make(chan struct{})
	go func() {
		defer close(done)
		attempt := 0
		for ctx.Err() == nil {
			start := time.Now()
			err := smc.RunContext(ctx)
			a.socketUp.Store(false)
			if ctx.Err() != nil {
				return
			}
			attempt++
			if time.Since(start) > time.Minute {
				attempt = 1 // it was up a while: this is a fresh failure
			}
			wait := startBackoff.Wait(attempt)
			a.log.Warn("slack: socket mode stopped", "err", err, "retry_in", wait)
			if backoff.Sleep(ctx, wait) != nil {
				return
			}
		}
	}()
	for {
		select {
		case <-ctx.Done():
			<-done
			return
		case ev := <-smc.Events:
			a.socketEvent(ctx, smc, ev)
		}
	}
}

// socketEvent handles one Socket Mode event without blocking the event loop.
func (a *Adapter) socketEvent(ctx context.Context, smc *socketmode.Client, ev socketmode.Event) {
	switch ev.Type {
	case socketmode.EventTypeConnected:
		a.socketUp.Store(true)
		a.log.Info("slack: socket mode connected")
	case socketmode.EventTypeConnecting, socketmode.EventTypeConnectionError, socketmode.EventTypeInvalidAuth, socketmode.EventTypeDisconnect:
		a.socketUp.Store(false)
	case socketmode.EventTypeSlashCommand:
		c, ok := ev.Data.(slack.SlashCommand)
		if !ok || ev.Request == nil {
			return
		}
		env := ev.Request.EnvelopeID
		a.goWork(ctx, "socket command", func(ctx context.Context) {
			m, quick := a.command(ctx, c, commandKey(c, ev.Request.Payload))
			if !quick {
				a.ack(ctx, smc, env, nil)
				return
			}
			if !a.ack(ctx, smc, env, reply(m)) {
				// Too big for an ack (20 KB): acknowledge bare and post it instead.
				a.ack(ctx, smc, env, nil)
				if err := a.respond(ctx, c.ResponseURL, ownerOf(c), m, false); err != nil {
					a.log.Error("slack: reply failed", "err", err)
				}
			}
		})
	case socketmode.EventTypeInteractive:
		cb, ok := ev.Data.(slack.InteractionCallback)
		if !ok || ev.Request == nil {
			return
		}
		env := ev.Request.EnvelopeID
		normalize(&cb)
		if !wellFormed(cb) {
			a.ack(ctx, smc, env, nil)
			return
		}
		if cb.Type == slack.InteractionTypeViewSubmission {
			// The answer rides in the ack: field errors, or the modal's next view.
			a.goWork(ctx, "socket submission", func(ctx context.Context) {
				if resp := a.submission(ctx, cb); resp != nil {
					a.ack(ctx, smc, env, resp)
				} else {
					a.ack(ctx, smc, env, nil)
				}
			})
			return
		}
		a.ack(ctx, smc, env, nil)
		a.interact(ctx, cb)
	case socketmode.EventTypeEventsAPI:
		if ev.Request == nil {
			return
		}
		oe, err := parseEvent(ev.Request.Payload)
		if err == nil && oe.Type == "event_callback" {
			if gone, err := a.uninstallEvent(ctx, oe); gone {
				if err != nil {
					// Unacknowledged, Slack sends it again.
					a.log.Error("slack: recording an uninstall failed; Slack will send it again", "team", oe.TeamID, "err", err)
					return
				}
				a.ack(ctx, smc, ev.Request.EnvelopeID, nil)
				return
			}
		}
		a.ack(ctx, smc, ev.Request.EnvelopeID, nil)
		if err == nil && oe.Type == "event_callback" {
			a.goWork(ctx, "socket event", func(ctx context.Context) { a.event(ctx, oe) })
		}
	case socketmode.EventTypeErrorBadMessage:
		// An event slack-go cannot parse (a type it does not know) still
		// needs its ack, or Slack delivers it again and again.
		if bad, ok := ev.Data.(*socketmode.ErrorBadMessage); ok {
			var env struct {
				EnvelopeID string `json:"envelope_id"`
			}
			if json.Unmarshal(bad.Message, &env) == nil && env.EnvelopeID != "" {
				a.ack(ctx, smc, env.EnvelopeID, nil)
			}
		}
	}
}

// ack acknowledges an envelope, with an optional payload; false when the
// payload could not be sent.
func (a *Adapter) ack(ctx context.Context, smc *socketmode.Client, envelope string, payload any) bool {
	ctx, cancel := context.WithTimeout(ctx, ackTimeout)
	defer cancel()
	if err := smc.AckCtx(ctx, envelope, payload); err != nil {
		a.log.Warn("slack: socket ack failed", "err", err)
		return false
	}
	return true
}
