// Package transfer moves an owner's contacts in and out of kith: it imports
// LinkedIn's Connections.csv, vCard files (Apple, Google, Outlook) and kith's
// own exports, and exports an owner's data as JSON, CSV or vCard.
//
// Import never guesses who is who: a row matches an existing contact by
// email, then URL, then name, and a match only fills fields that are empty,
// so importing the same file twice adds nothing.
package transfer
