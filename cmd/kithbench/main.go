// Command kithbench builds a large data set through the Store API and
// measures what kith costs on it: file size, start-up time and memory, and
// the throughput and memory of a full export. It is a tool for operators and
// developers, not part of kith itself; the README's performance section
// quotes its figures.
//
//	kithbench seed -db big.db -owners 10000
//	kithbench open -db old.db
//	kithbench start -kith ./kith -db big.db -cold
//	kithbench run -db big.db -- ./kith export -o /tmp/all.json
//	kithbench deliver -kith ./kith -owners 10000 -per-second 200 -kill-at 0.5
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
)

const usage = `usage:
  kithbench seed  -db FILE [-owners N] [-contacts N] [-interactions N] [-writers N]
  kithbench open  -db FILE
  kithbench start -kith BIN -db FILE [-cold] [-runs N]
  kithbench run   -db FILE [-cold] -- COMMAND [ARGS...]
  kithbench deliver -kith BIN [-owners N] [-per-second N] [-kill-at SHARE]
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "seed":
		err = runSeed(ctx, os.Args[2:])
	case "open":
		err = runOpen(os.Args[2:])
	case "start":
		err = runStart(ctx, os.Args[2:])
	case "run":
		err = runCommand(ctx, os.Args[2:])
	case "deliver":
		err = runDeliver(ctx, os.Args[2:])
	default:
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "kithbench:", err)
		os.Exit(1)
	}
}
