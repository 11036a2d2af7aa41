package reminders

import "time"

// A cadence that learns (§9): after LearnAfter snoozes or "less often" in a
// row a digest offers a longer cadence; after LearnAfter meetings in a row
// sooner than the cadence, a shorter one. A dismissed offer stays quiet for
// LearnQuiet.
const (
	LearnAfter = 3
	LearnQuiet = 90 * 24 * time.Hour
)

// Learning is what kith noticed of how the owner answers nudges about a contact.
type Learning struct {
	Pushed       int       `json:"pushed,omitempty"`       // snoozes and "less often" in a row
	Early        int       `json:"early,omitempty"`        // meetings in a row sooner than the cadence
	QuietLonger  time.Time `json:"quiet_longer,omitzero"`  // a longer cadence was dismissed: not before this
	QuietShorter time.Time `json:"quiet_shorter,omitzero"` // a shorter cadence was dismissed: not before this
}

// Offer is a cadence a digest entry proposes instead of the current one.
type Offer struct {
	Cadence Cadence
	Longer  bool // true: less often; false: more often
}

// Pushed notes a snooze or "less often": the owner put the contact off again.
func (c *Contact) Pushed() {
	c.Learn.Pushed++
	c.Learn.Early = 0
}

// Met notes a meeting at at under the cadence that applied: early when it
// came before the contact was due.
func (c *Contact) Met(at time.Time, cad Cadence) {
	c.Learn.Pushed = 0
	if next := cad.After(c.Since()); !cad.Never && !next.IsZero() && at.Before(next) {
		c.Learn.Early++
	} else {
		c.Learn.Early = 0
	}
}

// Offer returns the cadence to propose at now, if any, given the cadence
// that applies (see Settings.CadenceFor).
func (c Contact) Offer(cad Cadence, now time.Time) (Offer, bool) {
	if cad.Never || cad.IsZero() {
		return Offer{}, false
	}
	if c.Learn.Pushed >= LearnAfter && !now.Before(c.Learn.QuietLonger) {
		return Offer{Cadence: cad.Double(), Longer: true}, true
	}
	if c.Learn.Early >= LearnAfter && !now.Before(c.Learn.QuietShorter) {
		if h, ok := cad.Half(); ok {
			return Offer{Cadence: h}, true
		}
	}
	return Offer{}, false
}

// Settle records the owner's answer to an offer: taken or not, the count
// behind it starts over; dismissed, it stays quiet for LearnQuiet.
func (c *Contact) Settle(o Offer, taken bool, now time.Time) {
	if o.Longer {
		c.Learn.Pushed = 0
		if !taken {
			c.Learn.QuietLonger = now.Add(LearnQuiet)
		}
		return
	}
	c.Learn.Early = 0
	if !taken {
		c.Learn.QuietShorter = now.Add(LearnQuiet)
	}
}

// Half returns a cadence about half as long (2 months from 1 quarter, 2
// weeks from 1 month); false when nothing shorter makes sense (1 day).
func (c Cadence) Half() (Cadence, bool) {
	if c.Never || c.IsZero() {
		return c, false
	}
	if c.N >= 2 && c.N%2 == 0 {
		return Cadence{N: c.N / 2, Unit: c.Unit}, true
	}
	switch c.Unit {
	case Years:
		return Cadence{N: c.N * 6, Unit: Months}, true
	case Months:
		return Cadence{N: c.N * 2, Unit: Weeks}, true
	case Weeks:
		return Cadence{N: c.N * 7 / 2, Unit: Days}, true
	case Days:
		if c.N > 1 {
			return Cadence{N: c.N / 2, Unit: Days}, true
		}
	}
	return c, false
}
