package slack

import _ "github.com/slack-go/slack" // placeholder until the adapter lands
