package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// version is set at build time: go build -ldflags "-X main.version=v1.2.3".
var version = "dev"

var versionCommand = &command{
	name:     "version",
	synopsis: "kith version",
	summary:  "print version and build information",
	help:     `Prints kith's version, the commit it was built from and the Go version.`,
	quiet:    true,
	run:      (*Main).runVersion,
}

// runVersion prints the version and what the Go toolchain recorded of the build.
func (m *Main) runVersion(context.Context) error {
	fmt.Fprint(m.Stdout, versionText())
	return nil
}

// versionText is "kith v1.2.3" followed by the VCS and Go details.
func versionText() string {
	var b strings.Builder
	fmt.Fprintf(&b, "kith %s\n", version)
	if info, ok := debug.ReadBuildInfo(); ok {
		vcs := map[string]string{}
		for _, s := range info.Settings {
			vcs[s.Key] = s.Value
		}
		if rev := vcs["vcs.revision"]; rev != "" {
			if vcs["vcs.modified"] == "true" {
				rev += " (modified)"
			}
			fmt.Fprintf(&b, "commit: %s\n", rev)
		}
		if t := vcs["vcs.time"]; t != "" {
			fmt.Fprintf(&b, "commit time: %s\n", t)
		}
		if info.Main.Version != "" && info.Main.Version != "(devel)" {
			fmt.Fprintf(&b, "module: %s %s\n", info.Main.Path, info.Main.Version)
		}
	}
	fmt.Fprintf(&b, "go: %s %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return b.String()
}
