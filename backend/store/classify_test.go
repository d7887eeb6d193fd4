package store

import (
	"context"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

func scored(it inbox.Item, label inbox.Sentiment, conf float64) inbox.Item {
	it.Sentiment, it.SentimentConfidence = label, &conf
	return it
}

func TestUncertainMessagesAndLLMLabels(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	a := mustAccount(t, s, "acme-tg", inbox.ChannelTelegram)
	given := item("given", "t3", inbox.DirectionIn, 0, "labelled by the importer")
	given.Sentiment = inbox.SentimentNegative // no confidence: never sent to the LLM
	mustSave(t, s, a.ID,
		scored(item("sure", "t1", inbox.DirectionIn, 1, "I love it"), inbox.SentimentPositive, 0.95),
		scored(item("unsure-old", "t1", inbox.DirectionIn, 2, "hmm, the parcel"), inbox.SentimentPositive, 0.45),
		scored(item("unsure-new", "t2", inbox.DirectionIn, 5, "again the app"), inbox.SentimentNeutral, 0.5),
		scored(item("empty", "t2", inbox.DirectionIn, 3, ""), inbox.SentimentNeutral, 0),
		scored(item("corrected", "t2", inbox.DirectionIn, 4, "sure?"), inbox.SentimentNeutral, 0.4),
		given,
		item("out", "t1", inbox.DirectionOut, 6, "thanks"),
	)
	ids := map[string]int64{}
	rows, _ := s.db.Query(`SELECT external_id, id FROM messages`)
	for rows.Next() {
		var e string
		var id int64
		_ = rows.Scan(&e, &id)
		ids[e] = id
	}
	rows.Close()
	if _, src, conf, err := s.MessageSentiment(ctx, ids["sure"]); err != nil || src != SourceModel || conf == nil || *conf != 0.95 {
		t.Fatalf("stored source/confidence = %s %v %v", src, conf, err)
	}
	if _, _, conf, _ := s.MessageSentiment(ctx, ids["given"]); conf != nil {
		t.Fatalf("an importer's label got confidence %v", *conf)
	}
	if err := s.CorrectSentiment(ctx, ids["corrected"], inbox.SentimentNegative, "anna", time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, src, _, _ := s.MessageSentiment(ctx, ids["corrected"]); src != SourceManager {
		t.Fatalf("corrected message source = %s", src)
	}

	got, err := s.UncertainMessages(ctx, 0.6, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != ids["unsure-new"] || got[1].ID != ids["unsure-old"] || got[1].Text != "hmm, the parcel" {
		t.Fatalf("uncertain = %+v (want unsure-new, unsure-old)", got)
	}
	if got, _ := s.UncertainMessages(ctx, 0.6, 1); len(got) != 1 || got[0].ID != ids["unsure-new"] {
		t.Fatalf("limit 1 = %+v", got)
	}

	// A bad label writes nothing, not even the good ones before it.
	if _, err := s.SetLLMSentiments(ctx, []LLMLabel{{ids["unsure-new"], inbox.SentimentNegative, 0.9}, {ids["unsure-old"], "angry", 0.9}}); err == nil {
		t.Fatal("bad label accepted")
	}
	if got, _ := s.UncertainMessages(ctx, 0.6, 10); len(got) != 2 {
		t.Fatalf("after a rejected batch %d uncertain, want 2", len(got))
	}

	res, err := s.SetLLMSentiments(ctx, []LLMLabel{
		{ids["unsure-new"], inbox.SentimentNegative, 0.9},
		{ids["unsure-old"], inbox.SentimentPositive, 0.8}, // same label as before
		{ids["corrected"], inbox.SentimentPositive, 0.99}, // a manager's label wins
		{ids["out"], inbox.SentimentNegative, 0.99},
	})
	if err != nil || res != (LLMLabelResult{Updated: 2, Relabelled: 1, Skipped: 2}) {
		t.Fatalf("result = %+v, %v", res, err)
	}
	if got, _ := s.UncertainMessages(ctx, 0.6, 10); len(got) != 0 {
		t.Fatalf("LLM-labelled messages still uncertain: %+v", got)
	}
	conv := convByThread(t, s, "t2")
	if conv.Sentiment != inbox.SentimentNegative || conv.NegativeCount != 2 {
		t.Fatalf("conversation t2 = %s, %d negative; want negative, 2", conv.Sentiment, conv.NegativeCount)
	}
	th, _ := s.Thread(ctx, conv.ID)
	for _, m := range th {
		if m.ID == ids["corrected"] && m.Sentiment != inbox.SentimentNegative {
			t.Fatalf("the LLM overrode a manager: %s", m.Sentiment)
		}
		if m.ID == ids["unsure-new"] && m.SentimentScore != -0.9 {
			t.Fatalf("LLM score = %v, want -0.9", m.SentimentScore)
		}
	}
	if _, src, conf, _ := s.MessageSentiment(ctx, ids["unsure-new"]); src != SourceLLM || *conf != 0.9 {
		t.Fatalf("LLM-labelled source = %s %v", src, *conf)
	}
	// A manager correcting an LLM label takes it over.
	if err := s.CorrectSentiment(ctx, ids["unsure-new"], inbox.SentimentNeutral, "anna", time.Now()); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.SetLLMSentiment(ctx, ids["unsure-new"], inbox.SentimentNegative, 1); ok || err != nil {
		t.Fatalf("LLM relabelled a corrected message: %v %v", ok, err)
	}
}
