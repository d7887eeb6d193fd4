package workspace

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/store"
)

// TestCorrectionsRetrainTheModel: a phrase the shipped model gets wrong is
// corrected by a manager, the model is retrained, new messages with that
// phrase get the corrected label, and the retrained model is used after a restart.
func TestCorrectionsRetrainTheModel(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ws.db")
	ws, err := Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	const phrase = "the new seat layout is something else"
	acc := inbox.Account{Channel: inbox.ChannelImport, Name: "acme"}
	ingest := func(ws *Workspace, id string) inbox.Sentiment {
		t.Helper()
		if _, err := ws.Pipeline.Ingest(ctx, acc, []inbox.Item{{ExternalID: id, Text: phrase, SentAt: time.Now().Add(-time.Minute)}}); err != nil {
			t.Fatal(err)
		}
		page, _ := ws.Store.Conversations(ctx, store.InboxQuery{Order: store.OrderNewest})
		for _, c := range page.Items {
			if c.ThreadKey == id {
				msgs, _ := ws.Store.Thread(ctx, c.ID)
				return msgs[0].Sentiment
			}
		}
		t.Fatalf("message %s not stored", id)
		return ""
	}
	before := ingest(ws, "m1")
	want := inbox.SentimentNegative
	if before == want {
		want = inbox.SentimentPositive // correct it to whatever it is not
	}
	if _, err := ws.RetrainSentiment(ctx); err == nil {
		t.Fatal("retrain without corrections succeeded")
	}
	page, _ := ws.Store.Conversations(ctx, store.InboxQuery{})
	msgs, _ := ws.Store.Thread(ctx, page.Items[0].ID)
	if err := ws.CorrectSentiment(ctx, msgs[0].ID, want, "anna"); err != nil {
		t.Fatal(err)
	}
	if n, err := ws.RetrainSentiment(ctx); err != nil || n != 1 {
		t.Fatalf("retrain = %d, %v", n, err)
	}
	if got := ingest(ws, "m2"); got != want {
		t.Fatalf("after retraining a new %q scored %s, want %s", phrase, got, want)
	}
	ws.Close()
	ws, err = Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if got := ingest(ws, "m3"); got != want {
		t.Fatalf("after a restart the shipped model is back: %s, want %s", got, want)
	}
}
