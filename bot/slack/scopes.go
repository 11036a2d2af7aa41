package slack

// BotScopes are the bot scopes kith asks for when installed; the manifest in
// deploy/ lists the same (a test keeps them equal), with why each is needed.
var BotScopes = []string{
	"commands",
	"chat:write",
	"im:write",
	"im:history",
	"users:read",
	"files:read",
	"files:write",
}
