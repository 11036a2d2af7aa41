package bolt

import (
	"bytes"
	"encoding/binary"
	"math"

	"github.com/kith-bot/kith/reminders"
	bbolt "go.etcd.io/bbolt"
)

// Every owner's records live in one shared bucket, bucketData, under a key
// prefix of their own: the owner's number, handed out once from bucketOwners.
// A nested bucket per owner (schema 5 and before) laid each owner out in
// whole pages of its own, mostly slack for an owner with a few dozen
// records; in one shared bucket small owners share pages.

// ownerNumLen is the length of an owner's number: 4 bytes big-endian, so a
// new owner's keys sort after every existing owner's and are appended.
const ownerNumLen = 4

// bulkFill is how full bbolt packs the pages of a bucket written in key
// order (the rewrites of schemas 6 and 7), where a split page never gets keys
// again. Everywhere else bbolt's default of one half stays: an owner's keys
// grow at several points inside their range, and bbolt splits a page at
// FillPercent from its start, so a high fill there leaves a trail of nearly
// empty pages (measured with kithbench seed: 0.5 and 0.7 gave 66% full
// leaves, 1.0 gave half the density of 0.5).
const bulkFill = 0.9

// errTooManyOwners reports an owners bucket whose sequence has run out of
// 4-byte numbers: four billion owners created in one file.
var errTooManyOwners = reminders.Errorf(reminders.EUNAVAILABLE, "this database has given out every owner number it can; copy it with kith migrate to a new file.")

// ownerRange is one owner's slice of the data bucket. Every key it reads or
// writes is relative to the owner's prefix, and its cursor stops where the
// prefix ends, so code holding one can reach no other owner's records: owner
// isolation stays in the type, as it was with a bucket per owner.
type ownerRange struct {
	b      *bbolt.Bucket
	prefix []byte // the owner's number
}

// dataBucket returns the shared bucket.
func dataBucket(tx *bbolt.Tx) *bbolt.Bucket { return tx.Bucket(bucketData) }

// ownerNum returns the owner's prefix in tx; nil when the owner has no data.
func ownerNum(tx *bbolt.Tx, owner reminders.OwnerID) []byte {
	return tx.Bucket(bucketOwners).Get([]byte(owner))
}

// lookupRange returns the owner's range, nil when the owner has no data yet.
func lookupRange(tx *bbolt.Tx, owner reminders.OwnerID) *ownerRange {
	num := ownerNum(tx, owner)
	if num == nil {
		return nil
	}
	return &ownerRange{b: dataBucket(tx), prefix: clone(num)}
}

// createRange returns the owner's range, giving a new owner the next number.
func createRange(tx *bbolt.Tx, owner reminders.OwnerID) (*ownerRange, error) {
	if r := lookupRange(tx, owner); r != nil {
		return r, nil
	}
	owners := tx.Bucket(bucketOwners)
	n, err := owners.NextSequence()
	if err != nil {
		return nil, err
	}
	if n > math.MaxUint32 {
		return nil, errTooManyOwners
	}
	num := binary.BigEndian.AppendUint32(nil, uint32(n))
	if err := owners.Put([]byte(owner), num); err != nil {
		return nil, err
	}
	return &ownerRange{b: dataBucket(tx), prefix: num}, nil
}

// abs is the shared bucket's key of a key relative to the owner; a new
// slice, since bbolt keeps a written key until the transaction ends.
func (r *ownerRange) abs(k []byte) []byte {
	return append(append(make([]byte, 0, len(r.prefix)+len(k)), r.prefix...), k...)
}

// Get reads a key; nil when absent. The value is valid only in the transaction.
func (r *ownerRange) Get(k []byte) []byte { return r.b.Get(r.abs(k)) }

// Put writes a key.
func (r *ownerRange) Put(k, v []byte) error { return r.b.Put(r.abs(k), v) }

// Delete removes a key.
func (r *ownerRange) Delete(k []byte) error { return r.b.Delete(r.abs(k)) }

// Tx is the transaction the range belongs to.
func (r *ownerRange) Tx() *bbolt.Tx { return r.b.Tx() }

// seqKey holds the owner's record id sequence, among their records so that
// handing out an id dirties a page the write touches anyway.
var seqKey = []byte{byte(spaceSequence)}

// Sequence is the last record id handed out.
func (r *ownerRange) Sequence() uint64 {
	if v := r.Get(seqKey); len(v) == 8 {
		return parseID(v)
	}
	return 0
}

// SetSequence sets the last record id handed out.
func (r *ownerRange) SetSequence(n uint64) error { return r.Put(seqKey, idKey(n)) }

// NextSequence hands out the next record id.
func (r *ownerRange) NextSequence() (uint64, error) {
	n := r.Sequence() + 1
	return n, r.SetSequence(n)
}

// Cursor walks the owner's keys only, returning them relative to the owner.
func (r *ownerRange) Cursor() *rangeCursor { return &rangeCursor{c: r.b.Cursor(), prefix: r.prefix} }

// keys returns every key of the owner, absolute, for deleting them.
func (r *ownerRange) keys() [][]byte {
	var out [][]byte
	c := r.b.Cursor()
	for k, _ := c.Seek(r.prefix); k != nil && bytes.HasPrefix(k, r.prefix); k, _ = c.Next() {
		out = append(out, clone(k))
	}
	return out
}

// rangeCursor is a bbolt cursor confined to one owner's range: past either
// end it returns nil, as a bucket's cursor does past its ends.
type rangeCursor struct {
	c      *bbolt.Cursor
	prefix []byte
}

func (c *rangeCursor) rel(k, v []byte) ([]byte, []byte) {
	if k == nil || !bytes.HasPrefix(k, c.prefix) {
		return nil, nil
	}
	return k[len(c.prefix):], v
}

// Seek moves to the first key at or after k.
func (c *rangeCursor) Seek(k []byte) ([]byte, []byte) {
	return c.rel(c.c.Seek(append(clone(c.prefix), k...)))
}

// First moves to the owner's first key.
func (c *rangeCursor) First() ([]byte, []byte) { return c.rel(c.c.Seek(c.prefix)) }

// Last moves to the owner's last key.
func (c *rangeCursor) Last() ([]byte, []byte) {
	end := after(c.prefix) // nil for the last number there is
	if k, _ := c.c.Seek(end); end == nil || k == nil {
		return c.rel(c.c.Last())
	}
	return c.rel(c.c.Prev())
}

// Next moves to the next key.
func (c *rangeCursor) Next() ([]byte, []byte) { return c.rel(c.c.Next()) }

// Prev moves to the previous key.
func (c *rangeCursor) Prev() ([]byte, []byte) { return c.rel(c.c.Prev()) }
