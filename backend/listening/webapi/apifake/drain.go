package apifake

import (
	"slices"
	"testing"

	"github.com/stormdesk/stormdesk/backend/listening"
)

// Drain calls Search until a page says no More (at most 100 pages),
// carrying the cursor along, and returns every mention, every deleted id,
// the number of pages and the final page. A mention delivered twice fails t.
func Drain(t testing.TB, src listening.Source, r listening.Request) (ms []listening.Mention, deleted []string, pages int, last listening.Page) {
	t.Helper()
	seen := map[string]bool{}
	for pages < 100 {
		p, err := src.Search(t.Context(), r)
		if err != nil {
			t.Fatalf("search page %d: %v", pages+1, err)
		}
		pages++
		for _, m := range p.Mentions {
			if seen[m.ExternalID] {
				t.Fatalf("page %d: %s delivered twice", pages, m.ExternalID)
			}
			seen[m.ExternalID] = true
		}
		ms = append(ms, p.Mentions...)
		deleted = append(deleted, p.Deleted...)
		r.Cursor, last = p.Cursor, p
		if !p.More {
			return ms, deleted, pages, last
		}
	}
	t.Fatalf("still More after %d pages", pages)
	return nil, nil, pages, last
}

// IDs are the external ids of ms, in order.
func IDs(ms []listening.Mention) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.ExternalID
	}
	return out
}

// CrashResume checks that a crash in the middle of a sweep loses and
// repeats nothing. It fetches and "stores" the first page (which must say
// More), lets arrive add posts (returning their ids), fetches the second
// page twice with the same cursor, as a poller whose first answer was lost
// in a crash does, and requires the same page both times; then it drains
// the sweep and the next poll. Every id of want and of the arrivals must be
// delivered exactly once.
func CrashResume(t testing.TB, src listening.Source, r listening.Request, want []string, arrive func() []string) {
	t.Helper()
	p1, err := src.Search(t.Context(), r)
	if err != nil || !p1.More {
		t.Fatalf("first page: more %v, err %v", p1.More, err)
	}
	late := arrive()
	r.Cursor = p1.Cursor
	lost, err := src.Search(t.Context(), r)
	if err != nil {
		t.Fatal(err)
	}
	p2, err := src.Search(t.Context(), r)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(IDs(lost.Mentions), IDs(p2.Mentions)) || lost.Cursor != p2.Cursor {
		t.Fatalf("the same cursor gave another page: %v, then %v", IDs(lost.Mentions), IDs(p2.Mentions))
	}
	got := append(IDs(p1.Mentions), IDs(p2.Mentions)...)
	r.Cursor = p2.Cursor
	for range 2 { // the rest of this sweep, then the next poll
		ms, _, _, last := Drain(t, src, r)
		got = append(got, IDs(ms)...)
		r.Cursor = last.Cursor
	}
	got, all := slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(append(slices.Clone(want), late...)))
	for i := 1; i < len(got); i++ {
		if got[i] == got[i-1] {
			t.Fatalf("%s delivered twice", got[i])
		}
	}
	if !slices.Equal(got, all) {
		t.Fatalf("delivered %d posts, want the %d posted, each once", len(got), len(all))
	}
}
