package bolt

import "syscall"

// populate has the kernel map the whole file at open, in large sequential
// reads, for a reader of everything: faulting its pages in one at a time,
// in the B-tree's order, cost more CPU in fault handling than the export
// itself when the file was not cached.
const populate = syscall.MAP_POPULATE
