package workspace

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/moderation"
)

// authorWith stores one conversation of an author with the given reach whose
// messages are negative when negative is set, and returns the author's id.
func authorWith(t *testing.T, ws *Workspace, handle string, reach int64, negative bool) int64 {
	t.Helper()
	ctx := context.Background()
	acc := inbox.Account{Name: "acme-tg", Channel: inbox.ChannelTelegram, Brand: "Acme"}
	sent := inbox.SentimentNeutral
	if negative {
		sent = inbox.SentimentNegative
	}
	var items []inbox.Item
	for i := range 2 {
		items = append(items, inbox.Item{ExternalID: fmt.Sprintf("%s-%d", handle, i), ThreadKey: "chat:" + handle,
			Kind: inbox.KindDM, Direction: inbox.DirectionIn, Text: "hello", Sentiment: sent,
			SentAt: time.Date(2026, 11, 1, 10, i, 0, 0, time.UTC),
			Author: inbox.Author{ExternalID: handle, Handle: "@" + handle, Reach: reach}})
	}
	if _, err := ws.Pipeline.Ingest(ctx, acc, items); err != nil {
		t.Fatal(err)
	}
	a, err := ws.Store.EnsureAccount(ctx, acc)
	if err != nil {
		t.Fatal(err)
	}
	id, err := ws.Store.ConversationIDByThreadKey(ctx, a.ID, "chat:"+handle)
	if err != nil {
		t.Fatal(err)
	}
	th, err := ws.Store.Thread(ctx, id)
	if err != nil || len(th) == 0 {
		t.Fatalf("thread of %s: %v", handle, err)
	}
	return th[0].Author.ID
}

func TestModerateAuthorWalksTheLadderAndGuardsCritics(t *testing.T) {
	ctx := context.Background()
	ws := openWS(t)
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	plain := authorWith(t, ws, "plain", 50, false)
	star := authorWith(t, ws, "star", 25_000, false)
	critic := authorWith(t, ws, "critic", 10, true)

	tests := []struct {
		name        string
		in          AuthorModeration
		wantErr     bool
		wantApplied bool
		wantReasons int // > 0: the step needs confirming
	}{
		{"a warning is recorded at once", AuthorModeration{AuthorID: plain, Kind: "warning", Reason: "rude"}, false, true, 0},
		{"a block needs a reason", AuthorModeration{AuthorID: plain, Kind: "block", Hours: 24}, true, false, 0},
		{"a block needs a positive length", AuthorModeration{AuthorID: plain, Kind: "block", Reason: "spam"}, true, false, 0},
		{"an ordinary author is blocked", AuthorModeration{AuthorID: plain, Kind: "block", Reason: "spam", Hours: 24}, false, true, 0},
		{"an influencer is not banned without confirmation", AuthorModeration{AuthorID: star, Kind: "ban", Reason: "abuse"}, false, false, 1},
		{"confirmed, the influencer's ban is recorded", AuthorModeration{AuthorID: star, Kind: "ban", Reason: "abuse", Confirm: true}, false, true, 1},
		{"a critic is not blocked without confirmation", AuthorModeration{AuthorID: critic, Kind: "block", Reason: "tone", Hours: 1}, false, false, 1},
		{"an unknown step is refused", AuthorModeration{AuthorID: plain, Kind: "mute", Reason: "x"}, true, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, err := ws.Store.ModerationRecord(ctx, tt.in.AuthorID)
			if err != nil {
				t.Fatal(err)
			}
			out, err := ws.ModerateAuthor(ctx, tt.in, "olga", now)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			after, _ := ws.Store.ModerationRecord(ctx, tt.in.AuthorID)
			if out.Applied != tt.wantApplied || len(after)-len(before) != map[bool]int{true: 1, false: 0}[tt.wantApplied] {
				t.Fatalf("applied %v, record %d -> %d; want applied %v", out.Applied, len(before), len(after), tt.wantApplied)
			}
			if len(out.Warning.Reasons) != tt.wantReasons {
				t.Errorf("warning %+v, want %d reasons", out.Warning, tt.wantReasons)
			}
		})
	}

	// The block ends 24 h after it was given, and the panel shows the standing.
	p, err := ws.AuthorPanel(ctx, plain)
	if err != nil {
		t.Fatal(err)
	}
	last := p.Profile.Record[0]
	if last.Kind != moderation.KindBlock || last.By != "olga" || last.Until == nil || !last.Until.Equal(now.Add(24*time.Hour)) {
		t.Errorf("newest entry %+v, want olga's 24 h block", last)
	}
	if sp, _ := ws.AuthorPanel(ctx, star); !sp.Influencer {
		t.Error("a reach of 25,000 is not shown as an influencer")
	}
}
