package reminders

import (
	"sync"
	"time"

	"github.com/robfig/cron/v3"
)

// maxSkippedSlots bounds the search for a slot after `after` when slots keep
// landing in a repeated (autumn) hour that has already passed; a schedule
// fires at most 60 times an hour, so two hours of slots is always enough.
const maxSkippedSlots = 2 * 60

// NextAfter returns the first instant strictly after `after` at which the
// schedule (as users write it, see ScheduleCron) fires in loc.
//
// The schedule is evaluated on wall-clock time and mapped back to instants
// here, because robfig/cron's own Next skips a wall time that daylight saving
// skips. A wall time that does not exist that day (spring forward) fires at
// the transition instant, the first instant after it; a wall time that occurs
// twice (autumn) fires once, at its first occurrence. Slots that map to the
// same instant are one slot. A schedule that never fires (such as 30
// February) is an EINVALID error.
func NextAfter(schedule string, loc *time.Location, after time.Time) (time.Time, error) {
	spec, err := parseSpec(schedule)
	if err != nil {
		return time.Time{}, err
	}
	if loc == nil {
		loc = time.UTC
	}
	next := nextAfter(spec, loc, after)
	if next.IsZero() {
		return time.Time{}, Errorf(EINVALID, "%q never fires; use 09:00, weekdays 09:00, mondays 08:30, daily 18:00 or a 5-field cron expression like 0 9 * * 1-5.", schedule)
	}
	return next, nil
}

// nextAfter is NextAfter for a parsed schedule; the zero time means never.
func nextAfter(spec *cron.SpecSchedule, loc *time.Location, after time.Time) time.Time {
	wall := wallClock(after.In(loc))
	for range maxSkippedSlots {
		w := spec.Next(wall) // spec is evaluated in UTC, where wall time has no gaps
		if w.IsZero() {
			return time.Time{}
		}
		if at := wallToInstant(w, loc); at.After(after) {
			return at
		}
		// The slot's first occurrence is at or before `after`: it already
		// fired (or was passed), and a repeated hour fires only once.
		wall = w
	}
	return time.Time{}
}

// wallClock returns t's wall-clock reading as the same reading in UTC, a
// zone without daylight saving in which cron arithmetic cannot skip or repeat.
func wallClock(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
}

// wallToInstant maps a wall-clock reading (held in UTC) to the first instant
// in loc that shows it, or, when loc skips it, to the first instant after it.
func wallToInstant(w time.Time, loc *time.Location) time.Time {
	t := time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), w.Nanosecond(), loc)
	switch c := wallClock(t).Compare(w); {
	case c < 0: // skipped: time.Date used the offset before the gap; the gap starts where that offset ends
		_, end := t.ZoneBounds()
		return end
	case c > 0: // skipped: time.Date used the offset after the gap, which starts at the gap
		start, _ := t.ZoneBounds()
		return start
	}
	// The reading exists; when the clocks were just set back it may exist
	// twice, and time.Date does not promise which one it returns.
	start, _ := t.ZoneBounds()
	if start.IsZero() {
		return t
	}
	_, off := t.Zone()
	_, prevOff := start.Add(-time.Nanosecond).Zone()
	if prevOff <= off {
		return t
	}
	if earlier := t.Add(-time.Duration(prevOff-off) * time.Second); earlier.Before(start) && wallClock(earlier).Equal(w) {
		return earlier
	}
	return t
}

// specCache keeps parsed schedules: a few distinct schedules serve every
// owner, and parsing each owner's text again would dominate bulk registration.
var specCache sync.Map // string -> *cron.SpecSchedule

// maxCachedSpecs bounds specCache, since schedules are user input.
const maxCachedSpecs = 4096

var specCacheSize struct {
	sync.Mutex
	n int
}

// parseSpec parses a schedule into a cron spec evaluated in UTC.
func parseSpec(schedule string) (*cron.SpecSchedule, error) {
	if v, ok := specCache.Load(schedule); ok {
		return v.(*cron.SpecSchedule), nil
	}
	sched, err := ParseSchedule(schedule)
	if err != nil {
		return nil, err
	}
	spec, ok := sched.(*cron.SpecSchedule)
	if !ok { // ScheduleCron admits only 5-field expressions, which parse to SpecSchedule
		return nil, Errorf(EINVALID, "%q is not a schedule; use 09:00, weekdays 09:00, mondays 08:30, daily 18:00 or a 5-field cron expression like 0 9 * * 1-5.", schedule)
	}
	c := *spec
	c.Location = time.UTC
	specCacheSize.Lock()
	if specCacheSize.n < maxCachedSpecs {
		if _, loaded := specCache.LoadOrStore(schedule, &c); !loaded {
			specCacheSize.n++
		}
	}
	specCacheSize.Unlock()
	return &c, nil
}

// locCache keeps loaded time zones: time.LoadLocation reads and parses the
// zone database on every call.
var locCache sync.Map // string -> *time.Location

// loadLocation returns the named zone, UTC when the name is empty or unknown
// (as Settings.Location does), loading each name once.
func loadLocation(name string) *time.Location {
	if name == "" {
		return time.UTC
	}
	if v, ok := locCache.Load(name); ok {
		return v.(*time.Location)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.UTC // not cached: names are user input, and unknown ones are rejected on the way in
	}
	locCache.Store(name, loc)
	return loc
}
