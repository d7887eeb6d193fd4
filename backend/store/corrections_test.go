package store

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

func TestCorrectSentiment(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	a := mustAccount(t, s, "acme-tg", inbox.ChannelTelegram)
	in1 := item("1", "t", inbox.DirectionIn, 0, "Ужасный сервис, верните деньги!")
	in1.Sentiment = inbox.SentimentPositive
	in2 := item("2", "t", inbox.DirectionIn, 1, "ok")
	in2.Sentiment = inbox.SentimentNeutral
	mustSave(t, s, a.ID, in1, in2, item("3", "t", inbox.DirectionOut, 2, "sorry"))
	conv := convByThread(t, s, "t")
	msgs, _ := s.Thread(ctx, conv.ID)

	if err := s.CorrectSentiment(ctx, msgs[0].ID, inbox.SentimentNegative, "anna", time.Now()); err != nil {
		t.Fatal(err)
	}
	after := convByThread(t, s, "t")
	if after.NegativeCount != 1 || after.Sentiment != inbox.SentimentNeutral {
		t.Fatalf("conversation after correction: negative %d, sentiment %s", after.NegativeCount, after.Sentiment)
	}
	if err := s.CorrectSentiment(ctx, msgs[1].ID, inbox.SentimentNegative, "anna", time.Now()); err != nil {
		t.Fatal(err)
	}
	if after = convByThread(t, s, "t"); after.NegativeCount != 2 || after.Sentiment != inbox.SentimentNegative {
		t.Fatalf("after the second correction: negative %d, sentiment %s", after.NegativeCount, after.Sentiment)
	}
	got, _ := s.Thread(ctx, conv.ID)
	if got[0].Sentiment != inbox.SentimentNegative || got[0].SentimentScore != -1 || !slices.Contains(got[0].Flags, inbox.FlagSentimentCorrected) {
		t.Fatalf("message after correction: %s %v %v", got[0].Sentiment, got[0].SentimentScore, got[0].Flags)
	}
	if slices.Contains(got[2].Flags, inbox.FlagSentimentCorrected) {
		t.Fatal("an uncorrected message is marked corrected")
	}
	cs, err := s.SentimentCorrections(ctx)
	if err != nil || len(cs) != 2 || cs[0].PreviousLabel != inbox.SentimentPositive || cs[0].Text != "Ужасный сервис, верните деньги!" || cs[0].CorrectedBy != "anna" {
		t.Fatalf("corrections = %+v, %v", cs, err)
	}

	tests := []struct {
		name  string
		id    int64
		label inbox.Sentiment
		want  error
	}{
		{"outbound", msgs[2].ID, inbox.SentimentNegative, nil},
		{"unknown label", msgs[0].ID, "angry", nil},
		{"empty label", msgs[0].ID, "", nil},
		{"missing message", 999, inbox.SentimentNegative, ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.CorrectSentiment(ctx, tt.id, tt.label, "anna", time.Now())
			if err == nil || (tt.want != nil && !errors.Is(err, tt.want)) {
				t.Fatalf("err = %v", err)
			}
		})
	}
}
