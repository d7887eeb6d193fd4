package sentiment

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// goEmotionNames are GoEmotions' labels in the order of its emotions.txt: the
// ids in train/dev/test.tsv index this list.
var goEmotionNames = []string{
	"admiration", "amusement", "anger", "annoyance", "approval", "caring", "confusion",
	"curiosity", "desire", "disappointment", "disapproval", "disgust", "embarrassment",
	"excitement", "fear", "gratitude", "grief", "joy", "love", "nervousness", "optimism",
	"pride", "realization", "relief", "remorse", "sadness", "surprise", "neutral",
}

// goEmotionSentiment is the paper's sentiment grouping (data/sentiment_dict.json
// in the GoEmotions release). "Ambiguous" emotions (realization, surprise,
// curiosity, confusion) count as neutral: in an inbox a confused question is
// not a complaint, and that is what the negative label drives.
var goEmotionSentiment = map[string]inbox.Sentiment{
	"amusement": inbox.SentimentPositive, "excitement": inbox.SentimentPositive, "joy": inbox.SentimentPositive,
	"love": inbox.SentimentPositive, "desire": inbox.SentimentPositive, "optimism": inbox.SentimentPositive,
	"caring": inbox.SentimentPositive, "pride": inbox.SentimentPositive, "admiration": inbox.SentimentPositive,
	"gratitude": inbox.SentimentPositive, "relief": inbox.SentimentPositive, "approval": inbox.SentimentPositive,

	"fear": inbox.SentimentNegative, "nervousness": inbox.SentimentNegative, "remorse": inbox.SentimentNegative,
	"embarrassment": inbox.SentimentNegative, "disappointment": inbox.SentimentNegative, "sadness": inbox.SentimentNegative,
	"grief": inbox.SentimentNegative, "disgust": inbox.SentimentNegative, "anger": inbox.SentimentNegative,
	"annoyance": inbox.SentimentNegative, "disapproval": inbox.SentimentNegative,

	"realization": inbox.SentimentNeutral, "surprise": inbox.SentimentNeutral, "curiosity": inbox.SentimentNeutral,
	"confusion": inbox.SentimentNeutral, "neutral": inbox.SentimentNeutral,
}

// GoEmotionsLabel maps a comment's emotion names to one sentiment. A comment
// with both positive and negative emotions ("sorry for your loss, love you")
// is mixed: ok is false and the trainer drops it rather than guess.
func GoEmotionsLabel(emotions []string) (s inbox.Sentiment, ok bool) {
	var neg, pos, neu bool
	for _, e := range emotions {
		switch goEmotionSentiment[strings.TrimSpace(e)] {
		case inbox.SentimentNegative:
			neg = true
		case inbox.SentimentPositive:
			pos = true
		case inbox.SentimentNeutral:
			neu = true
		}
	}
	return combinePolarity(neg, pos, neu)
}

// combinePolarity turns the polarities seen in a multi-label emotion
// annotation into one sentiment; both negative and positive is mixed (ok
// false) and dropped by the readers rather than guessed.
func combinePolarity(neg, pos, neu bool) (inbox.Sentiment, bool) {
	switch {
	case neg && pos:
		return "", false
	case neg:
		return inbox.SentimentNegative, true
	case pos:
		return inbox.SentimentPositive, true
	case neu:
		return inbox.SentimentNeutral, true
	}
	return "", false
}

// ReadGoEmotions reads one of GoEmotions' train/dev/test.tsv files (no header;
// text, comma-separated emotion ids, comment id) as English examples. Mixed
// and unparsable rows are dropped and counted in skipped.
func ReadGoEmotions(ctx context.Context, r io.Reader) (ex []Example, skipped int, err error) {
	cr := csv.NewReader(r)
	cr.Comma = '\t'
	cr.FieldsPerRecord = -1
	// The texts carry bare quotes ("the ""running"" man"): csv's quote rules
	// would merge lines, and the upstream files are plain TSV without quoting
	// except for those doubled quotes.
	cr.LazyQuotes = true
	err = csvRows(ctx, cr, "goemotions", 1, func(rec []string) {
		if len(rec) < 2 {
			skipped++
			return
		}
		names, ok := emotionNames(rec[1])
		lab, mapped := GoEmotionsLabel(names)
		if !ok || !mapped {
			skipped++
			return
		}
		ex = append(ex, Example{Text: rec[0], Label: lab, Lang: LangEnglish})
	})
	if err != nil {
		return nil, 0, err
	}
	return ex, skipped, nil
}

func emotionNames(ids string) ([]string, bool) {
	var out []string
	for _, s := range strings.Split(ids, ",") {
		i, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || i < 0 || i >= len(goEmotionNames) {
			return nil, false
		}
		out = append(out, goEmotionNames[i])
	}
	return out, len(out) > 0
}

// ReadRuGoEmotions reads the Russian machine translation of GoEmotions
// (ru-go-emotions-simplified-*.csv: ru_text, text, labels as "[3, 9]", id) as
// Russian examples, with the same sentiment grouping as ReadGoEmotions.
func ReadRuGoEmotions(ctx context.Context, r io.Reader) (ex []Example, skipped int, err error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, 0, fmt.Errorf("read ru-goemotions header: %w", err)
	}
	col := headerColumns(head)
	ti, tok := col["ru_text"]
	li, lok := col["labels"]
	if !tok || !lok {
		return nil, 0, fmt.Errorf("ru-goemotions header %q lacks ru_text or labels", head)
	}
	err = csvRows(ctx, cr, "ru-goemotions", 2, func(rec []string) {
		if ti >= len(rec) || li >= len(rec) {
			skipped++
			return
		}
		names, ok := emotionNames(strings.Trim(rec[li], "[] "))
		lab, mapped := GoEmotionsLabel(names)
		if !ok || !mapped || strings.TrimSpace(rec[ti]) == "" {
			skipped++
			return
		}
		ex = append(ex, Example{Text: rec[ti], Label: lab, Lang: LangRussian})
	})
	if err != nil {
		return nil, 0, err
	}
	return ex, skipped, nil
}
