package sentiment

import (
	"context"
	"strings"
	"testing"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

func TestXEDLabel(t *testing.T) {
	for _, c := range []struct {
		ids  string
		want inbox.Sentiment
		ok   bool
	}{
		{"1", inbox.SentimentNegative, true},    // anger
		{"3, 6", inbox.SentimentNegative, true}, // disgust, sadness
		{"5", inbox.SentimentPositive, true},    // joy
		{"8, 2", inbox.SentimentPositive, true}, // trust, anticipation
		{"2, 7", inbox.SentimentNeutral, true},  // anticipation, surprise
		{"4, 7", inbox.SentimentNegative, true}, // fear, surprise
		{"1, 5", "", false},                     // anger and joy: mixed
		{"9", "", false},                        // not an XED emotion
		{"x", "", false},                        // unparsable
		{"", "", false},
	} {
		got, ok := XEDLabel(c.ids)
		if got != c.want || ok != c.ok {
			t.Errorf("XEDLabel(%q) = %q, %v; want %q, %v", c.ids, got, ok, c.want, c.ok)
		}
	}
}

func TestReadXED(t *testing.T) {
	ctx := context.Background()
	annotated := "Das Geschäft läuft sehr schlecht.\t6\n- Sie ist schön.\t5\nSo \"nicht\".\t3, 1\nok\t5\nKein Tab hier\nWas nun?\t1, 8\n"
	ex, skipped, err := ReadXED(ctx, strings.NewReader(annotated), LangGerman, false)
	if err != nil {
		t.Fatal(err)
	}
	want := []Example{
		{Text: "Das Geschäft läuft sehr schlecht.", Label: inbox.SentimentNegative, Lang: LangGerman},
		{Text: "Sie ist schön.", Label: inbox.SentimentPositive, Lang: LangGerman},
		{Text: `So "nicht".`, Label: inbox.SentimentNegative, Lang: LangGerman},
	}
	if len(ex) != len(want) || skipped != 3 {
		t.Fatalf("got %d examples (%+v), %d skipped; want %d and 3", len(ex), ex, skipped, len(want))
	}
	for i := range want {
		if ex[i] != want[i] {
			t.Errorf("example %d = %+v, want %+v", i, ex[i], want[i])
		}
	}
	neu, skipped, err := ReadXED(ctx, strings.NewReader("9\tYeah I was just telling him.\r\n9\tTwo pair 10s and sixes.\n"), LangEnglish, true)
	if err != nil || skipped != 0 || len(neu) != 2 || neu[0].Text != "Yeah I was just telling him." || neu[1].Label != inbox.SentimentNeutral {
		t.Errorf("neutral file: %+v, %d skipped, %v", neu, skipped, err)
	}
}

func TestReadVADERGroundTruth(t *testing.T) {
	in := "1\t2.7\tSo lucky.\r\n2\t-0.5\tstuck at the gate\n3\t0.49\tthe bus leaves at six\n4\t-0.49\tmeh\n5\tx\tbad number\n6\t1.0\t\n"
	ex, skipped, err := ReadVADERGroundTruth(context.Background(), strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []inbox.Sentiment{inbox.SentimentPositive, inbox.SentimentNegative, inbox.SentimentNeutral, inbox.SentimentNeutral}
	if len(ex) != len(want) || skipped != 2 {
		t.Fatalf("got %+v, %d skipped; want %d examples, 2 skipped", ex, skipped, len(want))
	}
	for i, w := range want {
		if ex[i].Label != w || ex[i].Lang != LangEnglish {
			t.Errorf("row %d %q: %s/%s, want %s/en", i, ex[i].Text, ex[i].Label, ex[i].Lang, w)
		}
	}
}

func TestReadBanking77(t *testing.T) {
	in := "text,category\n" +
		"My card was declined at the shop,declined_card_payment\n" +
		"\"Why is my refund not there, it's been a week\",Refund_not_showing_up\n" +
		"Where is my card?,card_arrival\n" +
		"Which currencies can I hold?,fiat_currency_support\n" +
		",card_not_working\n"
	ex, skipped, err := ReadBanking77(context.Background(), strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []inbox.Sentiment{inbox.SentimentNegative, inbox.SentimentNegative, inbox.SentimentNeutral}
	if len(ex) != len(want) || skipped != 2 {
		t.Fatalf("got %+v, %d skipped; want %d examples, 2 skipped", ex, skipped, len(want))
	}
	for i, w := range want {
		if ex[i].Label != w {
			t.Errorf("row %d %q: %s, want %s", i, ex[i].Text, ex[i].Label, w)
		}
	}
	if _, _, err := ReadBanking77(context.Background(), strings.NewReader("utterance,intent\nhi,greeting\n")); err == nil {
		t.Error("a file with another header was read")
	}
}
