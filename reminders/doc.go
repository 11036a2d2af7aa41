// Package reminders is kith's domain: owners, their contacts and the history
// kept with each, the rules that decide who is due for a check-in and what to
// suggest giving, the Store that persists all of it and the Scheduler that
// turns schedules into digests and team summaries.
//
// It imports no package of this module and nothing platform-specific, so a
// rule (due, balance, cadence) is written here once and every adapter shares it.
package reminders
