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
	return channels.Batch{Items: s.items[from:to], Cursor: fmt.Sprint(to), More: to < len(s.items), Skipped: 1, Remaining: len(s.items) - to}, nil
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
	if first := seen[0]; first.Fetched != 10 || first.Total != 25 {
		t.Errorf("first progress %+v; want 10 of 25", first)
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

func TestBaseSubject(t *testing.T) {
	tests := []struct {
		in, base string
		reply    bool
	}{
		{"Возврат", "Возврат", false},
		{"Re: Возврат", "Возврат", true},
		{"RE: AW: Fwd:  Lieferung verspätet", "Lieferung verspätet", true},
		{"Re[2]: Invoice", "Invoice", true},
		{"Ответ: Счёт", "Счёт", true},
		{"Question: where is my parcel", "Question: where is my parcel", false},
		{"Re:", "", true},
	}
	for _, tt := range tests {
		if base, reply := BaseSubject(tt.in); base != tt.base || reply != tt.reply {
			t.Errorf("BaseSubject(%q) = %q, %v; want %q, %v", tt.in, base, reply, tt.base, tt.reply)
		}
	}
}

// TestSyncJoinsMailRepliesBySubject: replies from clients that send no
// References join the same author's thread by subject, and only then.
func TestSyncJoinsMailRepliesBySubject(t *testing.T) {
	mail := func(id, subject, author string, minute int) inbox.Item {
		return inbox.Item{ExternalID: id, ThreadKey: id, Kind: inbox.KindMail, Subject: subject, Text: "x",
			Author: inbox.Author{ExternalID: author}, SentAt: testNow.Add(time.Duration(minute-1000) * time.Minute)}
	}
	for _, pageSize := range []int{1, 10} {
		t.Run(fmt.Sprint("page size ", pageSize), func(t *testing.T) {
			ctx := context.Background()
			st := openStore(t)
			p := New(st, nil).WithClock(func() time.Time { return testNow })
			items := []inbox.Item{
				mail("<a1@x>", "Возврат", "olga@example.ru", 0),
				mail("<a2@x>", "Re: Возврат", "olga@example.ru", 10),        // joins a1
				mail("<b1@x>", "Re: Возврат", "ivan@example.ru", 20),        // another author: own thread
				mail("<a3@x>", "Возврат", "olga@example.ru", 30),            // no reply prefix: new thread
				mail("<a4@x>", "AW: Ответ: Возврат", "olga@example.ru", 40), // joins olga's newest Возврат thread, a3
			}
			src := &pagedSource{items: items, pageSize: pageSize, failAt: -1}
			if _, err := p.Sync(ctx, st, inbox.Account{Channel: inbox.ChannelMail, Name: "m"}, src, nil); err != nil {
				t.Fatal(err)
			}
			acc, _ := st.AccountByName(ctx, "m")
			keys, _ := st.ThreadKeysOf(ctx, acc.ID, []string{"<a1@x>", "<a2@x>", "<b1@x>", "<a3@x>", "<a4@x>"})
			if keys["<a2@x>"] != "<a1@x>" || keys["<b1@x>"] != "<b1@x>" || keys["<a3@x>"] != "<a3@x>" {
				t.Fatalf("threads %v", keys)
			}
			if k := keys["<a4@x>"]; k != "<a3@x>" {
				t.Fatalf("a4 landed in %q; want olga's newest Возврат thread", k)
			}
		})
	}
}

// TestSyncCountsRejectedItemsAsFetched: the sync's "fetched" and the account's
// lifetime counter are one number, also when ingest rejects an item.
func TestSyncCountsRejectedItemsAsFetched(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	p := New(st, nil).WithClock(func() time.Time { return testNow })
	items := []inbox.Item{mailItem(1), {Kind: inbox.KindMail, Text: "no id"}, mailItem(2), mailItem(2)}
	src := &pagedSource{items: items, pageSize: 10, failAt: -1}
	acc := inbox.Account{Channel: inbox.ChannelMail, Name: "acme-mail"}
	res, err := p.Sync(ctx, st, acc, src, nil)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := st.AccountByName(ctx, "acme-mail")
	state, _ := st.SyncStateOf(ctx, a.ID)
	if res.Received != 4 || res.Inserted != 2 || len(res.Rejections) != 1 || state.Fetched != int64(res.Received) {
		t.Fatalf("sync %+v, stored counter %d; want 4 fetched, 2 stored, 1 rejected, counter 4", res, state.Fetched)
	}
}
