//go:build linux

package bolt

import (
	"os"
	"path/filepath"
	"testing"
)

// A file is mapped whole only when it takes at most half the memory left,
// counting a container's limit.
func TestPopulateOnlyWhatFits(t *testing.T) {
	for _, tt := range []struct {
		size, avail int64
		want        bool
	}{
		{100, 200, true},
		{101, 200, false},
		{100, 0, false}, // unknown memory: fault pages in as read
	} {
		if got := fitsInMemory(tt.size, tt.avail); got != tt.want {
			t.Errorf("fitsInMemory(%d, %d) = %v, want %v", tt.size, tt.avail, got, tt.want)
		}
	}

	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	mi := write("meminfo", "MemTotal:       24000000 kB\nMemFree:         1000 kB\nMemAvailable:    2048 kB\n")
	if got := meminfoAvailable(mi); got != 2048*1024 {
		t.Errorf("MemAvailable = %d, want %d", got, 2048*1024)
	}
	if got := meminfoAvailable(write("nomem", "MemTotal: 1 kB\n")); got != 0 {
		t.Errorf("MemAvailable without the line = %d, want 0", got)
	}

	cg := filepath.Join(dir, "cg")
	if err := os.Mkdir(cg, 0o700); err != nil {
		t.Fatal(err)
	}
	if got := cgroupRoom(cg); got != -1 {
		t.Errorf("no cgroup files: room %d, want -1", got)
	}
	write("cg/memory.max", "max\n")
	write("cg/memory.current", "1000\n")
	if got := cgroupRoom(cg); got != -1 {
		t.Errorf("no limit: room %d, want -1", got)
	}
	write("cg/memory.max", "536870912\n")
	if got := cgroupRoom(cg); got != 536870912-1000 {
		t.Errorf("room %d, want %d", got, 536870912-1000)
	}
}
