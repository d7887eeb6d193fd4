package whatsapp_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stormdesk/stormdesk/backend/channels/whatsapp"
)

func TestFailureReason(t *testing.T) {
	cases := []struct {
		code int
		want string
	}{
		{131047, "window-closed"},
		{131026, "undeliverable"},
		{131049, "ecosystem-limit"},
		{130429, "rate-limited"},
		{131056, "rate-limited"},
		{135000, ""}, // generic user error: Meta's own words are shown
		{0, ""},
	}
	for _, tc := range cases {
		if got := whatsapp.FailureReason(tc.code); got != tc.want {
			t.Errorf("FailureReason(%d) = %q, want %q", tc.code, got, tc.want)
		}
	}
}

// Every reason the backend may send is worded in English, Russian and
// German: a reason without a string would show the person nothing.
func TestFailureReasonsAreWordedInEveryLanguage(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "..", "..", "frontend", "src", "lib", "i18n.delivery.ts"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(src)
	for _, r := range whatsapp.FailureReasons() {
		if n := strings.Count(text, "'delivery.reason."+r+"':"); n != 3 {
			t.Errorf("reason %q is worded %d times in i18n.delivery.ts, want 3 (EN, RU, DE)", r, n)
		}
	}
}
