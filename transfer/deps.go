package transfer

import _ "github.com/emersion/go-vcard" // placeholder until import lands
