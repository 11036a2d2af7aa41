package bolt

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
	"syscall"
)

// populateFlags has the kernel map the whole file at open, in large
// sequential reads, for a reader of everything: faulting its pages in one at
// a time, in the B-tree's order, cost more CPU in fault handling than the
// export itself when the file was not cached. It does so only when the file
// fits in half the memory this process may use for it: a larger file would
// push out other pages (or fill a container's memory limit, which counts
// page cache) and be read again anyway. Then the pages come in as read.
func populateFlags(path string) int {
	fi, err := os.Stat(path)
	if err != nil || !fitsInMemory(fi.Size(), memoryAvailable()) {
		return 0
	}
	return syscall.MAP_POPULATE
}

// fitsInMemory reports whether a file of size bytes takes at most half of
// avail; an unknown avail (0) is not room.
func fitsInMemory(size, avail int64) bool {
	return avail > 0 && size <= avail/2
}

// memoryAvailable is the smaller of the machine's MemAvailable and the room
// left under this process's cgroup memory limit, in bytes; 0 when unknown.
func memoryAvailable() int64 {
	avail := meminfoAvailable("/proc/meminfo")
	if room := cgroupRoom("/sys/fs/cgroup"); room >= 0 && (avail == 0 || room < avail) {
		avail = room
	}
	return avail
}

// meminfoAvailable reads MemAvailable from a /proc/meminfo file; 0 when absent.
func meminfoAvailable(path string) int64 {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := bytes.CutPrefix(s.Bytes(), []byte("MemAvailable:")); ok {
			f := bytes.Fields(rest)
			if len(f) == 0 {
				return 0
			}
			kb, err := strconv.ParseInt(string(f[0]), 10, 64)
			if err != nil {
				return 0
			}
			return kb * 1024
		}
	}
	return 0
}

// cgroupRoom is memory.max minus memory.current of a cgroup v2 directory;
// -1 when there is no limit or it cannot be read.
func cgroupRoom(dir string) int64 {
	read := func(name string) int64 {
		b, err := os.ReadFile(dir + "/" + name)
		if err != nil {
			return -1
		}
		n, err := strconv.ParseInt(string(bytes.TrimSpace(b)), 10, 64)
		if err != nil {
			return -1 // "max": no limit
		}
		return n
	}
	limit, used := read("memory.max"), read("memory.current")
	if limit < 0 || used < 0 {
		return -1
	}
	return max(limit-used, 0)
}
