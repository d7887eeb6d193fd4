package webbridge

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// DraftService streams "draft text" to the page that called it, as the
// composer does, and then announces a change to everyone.
type DraftService struct {
	b    *Bridge
	page string // the calling page (ServicesFor's page)
}

func (s *DraftService) Draft(text string) {
	ctx := WithPage(context.Background(), s.page)
	s.b.EmitLocal(ctx, "compose:delta", text)
	s.b.Emit(ctx, "inbox:changed", text)
}

// TestTeamPageLocalEventsReachOnlyTheCallingPage: on the team server, the
// page-local events of a call (PageHeader) go to the event streams of the
// page that made it, not to the other pages of the instance (another
// member's, or the same member's second tab); the events every page needs
// still reach all of them; a call without a page id, or with one that is not
// an id, reaches every page as before.
func TestTeamPageLocalEventsReachOnlyTheCallingPage(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	auth := &switchable{disabled: map[string]bool{}}
	b := New([]any{&DraftService{}}, nil, nil)
	b.UseJournal(&memJournal{})
	tm := b.Team(TeamOptions{
		Auth:        auth,
		ServicesFor: func(_ Member, page string) []any { return []any{&DraftService{b: b, page: page}} },
	})
	srv := httptest.NewServer(tm)
	t.Cleanup(func() { tm.Close(); srv.Close() })

	client := func(tok string) *http.Client {
		c := srv.Client()
		c.Transport = bearer{token: tok, next: http.DefaultTransport}
		return c
	}
	stream := func(tok, page string) sseReader {
		return openEvents(t, ctx, client(tok), srv.URL+"/bridge/events?since=0&page="+page, "")
	}
	ann1, ann2, ada := stream("ann", "page-ann-1"), stream("ann", "page-ann-2"), stream("ada", "page-ada")
	draft := func(tok, page, text string) {
		t.Helper()
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/bridge/call/DraftService/Draft", strings.NewReader(`["`+text+`"]`))
		req.Header.Set("Content-Type", "application/json")
		if page != "" {
			req.Header.Set(PageHeader, page)
		}
		res, err := client(tok).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("Draft from %s on %q: HTTP %d", tok, page, res.StatusCode)
		}
	}
	// expect reads a page's next events: the delta (when it is the caller's)
	// and then the change everyone gets.
	expect := func(name string, page sseReader, text string, delta bool) {
		t.Helper()
		if delta {
			if id, data := page.next(t); id != "" || data != `{"name":"compose:delta","data":["`+text+`"]}` {
				t.Fatalf("%s: got id %q %s; want the delta %q", name, id, data, text)
			}
		}
		if _, data := page.next(t); data != `{"name":"inbox:changed","data":["`+text+`"]}` {
			t.Fatalf("%s: got %s; want inbox:changed %q (and no other page's delta before it)", name, data, text)
		}
	}

	draft("ann", "page-ann-1", "one")
	expect("ann's first tab", ann1, "one", true)
	expect("ann's second tab", ann2, "one", false)
	expect("ada", ada, "one", false)

	draft("ada", "page-ada", "two")
	expect("ann's first tab", ann1, "two", false)
	expect("ann's second tab", ann2, "two", false)
	expect("ada", ada, "two", true)

	// No page id (an older page), or a value that is no id: every page, as before.
	for _, page := range []string{"", "not an id; drop table"} {
		draft("ann", page, "three")
		expect("ann's first tab", ann1, "three", true)
		expect("ann's second tab", ann2, "three", true)
		expect("ada", ada, "three", true)
	}
}
