package ingest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// pagedSource serves a fixed list of items in pages addressed by a numeric
// cursor, and can fail once at a given page, like a connection dropped mid-sync.
type pagedSource struct {
	items    []inbox.Item
	pageSize int
	failAt   int // page index that fails once; -1 never
	calls    []string
}

func (s *pagedSource) Kind() inbox.ChannelKind    { return inbox.ChannelMail }
func (s *pagedSource) Test(context.Context) error { return nil }
func (s *pagedSource) Limits() channels.Limits    { return channels.Limits{} }
func (s *pagedSource) Reply(context.Context, channels.Reply) (channels.Sent, error) {
	return channels.Sent{}, errors.New("not used")
}

func (s *pagedSource) Fetch(_ context.Context, cursor string) (channels.Batch, error) {
	s.calls = append(s.calls, cursor)
	from := 0
	if cursor != "" {
		fmt.Sscan(cursor, &from)
	}
	if from/s.pageSize == s.failAt {
		s.failAt = -1
		return channels.Batch{}, errors.New("connection reset by peer")
	}
	to := min(from+s.pageSize, len(s.items))
	return channels.Batch{Items: s.items[from:to], Cursor: fmt.Sprint(to), More: to < len(s.items), Skipped: 1}, nil
}

func mailItem(i int, refs ...string) inbox.Item {
	return inbox.Item{ExternalID: fmt.Sprintf("<m%d@x>", i), ThreadKey: fmt.Sprintf("<m%d@x>", i), Kind: inbox.KindMail,
		Subject: "s", Text: fmt.Sprint("body ", i), SentAt: testNow.Add(time.Duration(i-100) * time.Minute), References: refs}
}

func TestSyncResumesAfterDropWithoutLossOrDuplicates(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	p := New(st, nil).WithClock(func() time.Time { return testNow })
	var items []inbox.Item
	for i := range 25 {
		items = append(items, mailItem(i))
	}
	src := &pagedSource{items: items, pageSize: 10, failAt: 1}
	acc := inbox.Account{Channel: inbox.ChannelMail, Name: "acme-mail"}

	var seen []Progress
	_, err := p.Sync(ctx, st, acc, src, func(pr Progress) { seen = append(seen, pr) })
	if err == nil {
		t.Fatal("want the dropped connection's error")
	}
	a, _ := st.AccountByName(ctx, "acme-mail")
	state, _ := st.SyncStateOf(ctx, a.ID)
	if state.Cursor != "10" || state.LastError == "" {
		t.Fatalf("after the drop: state %+v; want cursor 10 and the error recorded", state)
	}
	res, err := p.Sync(ctx, st, acc, src, func(pr Progress) { seen = append(seen, pr) })
	if err != nil {
		t.Fatal(err)
	}
	if res.Inserted != 15 || res.Duplicates != 0 {
		t.Fatalf("resume stored %+v; want the 15 missing messages", res)
	}
	stats, _ := st.Stats(ctx)
	state, _ = st.SyncStateOf(ctx, a.ID)
	if stats.Messages != 25 || state.Cursor != "25" || state.LastError != "" || state.Fetched != 25 || state.Skipped != 3 {
		t.Fatalf("messages %d, state %+v", stats.Messages, state)
	}
	if want := []string{"", "10", "10", "20"}; fmt.Sprint(src.calls) != fmt.Sprint(want) {
		t.Errorf("fetch cursors %v, want %v", src.calls, want)
	}
	if last := seen[len(seen)-1]; last.More || last.Stored != 15 {
		t.Errorf("last progress %+v", last)
	}
}

func TestSyncJoinsRepliesToReferencedThreads(t *testing.T) {
	// A reply citing the root only after an unknown id, and a reply to that
	// reply; page size 1 resolves through the store, 3 within one batch, and
	// the batch arrives newest first to show order does not matter.
	for _, pageSize := range []int{1, 3} {
		t.Run(fmt.Sprint("page size ", pageSize), func(t *testing.T) {
			ctx := context.Background()
			st := openStore(t)
			p := New(st, nil).WithClock(func() time.Time { return testNow })
			acc := inbox.Account{Channel: inbox.ChannelMail, Name: "acme-mail"}
			items := []inbox.Item{mailItem(1), mailItem(2, "<lost@x>", "<m1@x>"), mailItem(3, "<m2@x>")}
			if pageSize == 3 {
				items[0], items[2] = items[2], items[0]
			}
			src := &pagedSource{items: items, pageSize: pageSize, failAt: -1}
			if _, err := p.Sync(ctx, st, acc, src, nil); err != nil {
				t.Fatal(err)
			}
			stats, _ := st.Stats(ctx)
			if stats.Conversations != 1 || stats.Messages != 3 {
				t.Fatalf("got %d conversations / %d messages, want all 3 messages in one thread", stats.Conversations, stats.Messages)
			}
		})
	}
}
