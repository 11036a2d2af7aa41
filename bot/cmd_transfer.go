package bot

import (
	"fmt"
	"strings"

	"github.com/kith-bot/kith/bot/lang"
	"github.com/kith-bot/kith/reminders"
	"github.com/kith-bot/kith/transfer"
)

// MaxImportBytes bounds a file for import, however it arrives (a Slack
// download, a Discord attachment, a path in the console).
const MaxImportBytes = transfer.MaxImportBytes

// FileTooLarge is the error for a file over MaxImportBytes, named as the user knows it.
func FileTooLarge(name string) error { return transfer.TooLarge(name) }

// maxReasons bounds how many skipped rows an import reply explains.
const maxReasons = 5

// importFile brings contacts in from the attached file. Importing the same
// file twice merges into what is there and adds nothing, so the request key
// is recorded only after a successful import: a retried delivery then says
// it was already done, and a failed import is never taken for done.
func (b *Bot) importFile(c *call) (Message, error) {
	f := c.req.File
	if f == nil || len(f.Data) == 0 {
		return Message{}, reminders.Errorf(reminders.EINVALID, "attach the file to import (a LinkedIn Connections.csv, a vCard file or a kith export): on Discord attach it to %s import, on Slack share it with kith in a DM.", b.cmd)
	}
	rep, err := transfer.Import(c.ctx, b.store, c.owner, f.Name, f.Data, c.now)
	if err != nil {
		return Message{}, err
	}
	if err := b.claim(c); err != nil {
		return Message{}, err
	}
	if rep.SettingsImported {
		b.rescheduleStored(c.ctx, c.owner)
	}
	text := fmt.Sprintf("Imported %s: %s.", f.Name, rep)
	if len(rep.Reasons) > 0 {
		reasons := rep.Reasons
		if len(reasons) > maxReasons {
			reasons = append(reasons[:maxReasons:maxReasons], fmt.Sprintf("and %d more", len(rep.Reasons)-maxReasons))
		}
		text += " Skipped: " + strings.Join(reasons, "; ") + "."
	}
	if rep.Added > 0 {
		text += " undo takes the import back within 15 minutes."
	}
	return Message{Text: text}, nil
}

// exportFiles are the files of an export: CSV and JSON unless one format is asked for.
var exportFiles = map[string]File{
	transfer.JSON:  {Name: "kith-export.json", Type: "application/json"},
	transfer.CSV:   {Name: "kith-contacts.csv", Type: "text/csv"},
	transfer.VCard: {Name: "kith-contacts.vcf", Type: "text/vcard"},
}

// export replies with the owner's data as files; the adapter sends them to the owner's DMs.
func (b *Bot) export(c *call, p *lang.Parsed) (Message, error) {
	formats := []string{transfer.CSV, transfer.JSON}
	if p.Format != "" {
		formats = []string{p.Format}
	}
	m := Message{}
	var names []string
	for _, f := range formats {
		data, err := transfer.Export(c.ctx, b.store, c.owner, f)
		if err != nil {
			return Message{}, err
		}
		file := exportFiles[f]
		file.Data = data
		m.Files = append(m.Files, file)
		names = append(names, file.Name)
	}
	// Only the JSON file round-trips, so the reply says so only when it is there.
	m.Text = "Your kith data: " + strings.Join(names, " and ") + "."
	if p.Format == "" || p.Format == transfer.JSON {
		m.Text += " The JSON file holds everything and imports back with import."
	}
	return m, nil
}
