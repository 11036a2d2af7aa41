package discord

import _ "github.com/bwmarrin/discordgo" // placeholder until the adapter lands
