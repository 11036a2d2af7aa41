// Package lang is kith's command language: the table of verbs (name,
// aliases, usage, examples, whether a command names contacts or only reads),
// and reading a typed command into a Parsed value: tokens, quotes and
// mentions, dates, durations, cadences and contact names. It changes
// nothing and imports only reminders, so every adapter and the executor in
// bot derive their word lists from one place.
package lang
