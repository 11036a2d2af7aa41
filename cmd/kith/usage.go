package main

import (
	"flag"
	"fmt"
	"strings"
	"time"
)

// mainUsage is what `kith help` prints.
func mainUsage() string {
	var b strings.Builder
	b.WriteString(`kith keeps your professional network warm, in Slack, Discord or a terminal.

Usage:
  kith [flags]              serve the configured platforms, or start the console
                            when none is configured and this is a terminal
  kith <sub-command> [flags]

Sub-commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(&b, "  %-12s %s\n", c.name, c.summary)
	}
	b.WriteString(`
Configuration comes from the environment; a flag of the same name overrides it
(KITH_DB is --db, SLACK_BOT_TOKEN is --slack-bot-token, and so on), and every
variable may be given as a file by adding _FILE to its name.
Run kith <sub-command> --help for its flags.
`)
	return b.String()
}

// commandUsage is what `kith <sub-command> --help` prints.
func commandUsage(c *command) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Usage: %s\n\n%s\n", c.synopsis, c.help)
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	m := NewMain()
	m.Config.addFlags(fs, c.envs...)
	if c.flags != nil {
		c.flags(m, fs)
	}
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n == 0 {
		return b.String()
	}
	b.WriteString("\nFlags:\n")
	fs.VisitAll(func(f *flag.Flag) {
		name, usage := flagArg(f)
		dash := "--"
		if len(f.Name) == 1 {
			dash = "-" // -o, as written in the synopsis
		}
		line := "  " + dash + f.Name
		if name != "" {
			line += " " + name
		}
		fmt.Fprintf(&b, "%-34s %s", line, usage)
		def := f.DefValue
		if f.Name == "log-level" && c.quiet {
			def = "warn" // see newLogger: the console and one-shot tools keep the terminal quiet
		}
		if def != "" && def != "0" && def != "false" && !strings.HasSuffix(f.Name, "-file") && !isSecret(f.Name) {
			fmt.Fprintf(&b, " (default %s)", def)
		}
		b.WriteString("\n")
	})
	return b.String()
}

// isSecret reports whether the flag carries a secret, whose value usage must not print.
func isSecret(flagName string) bool {
	for _, s := range settings {
		if s.flag == flagName {
			return s.secret
		}
	}
	return false
}

// flagArg names a flag's argument for the usage text.
func flagArg(f *flag.Flag) (string, string) {
	name, usage := flag.UnquoteUsage(f)
	switch v := f.Value.(type) {
	case fieldValue:
		switch v.p.(type) {
		case *time.Duration:
			name = "duration"
		case *int:
			name = "n"
		default:
			name = "string"
		}
	case secretFile:
		name = "file"
	}
	return name, usage
}
