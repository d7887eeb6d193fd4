package channels

import (
	"unicode/utf8"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// MaxText is the longest text an item keeps, in bytes. The ingest pipeline
// cuts at the same size; connectors cut (and flag) an oversize text while
// mapping it, so a hostile message is small from the start.
const MaxText = 64 << 10

// CapText cuts s to MaxText bytes on a rune boundary. flags is
// [inbox.FlagTruncated] when it cut, nil otherwise.
func CapText(s string) (text string, flags []string) {
	if len(s) <= MaxText {
		return s, nil
	}
	return TruncateUTF8(s, MaxText), []string{inbox.FlagTruncated}
}

// TruncateUTF8 cuts s to at most n bytes without splitting a rune.
func TruncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
