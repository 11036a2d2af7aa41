package lang

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kith-bot/kith/reminders"
)

// token is one word of a command: a plain word, a quoted phrase, a chat
// mention or a lone comma that followed a quote or mention.
type token struct {
	text    string // the word, the phrase inside quotes, or a mention's label
	raw     string // as typed, for putting free text back together
	quoted  bool
	mention string // the chat user id of a mention (<@U123> or <@U123|jane>)
}

// plain reports whether the token is an ordinary word, which alone may form
// part of a name run or a keyword.
func (t token) plain() bool { return !t.quoted && t.mention == "" }

// isQuote reports whether r opens or closes a quoted phrase; apostrophes are
// not quotes, so O'Brien stays one word.
func isQuote(r rune) bool { return r == '"' || r == '“' || r == '”' || r == '„' }

// tokenize splits a command into tokens; quotes group words into one token.
func tokenize(s string) ([]token, error) {
	var out []token
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r):
			i += size
		case isQuote(r):
			j := i + size
			end := -1
			for k, q := range s[j:] {
				if isQuote(q) {
					end = j + k
					break
				}
			}
			if end < 0 {
				return nil, reminders.Errorf(reminders.EINVALID, "a quote is not closed; put a name in a pair of quotes, e.g. met \"Jane Doe\" yesterday.")
			}
			inner := strings.Join(strings.Fields(s[j:end]), " ")
			if inner == "" {
				return nil, reminders.Errorf(reminders.EINVALID, "the quotes are empty; put a name between them, e.g. met \"Jane Doe\" yesterday.")
			}
			_, qs := utf8.DecodeRuneInString(s[end:])
			out = append(out, token{text: inner, raw: inner, quoted: true})
			i = end + qs
			i = trailingComma(s, i, &out)
		case r == '<' && strings.HasPrefix(s[i:], "<@"):
			end := strings.IndexByte(s[i:], '>')
			if end < 0 || strings.ContainsAny(s[i:i+end], " \t\n") {
				i = word(s, i, &out)
				continue
			}
			inner := s[i+2 : i+end]
			inner = strings.TrimPrefix(inner, "!") // Discord's nickname mention
			id, label, _ := strings.Cut(inner, "|")
			if id == "" {
				i = word(s, i, &out)
				continue
			}
			out = append(out, token{text: label, raw: s[i : i+end+1], mention: id})
			i += end + 1
			i = trailingComma(s, i, &out)
		default:
			i = word(s, i, &out)
		}
	}
	return out, nil
}

// word reads one plain word starting at i and returns where it ended.
func word(s string, i int, out *[]token) int {
	j := i
	for j < len(s) {
		r, size := utf8.DecodeRuneInString(s[j:])
		if unicode.IsSpace(r) {
			break
		}
		j += size
	}
	*out = append(*out, token{text: s[i:j], raw: s[i:j]})
	return j
}

// trailingComma turns a comma glued to a closing quote or mention into its own token.
func trailingComma(s string, i int, out *[]token) int {
	if i < len(s) && s[i] == ',' {
		*out = append(*out, token{text: ",", raw: ","})
		return i + 1
	}
	return i
}

// joinText puts tokens back together as free text; quoted phrases lose their quotes.
func joinText(ts []token) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = t.raw
	}
	s := strings.Join(parts, " ")
	return strings.ReplaceAll(s, " ,", ",")
}

// joinWords is the phrase a run of plain tokens spells, for name lookups.
func joinWords(ts []token) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = t.text
	}
	return strings.Join(parts, " ")
}

// lowerWords is the lower-case words of tokens, for keywords and dates.
func lowerWords(ts []token) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = strings.ToLower(t.text)
	}
	return out
}

// allPlain reports whether every token is an ordinary word.
func allPlain(ts []token) bool {
	for _, t := range ts {
		if !t.plain() {
			return false
		}
	}
	return true
}

// splitNote cuts a command at its first note colon: one outside quotes and
// mentions that is not inside a clock time like 10:30 or a URL like https://.
func splitNote(s string) (before, note string, found bool) {
	inQuote, inMention := false, false
	for i, r := range s {
		switch {
		case isQuote(r):
			inQuote = !inQuote
		case r == '<' && !inQuote && strings.HasPrefix(s[i:], "<@"):
			inMention = true
		case r == '>' && inMention:
			inMention = false
		case r == ':' && !inQuote && !inMention:
			prevDigit := i > 0 && s[i-1] >= '0' && s[i-1] <= '9'
			nextDigit := i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9'
			if (prevDigit && nextDigit) || strings.HasPrefix(s[i:], "://") {
				continue
			}
			return strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+1:]), true
		}
	}
	return s, "", false
}
