package channels

import (
	"fmt"
	"strings"
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

// CheckReply refuses a reply no platform would take: empty text, text of
// more than max characters (as length counts them: runes, graphemes), or
// without the idempotency key that keeps a retried send from going out twice.
// The platform is named as people spell it ("VK", "Bluesky").
func CheckReply(platform string, r Reply, length func(string) int, max int) error {
	if strings.TrimSpace(r.Text) == "" {
		return fmt.Errorf("%s reply: text is empty", platform)
	}
	if n := length(r.Text); n > max {
		return fmt.Errorf("%s reply: text has %d characters, %s allows %d", platform, n, platform, max)
	}
	if r.IdempotencyKey == "" {
		return fmt.Errorf("%s reply: idempotency key is required so a retry cannot send twice", platform)
	}
	return nil
}
