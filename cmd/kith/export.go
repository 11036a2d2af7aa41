package main

import (
	"bufio"
	"context"
	"flag"
	"io"
	"slices"

	"github.com/kith-bot/kith/reminders"
	"github.com/kith-bot/kith/transfer"
)

// exportOptions are the flags of kith export.
type exportOptions struct {
	owner  string
	format string
	out    string
}

var exportCommand = &command{
	name:     "export",
	synopsis: "kith export [--owner OWNER] [--format json|csv|vcard] [-o FILE]",
	summary:  "write one owner's data, or everything as JSON",
	help: `Writes one owner's contacts and history in the chosen format, or with no
--owner every owner's data as one JSON document (what kith import and a new
server can read back). Output goes to standard output unless -o is given;
the file is written whole or not at all. The server must be stopped.`,
	envs:  []string{"KITH_DB", "KITH_LOG_LEVEL"},
	quiet: true,
	flags: func(m *Main, fs *flag.FlagSet) {
		fs.StringVar(&m.exp.owner, "owner", "", "only this owner: slack:<team>:<user>, discord:<user> or console:<user>")
		fs.StringVar(&m.exp.format, "format", transfer.JSON, "json, csv or vcard (csv and vcard need --owner)")
		fs.StringVar(&m.exp.out, "o", "", "write to this file instead of standard output")
	},
	args: func(m *Main, args []string) error {
		if len(args) > 0 {
			return usageErrorf("kith export takes no FILE argument; use -o %s.", args[0])
		}
		if m.exp.owner != "" {
			if _, err := reminders.ParseOwnerID(m.exp.owner); err != nil {
				return usageErrorf("%s", userMessage(err))
			}
		}
		switch m.exp.format {
		case transfer.JSON, transfer.CSV, transfer.VCard, "vcf":
		default:
			return usageErrorf("%q is not an export format; use json, csv or vcard.", m.exp.format)
		}
		if m.exp.owner == "" && m.exp.format != transfer.JSON {
			return usageErrorf("--format %s exports one owner; add --owner, or drop --format to export everything as JSON.", m.exp.format)
		}
		return nil
	},
	run: (*Main).runExport,
}

// runExport writes the export.
func (m *Main) runExport(ctx context.Context) error {
	m.readAll = m.exp.owner == ""
	store, err := m.openExistingStore()
	if err != nil {
		return err
	}
	if m.exp.owner != "" {
		// An export of nobody is almost always a mistyped owner; an empty
		// file would hide that.
		owners, err := store.Owners(ctx)
		if err != nil {
			return err
		}
		if !slices.Contains(owners, reminders.OwnerID(m.exp.owner)) {
			return reminders.Errorf(reminders.ENOTFOUND, "there is no data for owner %s in %s; kith export with no --owner lists everyone's data.", m.exp.owner, displayDB(m.Config.DB))
		}
	}
	write := func(w io.Writer) error {
		if m.exp.owner == "" {
			return transfer.ExportAll(ctx, store, w)
		}
		data, err := transfer.Export(ctx, store, reminders.OwnerID(m.exp.owner), m.exp.format)
		if err != nil {
			return err
		}
		_, err = w.Write(data)
		return err
	}
	if m.exp.out == "" {
		bw := bufio.NewWriter(m.Stdout)
		if err := write(bw); err != nil {
			return err
		}
		return bw.Flush()
	}
	return writeFileAtomic(m.exp.out, write)
}
