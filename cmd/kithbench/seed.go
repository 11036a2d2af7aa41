package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kith-bot/kith/reminders"
	"github.com/kith-bot/kith/storage/bolt"
)

// seedZones spread the owners over a few zones, so digest slots differ as
// they do in a real workspace.
var seedZones = []string{"UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo", "Australia/Sydney"}

// seedKinds are the interactions logged with each contact, oldest first.
var seedKinds = []reminders.Kind{reminders.Met, reminders.Gave, reminders.Got}

// seedOptions shape the data set.
type seedOptions struct {
	db           string
	owners       int
	contacts     int // per owner
	interactions int // per contact
	writers      int // concurrent writers, so commits are shared as under load
	now          time.Time
}

// runSeed builds owners × contacts × interactions in a new bbolt file,
// through the Store API as the bot writes: one change per contact (the
// contact and its interactions, as an import of a contact with history
// would), the owner's settings on first use, and each owner's digest job.
func runSeed(ctx context.Context, args []string) error {
	o := seedOptions{now: time.Now().UTC().Truncate(time.Second)}
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	fs.StringVar(&o.db, "db", "", "the bbolt file to create (must not exist)")
	fs.IntVar(&o.owners, "owners", 10000, "owners")
	fs.IntVar(&o.contacts, "contacts", 10, "contacts per owner")
	fs.IntVar(&o.interactions, "interactions", 3, "interactions per contact")
	fs.IntVar(&o.writers, "writers", 64, "concurrent writers")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.db == "" || o.owners < 1 || o.contacts < 0 || o.interactions < 0 || o.writers < 1 {
		return fmt.Errorf("seed needs -db FILE and positive counts")
	}
	if _, err := os.Stat(o.db); err == nil {
		return fmt.Errorf("%s exists; seed writes a new file", o.db)
	}
	start := time.Now()
	n, err := seed(ctx, o)
	if err != nil {
		return err
	}
	fi, err := os.Stat(o.db)
	if err != nil {
		return err
	}
	contacts := o.owners * o.contacts
	fmt.Printf("seeded %d owners, %d contacts, %d interactions with %d changes in %s\n",
		o.owners, contacts, contacts*o.interactions, n, time.Since(start).Round(time.Millisecond))
	fmt.Printf("file %s: %d bytes (%.1f MB), %.0f bytes per contact\n",
		o.db, fi.Size(), float64(fi.Size())/1e6, float64(fi.Size())/float64(max(contacts, 1)))
	return nil
}

// seedOwner names the i-th owner; Slack ids, the longest kind, in a few teams.
func seedOwner(i int) reminders.OwnerID {
	return reminders.Owner{Platform: reminders.PlatformSlack, Team: fmt.Sprintf("T%08d", i%50), User: fmt.Sprintf("U%09d", i)}.ID()
}

// seed writes the data set and returns how many changes it made.
func seed(ctx context.Context, o seedOptions) (int64, error) {
	store, err := bolt.Open(o.db, bolt.Options{Now: func() time.Time { return o.now }})
	if err != nil {
		return 0, err
	}
	defer store.Close()

	var next, changes atomic.Int64
	var first error
	var once sync.Once
	var wg sync.WaitGroup
	for range o.writers {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= o.owners || ctx.Err() != nil {
					return
				}
				n, err := seedOne(ctx, store, o, i)
				changes.Add(n)
				if err != nil {
					once.Do(func() { first = err })
					next.Store(int64(o.owners))
					return
				}
			}
		})
	}
	wg.Wait()
	if first != nil {
		return changes.Load(), first
	}
	if err := ctx.Err(); err != nil {
		return changes.Load(), err
	}
	// Each owner's digest job, as the bot plans it on first use.
	sched := reminders.NewScheduler(store, nil, reminders.SchedulerOptions{Now: func() time.Time { return o.now }})
	all := make(map[reminders.OwnerID]reminders.Settings, o.owners)
	for i := range o.owners {
		all[seedOwner(i)] = seedSettings(i, o.now)
	}
	return changes.Load(), sched.ScheduleDigests(ctx, all)
}

// seedSettings are the i-th owner's settings as first use leaves them.
func seedSettings(i int, now time.Time) reminders.Settings {
	return reminders.Settings{TimeZone: seedZones[i%len(seedZones)], TZGuessed: true, TZNoted: true,
		Name: fmt.Sprintf("Owner %d", i), Created: now.AddDate(0, 0, -400), DM: fmt.Sprintf("D%09d", i)}
}

// seedOne writes one owner's settings and contacts.
func seedOne(ctx context.Context, store reminders.Store, o seedOptions, i int) (int64, error) {
	owner := seedOwner(i)
	set := seedSettings(i, o.now)
	var n int64
	err := store.Update(ctx, owner, reminders.Change{Now: set.Created}, func(tx reminders.OwnerTx) error {
		return tx.PutSettings(set)
	})
	if err != nil {
		return n, err
	}
	n++
	for c := range o.contacts {
		added := o.now.AddDate(0, 0, -300+c)
		err := store.Update(ctx, owner, reminders.Change{Key: fmt.Sprintf("req-%d-%d", i, c), Undo: "import", Now: added},
			func(tx reminders.OwnerTx) error {
				ct := reminders.Contact{
					Name: fmt.Sprintf("Contact %d of %d", c, i), Company: "Acme Corporation", Role: "VP Engineering",
					Email: fmt.Sprintf("person%d.%d@example.com", i, c), Tags: []string{"work", "berlin"},
					Note: "met at a conference, interested in platform teams", Added: added,
				}
				if err := tx.PutContact(&ct); err != nil {
					return err
				}
				for k := range o.interactions {
					at := added.AddDate(0, 0, 7*(k+1))
					in, err := reminders.NewInteraction(ct.ID, seedKinds[k%len(seedKinds)], at, at, "coffee and a long talk")
					if err != nil {
						return err
					}
					if err := tx.AddInteraction(&in); err != nil {
						return err
					}
					ct.Record(in)
				}
				return tx.PutContact(&ct)
			})
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
