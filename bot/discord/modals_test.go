package discord_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/kith-bot/kith/bot"
	"github.com/kith-bot/kith/bot/discord"
	"github.com/kith-bot/kith/reminders"
)

// Every command is registered in one bulk overwrite, installable to a guild
// and a user and usable in guilds, the bot's DM and private channels; the
// time zone option autocompletes.
func TestRegistrationIsInstallableEverywhere(t *testing.T) {
	t.Parallel()
	e := setup(t, newRecorder(), func(c *discord.Config) { c.Gateway = false })
	e.run(t)
	var cmds []map[string]any
	e.f.Await(t, "PUT", "applications/app-1/commands").JSON(t, &cmds)
	if n := e.f.Count("PUT", "applications/"); n != 1 {
		t.Errorf("%d registrations, want one bulk overwrite", n)
	}
	var got []string
	for _, c := range cmds {
		got = append(got, c["name"].(string)+"/"+jsonOf(c["type"]))
		if it, cx := jsonOf(c["integration_types"]), jsonOf(c["contexts"]); it != "[0,1]" || cx != "[0,1,2]" {
			t.Errorf("%v: integration_types %s, contexts %s", c["name"], it, cx)
		}
	}
	want := []string{"kith/1", discord.UserCommandAddContact + "/2", discord.MessageCommandLogMeeting + "/3"}
	if !slices.Equal(got, want) {
		t.Fatalf("registered %v, want %v", got, want)
	}
	var tz map[string]any
	for _, sub := range cmds[0]["options"].([]any) {
		if s := sub.(map[string]any); s["name"] == "settings" {
			for _, o := range s["options"].([]any) {
				if o.(map[string]any)["name"] == "tz" {
					tz = o.(map[string]any)
				}
			}
		}
	}
	if tz == nil || tz["autocomplete"] != true {
		t.Errorf("settings tz %v, want autocomplete", tz)
	}
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// modalJSON is a modal response as it goes on the wire.
type modalJSON struct {
	Type discordgo.InteractionResponseType `json:"type"`
	Data struct {
		CustomID   string `json:"custom_id"`
		Title      string `json:"title"`
		Components []struct {
			Type       int `json:"type"`
			Components []struct {
				Type     int    `json:"type"`
				CustomID string `json:"custom_id"`
				Label    string `json:"label"`
				Style    int    `json:"style"`
				Value    string `json:"value"`
				Required bool   `json:"required"`
			} `json:"components"`
		} `json:"components"`
	} `json:"data"`
}

// values maps each text input of a modal to its pre-filled value.
func (m modalJSON) values(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, row := range m.Data.Components {
		if row.Type != int(discordgo.ActionsRowComponent) || len(row.Components) != 1 || row.Components[0].Type != int(discordgo.TextInputComponent) {
			t.Fatalf("a modal row that is not one text input: %+v", row)
		}
		out[row.Components[0].CustomID] = row.Components[0].Value
	}
	return out
}

// sayRaw sends i to kith and returns its first response as raw JSON.
func (e *env) sayRaw(t *testing.T, i *discordgo.Interaction) []byte {
	t.Helper()
	return e.sayJSON(t, i.ID, mustJSON(t, i))
}

// sayJSON sends the interaction id, as JSON, to kith and returns its first response.
func (e *env) sayJSON(t *testing.T, id string, body []byte) []byte {
	t.Helper()
	if e.route != nil {
		code, resp := e.route.post(t, body, e.route.priv, now)
		if code != 200 {
			t.Fatalf("POST /discord/interactions: %d %s", code, resp)
		}
		return resp
	}
	if err := e.f.write("INTERACTION_CREATE", json.RawMessage(body)); err != nil {
		t.Fatal(err)
	}
	return e.f.Await(t, "POST", "interactions/"+id+"/").Body
}

// openModal sends a context-menu command and decodes the modal it opens.
func (e *env) openModal(t *testing.T, i *discordgo.Interaction) modalJSON {
	t.Helper()
	var m modalJSON
	if err := json.Unmarshal(e.sayRaw(t, i), &m); err != nil {
		t.Fatal(err)
	}
	if m.Type != discordgo.InteractionResponseModal {
		t.Fatalf("answered with type %d, want a modal (9)", m.Type)
	}
	return m
}

// userCommand is "Add to kith" on target, sent by user in the test guild.
func userCommand(user string, target *discordgo.User, nick string) *discordgo.Interaction {
	return inGuild(&discordgo.Interaction{
		ID: nextID(), AppID: "app-1", Type: discordgo.InteractionApplicationCommand, Token: "itoken-user", Version: 1,
		Data: discordgo.ApplicationCommandInteractionData{ID: "cmd-2", Name: discord.UserCommandAddContact, CommandType: discordgo.UserApplicationCommand,
			TargetID: target.ID, Resolved: &discordgo.ApplicationCommandInteractionDataResolved{
				Users:   map[string]*discordgo.User{target.ID: target},
				Members: map[string]*discordgo.Member{target.ID: {Nick: nick}},
			}},
	}, user, 0)
}

// messageCommand is "Log meeting" on a message, sent by user in a DM (a user-installed app).
func messageCommand(user string, author *discordgo.User, content string) *discordgo.Interaction {
	return inDM(&discordgo.Interaction{
		ID: nextID(), AppID: "app-1", Type: discordgo.InteractionApplicationCommand, Token: "itoken-msg", Version: 1,
		Data: discordgo.ApplicationCommandInteractionData{ID: "cmd-3", Name: discord.MessageCommandLogMeeting, CommandType: discordgo.MessageApplicationCommand,
			TargetID: "msg-1", Resolved: &discordgo.ApplicationCommandInteractionDataResolved{
				Messages: map[string]*discordgo.Message{"msg-1": {ID: "msg-1", Author: author, Content: content}},
			}},
	}, user)
}

// submission is a modal submitted by user in a DM, as JSON: discordgo does
// not marshal a submission's components, so they are written here as
// Discord sends them.
type submission struct {
	id   string
	body []byte
}

func submitModal(t *testing.T, user, customID string, values map[string]string) submission {
	t.Helper()
	var rows []any
	for id, v := range values {
		rows = append(rows, map[string]any{"type": 1, "components": []any{map[string]any{"type": 4, "custom_id": id, "value": v}}})
	}
	i := inDM(&discordgo.Interaction{ID: nextID(), AppID: "app-1", Type: discordgo.InteractionModalSubmit, Token: "itoken-modal", Version: 1}, user)
	var raw map[string]any
	if err := json.Unmarshal(mustJSON(t, i), &raw); err != nil {
		t.Fatal(err)
	}
	raw["data"] = map[string]any{"custom_id": customID, "components": rows}
	return submission{id: i.ID, body: mustJSON(t, raw)}
}

// submit sends a submission and decodes the reply.
func (e *env) submit(t *testing.T, s submission) response {
	t.Helper()
	return callbackOf(t, e.sayJSON(t, s.id, s.body))
}

// contacts reads a Discord user's contacts.
func contacts(t *testing.T, st reminders.Store, user string) []reminders.Contact {
	t.Helper()
	var cs []reminders.Contact
	err := st.View(t.Context(), discordOwner(user).ID(), func(tx reminders.OwnerTx) error {
		var err error
		cs, err = tx.Contacts()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func TestContextMenusOpenModalsThatStoreOnce(t *testing.T) {
	t.Parallel()
	for _, http := range []bool{false, true} {
		name := "gateway"
		if http {
			name = "http"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e, _ := botEnv(t, http)
			bobUser := &discordgo.User{ID: bob, Username: "bob", GlobalName: "Bob Lee"}

			m := e.openModal(t, userCommand(alice, bobUser, "Bobby"))
			vals := m.values(t)
			if m.Data.Title != "Add a contact" || !strings.HasPrefix(m.Data.CustomID, "k1|modal|"+bot.ModalAddContact+"|") || vals[bot.InputName] != "Bobby" || len(vals) != 5 {
				t.Fatalf("Add to kith opened %+v", m)
			}

			// A wrong cadence: one private reply naming the input, nothing stored.
			bad := e.submit(t, submitModal(t, alice, m.Data.CustomID, map[string]string{bot.InputName: "Bobby", bot.InputEvery: "sometimes"}))
			if bad.Data.Flags != int(discordgo.MessageFlagsEphemeral) || !strings.Contains(bad.Data.text(), "How often to keep in touch") || !strings.Contains(bad.Data.text(), "not a cadence") {
				t.Fatalf("invalid submission answered %+v", bad)
			}
			if cs := contacts(t, e.store, alice); len(cs) != 0 {
				t.Fatalf("an invalid submission stored %+v", cs)
			}
			// Try again reopens the form as it was submitted; only its owner may.
			if len(bad.Data.Components) != 1 || bad.Data.Components[0].Components[0].Label != "Try again" {
				t.Fatalf("no Try again button: %+v", bad.Data.Components)
			}
			retry := bad.Data.Components[0].Components[0].CustomID
			if r := callbackOf(t, e.sayRaw(t, inDM(click(retry), bob))); !strings.Contains(r.Data.text(), "someone else") {
				t.Fatalf("Bob's click on Alice's Try again answered %+v", r)
			}
			m = e.openModal(t, inDM(click(retry), alice))
			if v := m.values(t); v[bot.InputName] != "Bobby" || v[bot.InputEvery] != "sometimes" || !strings.HasPrefix(m.Data.CustomID, "k1|modal|"+bot.ModalAddContact+"|") {
				t.Fatalf("Try again opened %+v", m)
			}

			sub := submitModal(t, alice, m.Data.CustomID, map[string]string{bot.InputName: "Bobby", bot.InputEvery: "2w", bot.InputTags: "#rowing"})
			if r := e.submit(t, sub); !strings.Contains(r.Data.Content, "Added **Bobby**") {
				t.Fatalf("submission answered %+v", r)
			}
			if r := e.submit(t, sub); !strings.Contains(r.Data.Content, "Already done") { // the same interaction again
				t.Fatalf("repeated submission answered %+v", r)
			}
			cs := contacts(t, e.store, alice)
			if len(cs) != 1 || cs[0].Name != "Bobby" || cs[0].Mention != bob || cs[0].Cadence.String() != "biweekly" {
				t.Fatalf("contacts %+v", cs)
			}

			// Adding Bob again is refused before the form opens.
			again := callbackOf(t, e.sayRaw(t, userCommand(alice, bobUser, "Bobby")))
			if again.Type != discordgo.InteractionResponseChannelMessageWithSource || !strings.Contains(again.Data.Content, "Bobby is already your contact") {
				t.Fatalf("Add to kith on a contact answered %+v", again)
			}

			// Log meeting on Bob's message finds him by his mention; the message is the note.
			m = e.openModal(t, messageCommand(alice, bobUser, "Thanks for lunch!"))
			vals = m.values(t)
			if vals[bot.InputNames] != "Bobby" || vals[bot.InputNote] != "Thanks for lunch!" || m.Data.Title != "Log a meeting" {
				t.Fatalf("Log meeting opened %+v", m)
			}
			r := e.submit(t, submitModal(t, alice, m.Data.CustomID, map[string]string{bot.InputNames: "Bobby", bot.InputWhen: "yesterday", bot.InputNote: vals[bot.InputNote]}))
			if !strings.Contains(r.Data.Content, "met") || strings.Contains(r.Data.Content, "Added") {
				t.Fatalf("meeting answered %+v", r)
			}
			if h := history(t, e.store, alice, "Bobby"); h[reminders.Met] != 1 {
				t.Fatalf("history %v", h)
			}
		})
	}
}

func callbackOf(t *testing.T, body []byte) response {
	t.Helper()
	var r response
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatalf("response %s: %v", body, err)
	}
	return r
}

// settings tz suggests IANA zones as they are typed.
func TestTimeZoneAutocomplete(t *testing.T) {
	t.Parallel()
	e, _ := botEnv(t, true)
	i := command("settings", str("tz", "berl"))
	i.Type = discordgo.InteractionApplicationCommandAutocomplete
	i.Data.(discordgo.ApplicationCommandInteractionData).Options[0].Options[0].Focused = true
	var resp struct {
		Type int `json:"type"`
		Data struct {
			Choices []struct{ Name, Value string } `json:"choices"`
		} `json:"data"`
	}
	if err := json.Unmarshal(e.sayRaw(t, inDM(i, alice)), &resp); err != nil {
		t.Fatal(err)
	}
	if resp.Type != int(discordgo.InteractionApplicationCommandAutocompleteResult) || len(resp.Data.Choices) == 0 || resp.Data.Choices[0].Value != "Europe/Berlin" {
		t.Fatalf("autocomplete %+v", resp)
	}
}
