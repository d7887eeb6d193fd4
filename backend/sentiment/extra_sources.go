package sentiment

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// XED numbers Plutchik's emotions alphabetically (README of Helsinki-NLP/XED):
// anger 1, anticipation 2, disgust 3, fear 4, joy 5, sadness 6, surprise 7,
// trust 8. Anticipation and surprise carry no polarity of their own ("what
// happens next?"), so like GoEmotions' ambiguous emotions they count as
// neutral; a line with both negative and positive emotions is dropped.
var xedSentiment = map[int]inbox.Sentiment{
	1: inbox.SentimentNegative, 3: inbox.SentimentNegative, 4: inbox.SentimentNegative, 6: inbox.SentimentNegative,
	5: inbox.SentimentPositive, 8: inbox.SentimentPositive,
	2: inbox.SentimentNeutral, 7: inbox.SentimentNeutral,
}

// XEDLabel maps a line's comma-separated emotion ids to one sentiment; ok is
// false for mixed or unparsable labels.
func XEDLabel(ids string) (inbox.Sentiment, bool) {
	var neg, pos, neu bool
	for _, s := range strings.Split(ids, ",") {
		i, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return "", false
		}
		switch xedSentiment[i] {
		case inbox.SentimentNegative:
			neg = true
		case inbox.SentimentPositive:
			pos = true
		case inbox.SentimentNeutral:
			neu = true
		default:
			return "", false
		}
	}
	return combinePolarity(neg, pos, neu)
}

// ReadXED reads an XED file in lang: either the annotated/projected lines
// ("text<TAB>ids") or, with neutral set, the neutral file ("id<TAB>text",
// AnnotatedData/neu_en.txt). XED's texts are film subtitles, short and
// conversational like inbox messages. Lines are read without CSV quoting:
// subtitles contain bare quotes.
func ReadXED(ctx context.Context, r io.Reader, lang string, neutral bool) (ex []Example, skipped int, err error) {
	return readTabLines(ctx, r, "xed", func(line string) (Example, bool) {
		text, ids, ok := strings.Cut(line, "\t")
		if neutral {
			text, ids = ids, text
		}
		text = strings.TrimSpace(strings.TrimLeft(text, "-–— "))
		if !ok || len([]rune(text)) < 3 {
			return Example{}, false
		}
		lab := inbox.SentimentNeutral
		if !neutral {
			if lab, ok = XEDLabel(ids); !ok {
				return Example{}, false
			}
		}
		return Example{Text: text, Label: lab, Lang: lang}, true
	})
}

// readTabLines reads r line by line (no CSV quoting: these files carry bare
// quotes) and keeps what parse accepts; rejected lines are counted.
func readTabLines(ctx context.Context, r io.Reader, what string, parse func(line string) (Example, bool)) (ex []Example, skipped int, err error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for line := 1; sc.Scan(); line++ {
		if line%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, 0, err
			}
		}
		if e, ok := parse(strings.TrimRight(sc.Text(), "\r")); ok {
			ex = append(ex, e)
		} else {
			skipped++
		}
	}
	if err := sc.Err(); err != nil {
		return nil, 0, fmt.Errorf("read %s: %w", what, err)
	}
	return ex, skipped, nil
}

// vaderPolar is the mean rating (VADER's ground truth runs from -4 to +4,
// the mean of 20 raters) from which a text counts as negative or positive;
// between the two it is neutral. 0.5 is an eighth of the scale: raters
// leaning one way on average, not one rater's outlier.
const vaderPolar = 0.5

// ReadVADERGroundTruth reads one of the *_GroundTruth.txt files of VADER's
// ICWSM 2014 data (id<TAB>mean rating<TAB>text) as English examples.
func ReadVADERGroundTruth(ctx context.Context, r io.Reader) (ex []Example, skipped int, err error) {
	return readTabLines(ctx, r, "vader ground truth", func(line string) (Example, bool) {
		f := strings.SplitN(line, "\t", 3)
		if len(f) < 3 || strings.TrimSpace(f[2]) == "" {
			return Example{}, false
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(f[1]), 64)
		if err != nil {
			return Example{}, false
		}
		lab := inbox.SentimentNeutral
		switch {
		case v <= -vaderPolar:
			lab = inbox.SentimentNegative
		case v >= vaderPolar:
			lab = inbox.SentimentPositive
		}
		return Example{Text: strings.TrimSpace(f[2]), Label: lab, Lang: LangEnglish}, true
	})
}

// banking77Problem are the Banking77 intents whose every utterance reports
// something that went wrong for the customer (a declined card, money that did
// not arrive, a charge they do not recognise): in an inbox those are
// complaints even when no emotion word is used, which is what the
// emotion-labelled corpora lack. banking77Unclear intents mix plain questions
// with complaints ("how long does a card take?" / "my card still hasn't
// come") and are dropped; every other intent is a neutral request. The split
// is by the intent's name alone, decided once, not tuned on any evaluation.
var (
	banking77Problem = wordSet("card_payment_wrong_exchange_rate extra_charge_on_statement card_not_working pin_blocked contactless_not_working wrong_amount_of_cash_received transfer_not_received_by_recipient top_up_reverted balance_not_updated_after_cheque_or_cash_deposit card_payment_not_recognised unable_to_verify_identity compromised_card direct_debit_payment_not_recognised declined_cash_withdrawal declined_transfer refund_not_showing_up declined_card_payment card_swallowed transaction_charged_twice reverted_card_payment? beneficiary_not_allowed failed_transfer virtual_card_not_working wrong_exchange_rate_for_cash_withdrawal top_up_failed balance_not_updated_after_bank_transfer cash_withdrawal_not_recognised lost_or_stolen_card lost_or_stolen_phone")
	banking77Unclear = wordSet("card_arrival pending_cash_withdrawal pending_top_up pending_card_payment pending_transfer request_refund card_payment_fee_charged transfer_fee_charged cash_withdrawal_charge top_up_by_card_charge top_up_by_bank_transfer_charge exchange_charge terminate_account passcode_forgotten")
)

// Banking77Label maps a Banking77 intent to a sentiment; ok is false for the
// unclear intents.
func Banking77Label(intent string) (inbox.Sentiment, bool) {
	intent = strings.ToLower(strings.TrimSpace(intent))
	switch {
	case intent == "":
		return "", false
	case banking77Problem[intent]:
		return inbox.SentimentNegative, true
	case banking77Unclear[intent]:
		return "", false
	}
	return inbox.SentimentNeutral, true
}

// ReadBanking77 reads Banking77's train.csv or test.csv (text,category) as
// English examples labelled by Banking77Label.
func ReadBanking77(ctx context.Context, r io.Reader) (ex []Example, skipped int, err error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, 0, fmt.Errorf("read banking77 header: %w", err)
	}
	if len(head) < 2 || strings.TrimPrefix(head[0], "\ufeff") != "text" || head[1] != "category" {
		return nil, 0, fmt.Errorf("banking77 header %q is not text,category", head)
	}
	err = csvRows(ctx, cr, "banking77", 2, func(rec []string) {
		if len(rec) < 2 || strings.TrimSpace(rec[0]) == "" {
			skipped++
			return
		}
		lab, ok := Banking77Label(rec[1])
		if !ok {
			skipped++
			return
		}
		ex = append(ex, Example{Text: strings.TrimSpace(rec[0]), Label: lab, Lang: LangEnglish})
	})
	if err != nil {
		return nil, 0, err
	}
	return ex, skipped, nil
}
