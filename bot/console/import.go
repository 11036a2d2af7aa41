package console

import (
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/kith-bot/kith/bot"
	"github.com/kith-bot/kith/reminders"
)

// importUsage is what `import` alone says in the console, where there is no
// attachment: the file is named by its path instead.
const importUsage = "Type import and the path of the file: a LinkedIn Connections.csv, a vCard file or a kith export, e.g. import ~/Downloads/Connections.csv."

// importRequest turns "import PATH" into the bot's import with the file
// attached, as Slack and Discord attach one. ok is false when text is not
// an import; a message with Error set is a file that cannot be read.
func (c *Console) importRequest(text string) (file *bot.File, fail bot.Message, ok bool) {
	verb, arg, _ := strings.Cut(text, " ")
	if !strings.EqualFold(verb, "import") {
		return nil, bot.Message{}, false
	}
	path := strings.Trim(strings.TrimSpace(arg), `"'`)
	if path == "" {
		return nil, bot.Message{Error: true, Text: importUsage}, true
	}
	if rest, found := strings.CutPrefix(path, "~/"); found {
		if home, err := os.UserHomeDir(); err == nil {
			path = filepath.Join(home, rest)
		}
	}
	if !filepath.IsAbs(path) && c.Dir != "" {
		path = filepath.Join(c.Dir, path)
	}
	data, err := readImport(path)
	if err != nil {
		return nil, bot.Failure(err), true
	}
	return &bot.File{Name: filepath.Base(path), Data: data}, bot.Message{}, true
}

// readImport reads a file to import, refusing what is not a readable file or is too big.
func readImport(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, reminders.Errorf(reminders.EINVALID, "there is no file %s; give the path of a Connections.csv, a vCard file or a kith export, e.g. import ~/Downloads/Connections.csv.", path)
		}
		return nil, reminders.Errorf(reminders.EINVALID, "cannot read %s (%v); give the path of a file you can read, e.g. import ~/Downloads/Connections.csv.", path, unwrapPath(err))
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return nil, reminders.Errorf(reminders.EINVALID, "%s is a folder; give the path of a file in it, e.g. import %s.", path, filepath.Join(path, "Connections.csv"))
	}
	data, err := io.ReadAll(io.LimitReader(f, bot.MaxImportBytes+1))
	if err != nil {
		return nil, reminders.Errorf(reminders.EINVALID, "cannot read %s (%v); give the path of a file you can read.", path, unwrapPath(err))
	}
	if len(data) > bot.MaxImportBytes {
		return nil, bot.FileTooLarge(path)
	}
	return data, nil
}

// unwrapPath drops the path from an *os.PathError, since the sentence already names it.
func unwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
