package main

import (
	"flag"
	"fmt"
	"time"

	"github.com/kith-bot/kith/storage/bolt"
)

// runOpen opens a file as kith does, which upgrades an older schema, and
// reports how long that took and the file's size before and after.
func runOpen(args []string) error {
	fs := flag.NewFlagSet("open", flag.ContinueOnError)
	db := fs.String("db", "", "the bbolt file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *db == "" {
		return fmt.Errorf("open needs -db FILE")
	}
	before := size(*db)
	start := time.Now()
	s, err := bolt.Open(*db, bolt.Options{})
	if err != nil {
		return err
	}
	took := time.Since(start)
	if err := s.Close(); err != nil {
		return err
	}
	fmt.Printf("opened %s (schema %d) in %s; file %s -> %s\n", *db, bolt.SchemaVersion(), took.Round(time.Millisecond), mbBytes(before), mbBytes(size(*db)))
	return nil
}
