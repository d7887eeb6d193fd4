package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/store"
)

// searchFixture stores messages in Russian, German and English and returns
// the database path.
func searchFixture(t *testing.T, texts ...string) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "search.db")
	s, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	a, err := s.EnsureAccount(ctx, inbox.Account{Name: "acme-tg", Channel: inbox.ChannelTelegram})
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	var items []inbox.Item
	for i, text := range texts {
		items = append(items, inbox.Item{ExternalID: fmt.Sprint("m", i), ThreadKey: fmt.Sprint("th", i), Kind: inbox.KindDM,
			Direction: inbox.DirectionIn, Author: inbox.Author{ExternalID: fmt.Sprint("a", i), Handle: fmt.Sprint("@user", i)},
			Text: text, SentAt: t0.Add(time.Duration(i) * time.Minute)})
	}
	if _, err := s.SaveItems(ctx, a.ID, items); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestSearchCommand(t *testing.T) {
	db := searchFixture(t,
		"Счёт за интернет пришёл дважды",          // m0
		"Где мой счет? Нет интернета",             // m1
		"Wieder Verspätungen bei der Lieferung",   // m2
		"My refund was delayed, I paid by PayPal", // m3
		"Refunds please, the order is late",       // m4
	)
	jsonHits := func(t *testing.T, args ...string) []store.SearchHit {
		t.Helper()
		out, errOut, code := run(t, "", append([]string{"search", "--db", db, "--json"}, args...)...)
		if code != ExitOK {
			t.Fatalf("search %q: exit %d: %s", args, code, errOut)
		}
		var hits []store.SearchHit
		if err := json.Unmarshal([]byte(out), &hits); err != nil {
			t.Fatalf("search %q: %v in %s", args, err, out)
		}
		return hits
	}
	authors := func(hits []store.SearchHit) []string {
		out := []string{}
		for _, h := range hits {
			out = append(out, h.Author.Handle)
		}
		return out
	}
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"счет"}, []string{"@user1", "@user0"}},
		{[]string{"интернета"}, []string{"@user1", "@user0"}},
		{[]string{"Verspätung"}, []string{"@user2"}},
		{[]string{"refund"}, []string{"@user4", "@user3"}},
		{[]string{"refund -paypal"}, []string{"@user4"}},          // one argument
		{[]string{"--", "refund", "-paypal"}, []string{"@user4"}}, // words after --
		{[]string{`"refund was delayed"`}, []string{"@user3"}},    // exact phrase
		{[]string{`"refunds was delayed"`}, []string{}},           // not stemmed
		{[]string{"refund", "--limit", "1"}, []string{"@user4"}},  // flags after the query
		{[]string{"--channel", "mail", "refund"}, []string{}},     // channel filter
		{[]string{"--limit", "0", "интерн*"}, []string{"@user1", "@user0"}},
	}
	for _, tt := range tests {
		if got := authors(jsonHits(t, tt.args...)); !slices.Equal(got, tt.want) {
			t.Errorf("search %q = %v; want %v", tt.args, got, tt.want)
		}
	}
	// The JSON is the search box's hit, snippet marks included.
	hits := jsonHits(t, "интернет")
	if !strings.Contains(hits[0].Snippet, store.MatchStart+"интернета"+store.MatchEnd) || hits[0].Channel != inbox.ChannelTelegram {
		t.Errorf("hit %+v", hits[0])
	}

	// The table shows the snippet with its matches in brackets, one line per hit.
	out, errOut, code := run(t, "", "search", "--db", db, "Verspätungen")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.Contains(lines[1], "Wieder [Verspätungen] bei der Lieferung") ||
		!strings.Contains(lines[1], "@user2") || !strings.Contains(lines[1], "telegram") || lines[2] != "hits: 1" {
		t.Errorf("table output:\n%s", out)
	}

	for _, args := range [][]string{{"search", "--db", db}, {"search", "--db", db, "--channel", "fax", "x"}, {"search", "--db", db, "--limit", "-1", "x"}} {
		if _, errOut, code := run(t, "", args...); code != ExitUsage || !strings.Contains(errOut, "Query syntax") {
			t.Errorf("%q: exit %d, stderr %s; want usage with the query syntax", args, code, errOut)
		}
	}
}

// A read-only command never creates a database at a mistyped path and answers
// "no hits" from it: it fails and names the path, and the path stays absent.
func TestReadOnlyCommandsNeedAnExistingDatabase(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "typo.db")
	for _, args := range [][]string{
		{"search", "--db", missing, "счет"},
		{"stats", "--db", missing},
		{"report", "sla", "--db", missing, "--from", "2026-01-01", "--to", "2026-01-31"},
	} {
		_, errOut, code := run(t, "", args...)
		if code != ExitFailure || !strings.Contains(errOut, "no database at "+missing) {
			t.Errorf("%v: exit %d, stderr %q; want a failure naming the missing file", args, code, errOut)
		}
		if _, err := os.Stat(missing); !os.IsNotExist(err) {
			t.Fatalf("%v created %s", args, missing)
		}
	}
}
