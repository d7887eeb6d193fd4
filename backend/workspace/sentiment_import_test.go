package workspace

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/sentiment"
	"github.com/stormdesk/stormdesk/backend/store"
)

// researchLike is a small model standing in for an imported research model:
// it calls "banana" negative, which the shipped model does not, and its
// provenance names a non-commercial source.
func researchLike(t *testing.T) []byte {
	t.Helper()
	var ex []sentiment.Example
	for i := 0; i < 20; i++ {
		ex = append(ex,
			sentiment.Example{Text: "banana banana", Label: inbox.SentimentNegative, Lang: sentiment.LangEnglish},
			sentiment.Example{Text: "apple please", Label: inbox.SentimentNeutral, Lang: sentiment.LangEnglish},
			sentiment.Example{Text: "cherry thanks", Label: inbox.SentimentPositive, Lang: sentiment.LangEnglish})
	}
	m, err := sentiment.Train(ex, sentiment.TrainOptions{Bits: 14, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	p := sentiment.Provenance{Name: "fruit research model", Sources: []sentiment.Source{sentiment.SourceAirline}}
	p.Licence = p.DerivedLicence()
	m.SetProvenance(p)
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestImportSentimentModel(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ws.db")
	ws, err := Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	acc := inbox.Account{Channel: inbox.ChannelImport, Name: "acme"}
	n := 0
	score := func(ws *Workspace, text string) inbox.Sentiment {
		t.Helper()
		n++
		id := "m" + strings.Repeat("x", n)
		if _, err := ws.Pipeline.Ingest(ctx, acc, []inbox.Item{{ExternalID: id, Text: text, SentAt: time.Now().Add(-time.Minute)}}); err != nil {
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

	info, err := ws.SentimentModel(ctx)
	if err != nil || info.Origin != "shipped" || !info.Provenance.Commercial {
		t.Fatalf("before import: %+v, %v", info, err)
	}
	if got := score(ws, "banana banana"); got == inbox.SentimentNegative {
		t.Fatal("precondition: the shipped model already calls banana negative")
	}

	if _, err := ws.ImportSentimentModel(ctx, strings.NewReader("not a model")); err == nil {
		t.Fatal("importing garbage succeeded")
	}
	if info, _ := ws.SentimentModel(ctx); info.Origin != "shipped" {
		t.Fatalf("a failed import changed the model: %+v", info)
	}

	info, err = ws.ImportSentimentModel(ctx, bytes.NewReader(researchLike(t)))
	if err != nil {
		t.Fatal(err)
	}
	if info.Origin != "imported" || !info.Imported || info.Provenance.Commercial ||
		info.Provenance.Name != "fruit research model" || !strings.HasPrefix(info.Provenance.Licence, "non-commercial") {
		t.Fatalf("after import: %+v", info)
	}
	if got := score(ws, "banana banana"); got != inbox.SentimentNegative {
		t.Fatalf("imported model not used for ingest: %s", got)
	}

	// A correction retrains on top of the imported model and records it.
	page, _ := ws.Store.Conversations(ctx, store.InboxQuery{Order: store.OrderNewest})
	msgs, _ := ws.Store.Thread(ctx, page.Items[0].ID)
	if err := ws.CorrectSentiment(ctx, msgs[0].ID, inbox.SentimentPositive, "anna"); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.RetrainSentiment(ctx); err != nil {
		t.Fatal(err)
	}
	info, _ = ws.SentimentModel(ctx)
	p := info.Provenance
	if info.Origin != "retrained" || p.Base != "fruit research model" || p.RetrainedAt.IsZero() ||
		p.Sources[len(p.Sources)-1].Examples != 1 || p.Commercial {
		t.Fatalf("after retrain: %+v", info)
	}
	ws.Close()

	ws, err = Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if got := score(ws, "banana banana"); got != inbox.SentimentPositive {
		t.Fatalf("after a restart the corrected model is not used: %s", got)
	}
	// Back to the shipped model; the correction is learnt on top of it.
	info, err = ws.ResetSentimentModel(ctx)
	if err != nil {
		t.Fatal(err)
	}
	shipped, _ := sentiment.Default()
	if info.Imported || info.Origin != "retrained" || info.Provenance.Base != shipped.Provenance().Name || !info.Provenance.Commercial {
		t.Fatalf("after reset: %+v", info)
	}
}
