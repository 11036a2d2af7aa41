//go:build linux

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal pair: the controller the test types into
// and the terminal kith is given as standard input and output.
func openPTY(t *testing.T) (controller, tty *os.File) {
	t.Helper()
	controller, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	fd := int(controller.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Skipf("cannot unlock a pseudo-terminal: %v", err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		t.Skipf("cannot name a pseudo-terminal: %v", err)
	}
	tty, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("cannot open the pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { controller.Close(); tty.Close() })
	return controller, tty
}

// TestConsoleInATerminal runs the binary on a pseudo-terminal, as a user
// starts it: the Up arrow brings back the last command instead of reaching
// the bot as "\x1b[A", and the terminal is left as it was found.
func TestConsoleInATerminal(t *testing.T) {
	bin := kithBinary(t)
	controller, tty := openPTY(t)
	before, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "console", "--user", "ada")
	cmd.Env = []string{"KITH_DB=" + filepath.Join(t.TempDir(), "kith.db"), "NO_COLOR=1", "TZ=UTC"}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var out syncBuffer
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := controller.Read(buf)
			out.Write(buf[:n])
			if err != nil || strings.Contains(out.String(), "Bye.") {
				return
			}
		}
	}()
	// Each key waits for the prompt it answers, as a person would.
	waitFor := func(s string, count int) {
		t.Helper()
		for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			if strings.Count(out.String(), s) >= count {
				return
			}
		}
		t.Fatalf("never saw %q %d times; the terminal shows:\n%q", s, count, out.String())
	}
	waitFor("kith> ", 1)
	controller.WriteString("add Jane Doe at Acme\r")
	waitFor("kith> ", 2)
	controller.WriteString("\x1b[A\r")
	waitFor("kith> ", 3)
	controller.WriteString("quit\r")
	if err := cmd.Wait(); err != nil {
		t.Fatalf("kith console: %v\n%s", err, out.String())
	}
	got := out.String()
	if strings.Contains(got, "is not a command") {
		t.Errorf("the Up arrow reached the bot:\n%s", got)
	}
	if !strings.Contains(got, "You already have a contact called Jane Doe") {
		t.Errorf("the Up arrow did not repeat the add:\n%s", got)
	}
	after, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	if after.Lflag != before.Lflag || after.Iflag != before.Iflag || after.Oflag != before.Oflag {
		t.Errorf("the terminal was left in raw mode: %+v, was %+v", after, before)
	}
}
