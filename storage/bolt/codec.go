package bolt

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
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
