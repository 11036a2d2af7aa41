package bolt

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"math/bits"
	"time"

	"github.com/kith-bot/kith/reminders"
)

// unixToYearOne shifts Unix seconds so that every time.Time from year 1 on,
// including the zero time, encodes as an unsigned number and sorts in order.
const unixToYearOne = 62135596800

// timeKeyLen is the length of an encoded instant: 8 bytes of seconds, 4 of nanoseconds.
const timeKeyLen = 12

// timeKey encodes t big-endian so that byte order is time order.
func timeKey(t time.Time) []byte {
	k := make([]byte, timeKeyLen)
	binary.BigEndian.PutUint64(k, uint64(t.Unix()+unixToYearOne))
	binary.BigEndian.PutUint32(k[8:], uint32(t.Nanosecond()))
	return k
}

// idKey encodes an id big-endian so that byte order is numeric order.
func idKey(id uint64) []byte {
	k := make([]byte, 8)
	binary.BigEndian.PutUint64(k, id)
	return k
}

// parseID decodes the first 8 bytes of k.
func parseID(k []byte) uint64 { return binary.BigEndian.Uint64(k) }

// parseTimeKey decodes a timeKey at the start of k; the time is in UTC.
func parseTimeKey(k []byte) time.Time {
	return time.Unix(int64(binary.BigEndian.Uint64(k))-unixToYearOne, int64(binary.BigEndian.Uint32(k[8:]))).UTC()
}

// recordID encodes the id of a contact, interaction or promise for a key:
// its length in one byte, then its significant bytes big-endian. Byte order
// is still numeric order (a longer number sorts after every shorter one),
// no encoded id is a prefix of another, so an id can be followed by more of
// the key, and an owner's ids, handed out from 1, take 2 or 3 bytes instead
// of idKey's 8. Most keys of the file hold one or two.
func recordID(id uint64) []byte {
	n := (bits.Len64(id) + 7) / 8
	k := make([]byte, 1+n)
	k[0] = byte(n)
	for i := n; i > 0; i-- {
		k[i] = byte(id)
		id >>= 8
	}
	return k
}

// parseRecordID decodes a recordID at the start of k and returns the rest of k.
func parseRecordID(k []byte) (id uint64, rest []byte, ok bool) {
	if len(k) == 0 || k[0] > 8 || len(k) < 1+int(k[0]) {
		return 0, nil, false
	}
	for _, b := range k[1 : 1+k[0]] {
		id = id<<8 | uint64(b)
	}
	return id, k[1+k[0]:], true
}

// join concatenates key parts into a new slice.
func join(parts ...[]byte) []byte {
	return bytes.Join(parts, nil)
}

// sep separates string parts of a composite key; ids and kinds never contain it.
var sep = []byte{0}

// pairKey joins two strings with sep, for flat buckets keyed by (parent, child).
func pairKey(a, b string) []byte { return join([]byte(a), sep, []byte(b)) }

// encode marshals a value for storage.
func encode(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	return b, reminders.Internal(err)
}

// decode unmarshals a stored value; the result shares nothing with b.
func decode(b []byte, v any) error {
	return reminders.Internal(json.Unmarshal(b, v))
}

// clone copies b out of a transaction; nil stays nil.
func clone(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append(make([]byte, 0, len(b)), b...)
}
