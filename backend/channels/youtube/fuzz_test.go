package youtube

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/channeltest"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// FuzzPage gives the mapping of a commentThreads.list page arbitrary
// threads and the sync position arbitrary stored cursors, seeded with
// threads as YouTube answers them. The items are ones ingest can store under
// the ids a refetch gives again; the cursor never moves back and never past
// tomorrow, since a position in the future would hide every comment written
// before it.
func FuzzPage(f *testing.F) {
	const page = `{"kind":"youtube#commentThreadListResponse","nextPageToken":"p2","items":[
		{"kind":"youtube#commentThread","id":"UgxA1","snippet":{"channelId":"UCbrand","videoId":"vid1","topLevelComment":{"kind":"youtube#comment","id":"UgxA1","snippet":{"authorDisplayName":"@maria","authorChannelId":{"value":"UCmaria"},"textDisplay":"Das Update hat alles kaputt gemacht 😤","textOriginal":"Das Update hat alles kaputt gemacht 😤","publishedAt":"2026-01-01T10:00:00Z","updatedAt":"2026-01-01T10:00:00Z"}},"totalReplyCount":1},
		 "replies":{"comments":[{"kind":"youtube#comment","id":"UgxA1.r1","snippet":{"authorDisplayName":"@brand","authorChannelId":{"value":"UCbrand"},"textOriginal":"Sorry!","parentId":"UgxA1","publishedAt":"2026-01-01T11:00:00Z","updatedAt":"2026-01-01T11:30:00Z"}}]}},
		{"kind":"youtube#commentThread","id":"UgxB2","snippet":{"videoId":"vid2","topLevelComment":{"id":"UgxB2","snippet":{"textDisplay":"نفس المشكلة","publishedAt":"2025-12-31T23:00:00Z"}}}}]}`
	f.Add("", []byte(page))
	f.Add(`{"since":"2026-01-01T10:00:00Z","seen":["UgxA1"]}`, []byte(page))
	f.Add(`{"since":"2025-01-01T00:00:00Z","page":"p2","pages":1,"passNewest":"2026-01-01T00:00:00Z"}`, []byte(`{"items":[{"id":"T","snippet":{"topLevelComment":{"id":"","snippet":{"publishedAt":"9999-12-31T23:59:59Z"}}},"replies":{"comments":[{"id":"R","snippet":{"publishedAt":"0001-01-01T00:00:01Z"}}]}}]}`))
	now := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	c, err := New(Config{ChannelID: "UCbrand", APIKey: "k", Now: func() time.Time { return now }})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, stored string, body []byte) {
		cur, err := parseCursor(stored)
		if err != nil || (cur.Page != "" && cur.PassNewest.Before(cur.Since)) {
			return // unreadable, or a pass Fetch never writes (it starts at Since)
		}
		var res CommentThreadListResponse
		if json.Unmarshal(body, &res) != nil {
			return // the client refuses the answer before it is mapped
		}
		b, next := c.page(cur, res)
		channeltest.CheckItems(t, inbox.ChannelYouTube, b.Items)
		again, _ := c.page(cur, res)
		channeltest.SameItems(t, b.Items, again.Items)
		if next.Since.Before(cur.Since) {
			t.Errorf("cursor moved back from %v to %v", cur.Since, next.Since)
		}
		if limit := now.Add(24 * time.Hour); next.Since.After(limit) && !cur.Since.After(limit) {
			t.Errorf("cursor moved into the future: %v", next.Since)
		}
		if _, err := parseCursor(channels.EncodeCursor(next)); err != nil {
			t.Errorf("the next cursor cannot be read back: %v", err)
		}
	})
}

// Found by FuzzPage: one comment dated in the future (here year 9999) became
// the sync position, and every comment written after it, being older than
// the position, was never fetched; and a top-level comment without its own
// id was an item without id, though YouTube names the thread by it.
func TestPageFutureDateAndMissingID(t *testing.T) {
	now := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	c, err := New(Config{ChannelID: "UCbrand", APIKey: "k", Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	thread := func(id, at string) string {
		return `{"id":"` + id + `","snippet":{"videoId":"v","topLevelComment":{"snippet":{"textOriginal":"hi","publishedAt":"` + at + `"}}}}`
	}
	var res CommentThreadListResponse
	if err := json.Unmarshal([]byte(`{"items":[`+thread("Future", "9999-12-31T23:59:59Z")+`,`+thread("Today", "2026-12-05T11:00:00Z")+`]}`), &res); err != nil {
		t.Fatal(err)
	}
	b, cur := c.page(cursor{}, res)
	if got := channeltest.IDs(b.Items); len(got) != 2 || got[0] != "Future" || got[1] != "Today" {
		t.Fatalf("items %q, want Future and Today by their threads' ids", got)
	}
	if want := time.Date(2026, 12, 5, 11, 0, 0, 0, time.UTC); !cur.Since.Equal(want) {
		t.Fatalf("position %v, want %v (the newest date not in the future)", cur.Since, want)
	}
	if err := json.Unmarshal([]byte(`{"items":[`+thread("Future", "9999-12-31T23:59:59Z")+`,`+thread("Later", "2026-12-05T11:30:00Z")+`]}`), &res); err != nil {
		t.Fatal(err)
	}
	if b, _ := c.page(cur, res); len(b.Items) != 2 || b.Items[1].ExternalID != "Later" {
		t.Fatalf("next pass gave %q, want Later too", channeltest.IDs(b.Items))
	}
}
