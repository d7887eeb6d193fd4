package sentiment

import (
	"context"
	"strings"
	"testing"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

func TestGoEmotionsLabel(t *testing.T) {
	tests := []struct {
		emotions []string
		want     inbox.Sentiment
		ok       bool
	}{
		{[]string{"anger"}, inbox.SentimentNegative, true},
		{[]string{"disappointment", "sadness"}, inbox.SentimentNegative, true},
		{[]string{"gratitude"}, inbox.SentimentPositive, true},
		{[]string{"neutral"}, inbox.SentimentNeutral, true},
		{[]string{"curiosity"}, inbox.SentimentNeutral, true}, // ambiguous counts as neutral
		{[]string{"annoyance", "neutral"}, inbox.SentimentNegative, true},
		{[]string{"joy", "surprise"}, inbox.SentimentPositive, true},
		{[]string{"love", "grief"}, "", false}, // mixed: dropped
		{[]string{"unknown"}, "", false},
		{nil, "", false},
	}
	for _, tt := range tests {
		got, ok := GoEmotionsLabel(tt.emotions)
		if got != tt.want || ok != tt.ok {
			t.Errorf("GoEmotionsLabel(%v) = %q, %v; want %q, %v", tt.emotions, got, ok, tt.want, tt.ok)
		}
	}
}

func TestReadGoEmotions(t *testing.T) {
	// Rows as in the upstream train.tsv, including a quoted text with doubled
	// quotes, a mixed row and a row with an id outside emotions.txt.
	in := "Thanks, you made my day\t15\tabc1\n" +
		"\"Three words. \"\"Stop. Now.\"\" \"\t3\tabc2\n" +
		"Sorry for your loss, love you\t16,18\tabc3\n" +
		"What does FPTP mean?\t6\tabc4\n" +
		"broken row\t99\tabc5\n"
	ex, skipped, err := ReadGoEmotions(context.Background(), strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []Example{
		{Text: "Thanks, you made my day", Label: inbox.SentimentPositive, Lang: LangEnglish},
		{Text: `Three words. "Stop. Now." `, Label: inbox.SentimentNegative, Lang: LangEnglish},
		{Text: "What does FPTP mean?", Label: inbox.SentimentNeutral, Lang: LangEnglish},
	}
	if skipped != 2 || len(ex) != len(want) {
		t.Fatalf("got %d examples, %d skipped: %+v", len(ex), skipped, ex)
	}
	for i := range want {
		if ex[i] != want[i] {
			t.Errorf("row %d = %+v, want %+v", i, ex[i], want[i])
		}
	}
}

func TestReadRuGoEmotions(t *testing.T) {
	in := "ru_text,text,labels,id\n" +
		"\"Спасибо, очень помогли!\",\"Thanks, very helpful!\",[15],a1\n" +
		"Это ужасно,This is awful,\"[2, 3]\",a2\n" +
		"Сложно сказать,Hard to say,\"[18, 25]\",a3\n" +
		",empty,[27],a4\n"
	ex, skipped, err := ReadRuGoEmotions(context.Background(), strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if skipped != 2 || len(ex) != 2 {
		t.Fatalf("got %+v, %d skipped; want 2 examples, 2 skipped", ex, skipped)
	}
	if ex[0].Label != inbox.SentimentPositive || ex[1].Label != inbox.SentimentNegative || ex[1].Lang != LangRussian {
		t.Errorf("got %+v", ex)
	}
	if _, _, err := ReadRuGoEmotions(context.Background(), strings.NewReader("text,labels\nx,[1]\n")); err == nil {
		t.Error("a file without ru_text was accepted")
	}
}
