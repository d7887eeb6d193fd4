package cli

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/store"
)

// synthAccounts are the accounts of the synthetic load-test data set, with
// their share of the messages.
var synthAccounts = []struct {
	name  string
	ch    inbox.ChannelKind
	kind  inbox.MessageKind
	share int
}{
	{"load-mail", inbox.ChannelMail, inbox.KindMail, 20},
	{"load-telegram", inbox.ChannelTelegram, inbox.KindDM, 22},
	{"load-vk", inbox.ChannelVK, inbox.KindComment, 17},
	{"load-mastodon", inbox.ChannelMastodon, inbox.KindComment, 11},
	{"load-youtube", inbox.ChannelYouTube, inbox.KindComment, 21},
	{"load-import", inbox.ChannelImport, inbox.KindDM, 9},
}

// Support vocabulary in the brands' three languages; Zipf-drawn, so some words are common.
var synthWords = [][]string{
	strings.Fields(`the my i to and a is order not of it you for was in on this have with please delivery refund
		still late delayed when where help no why your service support package item days week waiting again money
		back cancel account payment card charged twice wrong broken missing tracking email app update login error
		thanks great terrible worst best disappointed angry quick slow problem question today hour call chat`),
	strings.Fields(`и в не на я что с по это мой заказ где когда почему вы уже до сих пор доставка возврат денег
		задержка поддержка оператор ответ жду третий день неделю карта списали дважды ошибка приложение курьер
		посылка товар сломан спасибо отлично ужасно худший обслуживание проблема вопрос сегодня интернет связь`),
	strings.Fields(`und der die das ich nicht mein ist zu mit von auf für wo wann warum Lieferung Bestellung
		Rückerstattung Verspätung storniert Kundenservice Antwort warte seit Tagen Woche Geld zurück Karte Fehler
		App Paket Artikel kaputt danke super schrecklich enttäuscht Problem Frage heute Stunde Internet Störung`),
}

// seedSynthetic stores n deterministic synthetic messages (threads of 1–9
// messages, 45 % of replies outbound) spread over the 180 days before now, for
// load tests of the app at the size. It writes through Store.SaveItems
// in batches of 5,000, the store's fast path, and reports progress on progress.
func seedSynthetic(ctx context.Context, st *store.Store, n int, now time.Time, progress io.Writer) (messages, threads int, err error) {
	r := rand.New(rand.NewPCG(2026, 8))
	zipfs := make([]*rand.Zipf, len(synthWords))
	for i, w := range synthWords {
		zipfs[i] = rand.NewZipf(r, 1.1, 2, uint64(len(w)-1))
	}
	sentence := func(lang, words int) string {
		var sb strings.Builder
		for i := range words {
			if i > 0 {
				sb.WriteByte(' ')
			}
			if r.IntN(100) < 12 {
				sb.WriteString(strconv.Itoa(100000 + r.IntN(900000))) // order and ticket numbers
				continue
			}
			sb.WriteString(synthWords[lang][zipfs[lang].Uint64()])
		}
		return sb.String()
	}
	sentiments := []inbox.Sentiment{inbox.SentimentNegative, inbox.SentimentNegative, inbox.SentimentNegative,
		inbox.SentimentNeutral, inbox.SentimentNeutral, inbox.SentimentNeutral, inbox.SentimentNeutral,
		inbox.SentimentPositive, inbox.SentimentPositive, inbox.SentimentUnknown}
	total := 0
	for _, a := range synthAccounts {
		total += a.share
	}
	const span = 180 * 24 * time.Hour
	const batchSize = 5000
	authors := max(n/8, 10)
	nextReport := 100_000
	for ai, spec := range synthAccounts {
		acc, err := st.EnsureAccount(ctx, inbox.Account{Name: spec.name, Channel: spec.ch, Brand: "Load Test", Handle: "@" + spec.name})
		if err != nil {
			return messages, threads, fmt.Errorf("synthetic data: %w", err)
		}
		want := n * spec.share / total
		if ai == len(synthAccounts)-1 {
			want = n - messages
		}
		brand := inbox.Author{ExternalID: "brand-" + spec.name, Handle: acc.Handle, DisplayName: "Load Test Support"}
		batch := make([]inbox.Item, 0, batchSize)
		flush := func() error {
			if len(batch) == 0 {
				return nil
			}
			if _, err := st.SaveItems(ctx, acc.ID, batch); err != nil {
				return fmt.Errorf("synthetic data: %w", err)
			}
			messages += len(batch)
			batch = batch[:0]
			if messages >= nextReport {
				fmt.Fprintf(progress, "… %d messages stored\n", messages)
				nextReport += 100_000
			}
			return nil
		}
		for made := 0; made < want; threads++ {
			thread := fmt.Sprintf("%s-t%d", spec.name, threads)
			lang := []int{0, 0, 0, 0, 0, 0, 1, 1, 1, 2}[r.IntN(10)]
			au := r.IntN(authors)
			author := inbox.Author{ExternalID: fmt.Sprintf("u%d", au), Handle: fmt.Sprintf("@user%d", au),
				DisplayName: fmt.Sprintf("User %d", au), Reach: int64(r.IntN(5000))}
			subject := ""
			if spec.kind == inbox.KindMail {
				subject = sentence(lang, 3+r.IntN(4))
			}
			at := now.Add(-time.Duration(r.Int64N(int64(span))))
			for j, size := 0, 1+r.IntN(9); j < size && made < want; j++ {
				it := inbox.Item{ExternalID: fmt.Sprintf("%s-m%d", spec.name, made), ThreadKey: thread, Kind: spec.kind,
					Direction: inbox.DirectionIn, Subject: subject, Text: sentence(lang, 6+r.IntN(25)), SentAt: at, Author: author}
				if j > 0 && r.IntN(100) < 45 {
					it.Direction, it.Author = inbox.DirectionOut, brand
				} else {
					it.Sentiment = sentiments[r.IntN(len(sentiments))]
				}
				batch = append(batch, it)
				made++
				at = at.Add(time.Duration(r.ExpFloat64() * float64(90*time.Minute)))
				if at.After(now) {
					at = now
				}
				if len(batch) == batchSize {
					if err := flush(); err != nil {
						return messages, threads, err
					}
				}
			}
		}
		if err := flush(); err != nil {
			return messages, threads, err
		}
	}
	return messages, threads, nil
}
