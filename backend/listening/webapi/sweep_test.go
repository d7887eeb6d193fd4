package webapi

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/listening"
)

var (
	t0         = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	testCaller = &Caller{Platform: "test", Now: func() time.Time { return t0 }}
)

// listing is a platform's newest-first result list for one query, paged by
// offset like Bluesky's cursor; posts may be added between calls.
type listing struct{ posts []listening.Mention }

func (l *listing) add(id string, at time.Time) {
	l.posts = append([]listening.Mention{{ExternalID: id, Published: at}}, l.posts...)
	slices.SortStableFunc(l.posts, func(a, b listening.Mention) int { return b.Published.Compare(a.Published) })
}

func (l *listing) page(next string, size int) Listing {
	off, _ := strconv.Atoi(next)
	end := min(len(l.posts), off+size)
	out := Listing{Mentions: slices.Clone(l.posts[off:end]), Full: end-off == size, Limits: listening.Limits{Remaining: -1}}
	if end < len(l.posts) {
		out.Next = strconv.Itoa(end)
	}
	return out
}

func run(t *testing.T, r listening.Request, lists map[string]*listing, keys ...string) listening.Page {
	t.Helper()
	p, err := testCaller.Run(t.Context(), r, keys, func(_ context.Context, key, next string, _ time.Time) (Listing, error) {
		return lists[key].page(next, 2), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func ids(p listening.Page) []string {
	var out []string
	for _, m := range p.Mentions {
		out = append(out, m.ExternalID)
	}
	return out
}

func TestSameSecondPostsAtTheMarkAreNotLostOrRepeated(t *testing.T) {
	a := &listing{}
	a.add("1", t0)
	a.add("2", t0)
	lists := map[string]*listing{"a": a}
	p := run(t, listening.Request{}, lists, "a")
	if !slices.Equal(ids(p), []string{"1", "2"}) && !slices.Equal(ids(p), []string{"2", "1"}) {
		t.Fatalf("first %v", ids(p))
	}
	a.add("3", t0) // same second as the mark, arrived later
	p = run(t, listening.Request{Cursor: p.Cursor}, lists, "a")
	if !slices.Equal(ids(p), []string{"3"}) {
		t.Fatalf("second %v, want only the new post of the same second", ids(p))
	}
}

// A post dated years ahead (a broken clock) tops the listing until its
// date: delivered once, it must not become the mark, under which every post
// written until then would count as delivered.
func TestFutureDatedPostIsNotTheMark(t *testing.T) {
	a := &listing{}
	a.add("old", t0.Add(-time.Hour))
	a.add("future", t0.AddDate(5, 0, 0))
	a.add("1", t0)
	lists := map[string]*listing{"a": a}
	var got []string
	r := listening.Request{}
	for _, post := range []string{"2", "3", ""} {
		for {
			p := run(t, r, lists, "a")
			got = append(got, ids(p)...)
			r.Cursor = p.Cursor
			if !p.More {
				break
			}
		}
		if post != "" {
			a.add(post, t0.Add(time.Minute))
		}
	}
	slices.Sort(got)
	if want := []string{"1", "2", "3", "future", "old"}; !slices.Equal(got, want) {
		t.Fatalf("delivered %v, want each of %v once", got, want)
	}
}

func TestOffsetShiftDuringSweepRepeatsNothing(t *testing.T) {
	a := &listing{}
	for i, id := range []string{"1", "2", "3", "4", "5"} {
		a.add(id, t0.Add(time.Duration(i)*time.Minute))
	}
	lists := map[string]*listing{"a": a}
	p := run(t, listening.Request{}, lists, "a") // 5, 4
	a.add("6", t0.Add(time.Hour))                // shifts offsets by one
	var all []string
	all = append(all, ids(p)...)
	for p.More {
		p = run(t, listening.Request{Cursor: p.Cursor}, lists, "a")
		all = append(all, ids(p)...)
	}
	p = run(t, listening.Request{Cursor: p.Cursor}, lists, "a")
	all = append(all, ids(p)...)
	slices.Sort(all)
	if !slices.Equal(all, []string{"1", "2", "3", "4", "5", "6"}) {
		t.Fatalf("delivered %v", all)
	}
}

func TestAddedQueryStartsAtSinceAndRemovedOneIsDropped(t *testing.T) {
	a, b := &listing{}, &listing{}
	a.add("a1", t0)
	b.add("b-old", t0.Add(-2*time.Hour))
	b.add("b1", t0)
	lists := map[string]*listing{"a": a, "b": b}
	r := listening.Request{Since: t0.Add(-time.Hour)}
	p := run(t, r, lists, "a")
	a.add("a2", t0.Add(time.Minute))
	r.Cursor = p.Cursor
	p = run(t, r, lists, "a", "b")
	if got := ids(p); !slices.Equal(got, []string{"a2", "b1"}) {
		t.Fatalf("got %v: a continues, b starts at Since", got)
	}
	r.Cursor = p.Cursor
	p = run(t, r, lists, "b")
	var cur Cursor
	if err := jsonDecode(p.Cursor, &cur); err != nil || cur["a"] != nil || cur["b"] == nil {
		t.Fatalf("cursor %s", p.Cursor)
	}
}

func TestOnePostFoundByTwoQueriesOnce(t *testing.T) {
	a, b := &listing{}, &listing{}
	a.add("x", t0)
	b.add("x", t0)
	b.add("y", t0)
	p := run(t, listening.Request{}, map[string]*listing{"a": a, "b": b}, "a", "b")
	if got := ids(p); len(got) != 2 {
		t.Fatalf("got %v", got)
	}
}

func TestErrorKeepsTheCursor(t *testing.T) {
	boom := errors.New("boom")
	_, err := testCaller.Run(t.Context(), listening.Request{Cursor: `{"a":{"mark":{"at":"2026-11-20T09:00:00Z"}}}`}, []string{"a"},
		func(context.Context, string, string, time.Time) (Listing, error) { return Listing{}, boom })
	if !errors.Is(err, boom) {
		t.Fatalf("err %v", err)
	}
	if _, err := testCaller.Run(t.Context(), listening.Request{Cursor: "{"}, []string{"a"}, nil); err == nil {
		t.Fatal("damaged cursor accepted")
	}
}

func TestLimitsKeepTheTightest(t *testing.T) {
	l := tighter(listening.Limits{Remaining: -1}, listening.Limits{Remaining: 7, Reset: t0})
	l = tighter(l, listening.Limits{Remaining: 3, Reset: t0.Add(-time.Minute)})
	l = tighter(l, listening.Limits{Remaining: -1, NextPoll: t0.Add(time.Hour)})
	if l.Remaining != 3 || !l.Reset.Equal(t0) || !l.NextPoll.Equal(t0.Add(time.Hour)) {
		t.Fatalf("%+v", l)
	}
	if got := Limits("0.0", t0); got.Remaining != 0 || !got.NextPoll.Equal(t0) {
		t.Fatalf("spent window %+v", got)
	}
	if got := Limits("", t0); got.Remaining != -1 || !got.NextPoll.IsZero() {
		t.Fatalf("unknown %+v", got)
	}
}

func jsonDecode(s string, v any) error { return json.Unmarshal([]byte(s), v) }

// With more queries than the window allows, a rate limit mid-round keeps
// what the earlier queries found and the later ones' positions.
func TestRateLimitMidRoundKeepsProgress(t *testing.T) {
	a, b := &listing{}, &listing{}
	a.add("a1", t0)
	b.add("b1", t0)
	calls := 0
	list := func(_ context.Context, key, next string, _ time.Time) (Listing, error) {
		calls++
		if key == "b" && calls < 4 {
			return Listing{}, &channels.RateLimitError{RetryAfter: time.Minute}
		}
		return map[string]*listing{"a": a, "b": b}[key].page(next, 2), nil
	}
	p, err := testCaller.Run(t.Context(), listening.Request{}, []string{"a", "b"}, list)
	if err != nil || !slices.Equal(ids(p), []string{"a1"}) || p.More || !p.Limits.NextPoll.Equal(t0.Add(time.Minute)) || p.Limits.Remaining != 0 {
		t.Fatalf("page %v %+v err %v", ids(p), p.Limits, err)
	}
	a.add("a2", t0.Add(time.Second))
	p, err = testCaller.Run(t.Context(), listening.Request{Cursor: p.Cursor}, []string{"a", "b"}, list)
	if err != nil || !slices.Equal(ids(p), []string{"a2", "b1"}) {
		t.Fatalf("next round %v err %v", ids(p), err)
	}
	// A rate limit on the first query is the call's error.
	_, err = testCaller.Run(t.Context(), listening.Request{}, []string{"b"}, func(context.Context, string, string, time.Time) (Listing, error) {
		return Listing{}, &channels.RateLimitError{RetryAfter: time.Minute}
	})
	var rl *channels.RateLimitError
	if !errors.As(err, &rl) {
		t.Fatalf("err %v", err)
	}
}

// FuzzSweep drives sweeps over an offset-paged listing (the hardest kind)
// with posts sharing seconds, new posts arriving between pages and posts
// dated years ahead, and
// requires every post delivered exactly once within two polls after the
// last arrival. Damaged cursors must be an error, never a panic.
func FuzzSweep(f *testing.F) {
	f.Add([]byte{3, 1, 1, 1, 2, 2, 9, 0, 4, 4}, uint8(2))
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 0}, uint8(1))
	f.Add([]byte{5, 200, 3, 3, 3, 3, 3, 7, 7, 7}, uint8(3))
	f.Add([]byte{1, 15, 2, 31, 4, 0, 15, 5, 8, 47}, uint8(2))
	f.Fuzz(func(t *testing.T, script []byte, size uint8) {
		if len(script) > 200 {
			return
		}
		pageSize := int(size%5) + 1
		l := &listing{}
		newest, n := t0, 0
		post := func(step byte) {
			n++
			if step%16 == 15 { // a broken clock's post, years ahead
				l.add(strconv.Itoa(n), t0.AddDate(5, 0, int(step)))
				return
			}
			newest = newest.Add(time.Duration(step%3) * time.Second) // 0: the same second again
			l.add(strconv.Itoa(n), newest)
		}
		list := func(_ context.Context, _, next string, _ time.Time) (Listing, error) {
			return l.page(next, pageSize), nil
		}
		got := map[string]int{}
		r := listening.Request{}
		for i, b := range script {
			if b%4 == 0 || i == 0 { // a poll, page by page
				p, err := testCaller.Run(t.Context(), r, []string{"q"}, list)
				if err != nil {
					t.Fatal(err)
				}
				for _, m := range p.Mentions {
					got[m.ExternalID]++
				}
				r.Cursor = p.Cursor
			}
			post(b)
		}
		for polls := 0; polls < 2; {
			p, err := testCaller.Run(t.Context(), r, []string{"q"}, list)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range p.Mentions {
				got[m.ExternalID]++
			}
			r.Cursor = p.Cursor
			if !p.More {
				polls++
			}
		}
		for i := 1; i <= n; i++ {
			if c := got[strconv.Itoa(i)]; c != 1 {
				t.Fatalf("post %d delivered %d times (page size %d, %d posts)", i, c, pageSize, n)
			}
		}
		_, _ = testCaller.Run(t.Context(), listening.Request{Cursor: string(script)}, []string{"q"}, list) // any cursor: an error at worst
	})
}
