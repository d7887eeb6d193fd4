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

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/store"
)

// TestImportedAbsurdDatesNeverBreakAScreen stores rows dated before year 0,
// in year 0 and far in the future through the CSV and the JSON-lines import,
// then pages every view in both orders, searches and reads every thread, as
// the window would (it marshals every answer to JSON).
func TestImportedAbsurdDatesNeverBreakAScreen(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "x.db")
	csv := "id,brand,time,text\n" +
		"c1,Acme,-0001-06-01T00:00:00Z,zeitreise minus one\n" +
		"c2,Acme,0000-01-01T00:00:00Z,zeitreise year zero\n" +
		"c3,Acme,9999-12-31T23:59:59Z,zeitreise far future\n" +
		"c4,Acme,2026-01-02T10:00:00Z,zeitreise ordinary\n"
	jsonl := `{"id":"j1","account":"Beta","sent_at":"0000-01-01T00:00:00Z","text":"zeitreise json zero","html":"<p>hi<img src=\"https://tracker.example/p.gif\"></p>"}` + "\n" +
		`{"id":"j2","account":"Beta","sent_at":"2043-05-01T00:00:00Z","text":"zeitreise json future"}` + "\n" +
		`{"id":"j3","account":"Beta","text":"zeitreise json undated"}` + "\n"
	for name, body := range map[string]string{"a.csv": csv, "b.jsonl": jsonl} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		args := []string{"import", path, "--db", db}
		if strings.HasSuffix(name, ".csv") {
			args = append(args, "--account-column", "brand", "--time-column", "time")
		}
		if out, errOut, code := run(t, "", args...); code != ExitOK {
			t.Fatalf("import %s: exit %d\n%s\n%s", name, code, out, errOut)
		}
	}

	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	marshal := func(what string, v any) {
		t.Helper()
		if _, err := json.Marshal(v); err != nil {
			t.Fatalf("%s does not reach the window: %v", what, err)
		}
	}
	seen := map[int64]bool{}
	for _, order := range []store.Order{store.OrderNewest, store.OrderSLA} {
		for _, v := range []store.InboxQuery{{}, {Status: inbox.StatusOpen}, {Channel: inbox.ChannelImport}} {
			v.Order, v.Limit = order, 1
			for {
				pg, err := st.Conversations(ctx, v)
				if err != nil {
					t.Fatalf("%+v: %v", v, err)
				}
				marshal(fmt.Sprintf("page %+v", v), pg)
				for _, c := range pg.Items {
					seen[c.ID] = true
				}
				if pg.Next == "" {
					break
				}
				v.Cursor = pg.Next
			}
		}
	}
	if len(seen) != 7 {
		t.Fatalf("paging showed %d of 7 conversations", len(seen))
	}
	hits, err := st.Search(ctx, store.SearchQuery{Text: "zeitreise"})
	if err != nil {
		t.Fatal(err)
	}
	marshal("search", hits)
	if len(hits) != 7 {
		t.Fatalf("search found %d of 7", len(hits))
	}
	for id := range seen {
		msgs, err := st.Thread(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		marshal("thread", msgs)
		for _, m := range msgs {
			flagged := slices.Contains(m.Flags, inbox.FlagSuspiciousDate)
			if flagged != (m.ExternalID != "c4") {
				t.Errorf("%s: flags %v", m.ExternalID, m.Flags)
			}
			if m.SentAt.Year() < 1970 || m.SentAt.Year() > 9999 {
				t.Errorf("%s ordered at %v", m.ExternalID, m.SentAt)
			}
			if strings.Contains(m.HTML, "tracker.example") {
				t.Errorf("%s keeps a remote image: %q", m.ExternalID, m.HTML)
			}
		}
	}
}
