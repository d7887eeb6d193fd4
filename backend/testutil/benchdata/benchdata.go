// Package benchdata is the synthetic dataset of the store benchmarks
// (backend/store) and the team-server benchmark (root bench_team_test.go):
// accounts of all six channels with deterministic messages in EN/RU/DE, the
// same import batches, the same statuses and assignees, so figures from both
// engines and both benchmarks describe one dataset.
package benchdata

import (
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// Account is an account of the dataset with its items in time order.
type Account struct {
	Account inbox.Account
	Items   []inbox.Item
}

// Data is a generated dataset.
type Data struct {
	Accounts []Account
	Messages int
	Threads  int
}

// Batch is one import call: items of one account.
type Batch struct {
	Account int // index into Data.Accounts
	Items   []inbox.Item
}

// Batches returns the import batches (≤ size items of one account each),
// interleaving accounts the way a sync of several accounts would.
func (d *Data) Batches(size int) []Batch {
	var out []Batch
	for start := 0; ; start += size {
		more := false
		for i, a := range d.Accounts {
			if start >= len(a.Items) {
				continue
			}
			more = true
			out = append(out, Batch{Account: i, Items: a.Items[start:min(start+size, len(a.Items))]})
		}
		if !more {
			return out
		}
	}
}

// Messages is the dataset size: STORMDESK_BENCH_MESSAGES, default 1,000,000.
func Messages(tb testing.TB) int {
	n := 1_000_000
	if v := os.Getenv("STORMDESK_BENCH_MESSAGES"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1000 {
			tb.Fatalf("STORMDESK_BENCH_MESSAGES=%q: want an integer >= 1000", v)
		}
	}
	return n
}

// WordsEN, WordsRU and WordsDE are customer-service vocabulary in three languages,
// drawn with a Zipf distribution so some words are common and most are rare.
var (
	WordsEN = strings.Fields(`the my i to and a is order not of it you for was in on this have with please
		delivery refund still late flight delayed when where help no why your service customer support we
		they received package item days week waiting again money back cancel cancelled account payment
		card charged twice wrong size broken damaged missing tracking number email phone app update login
		password error crash seat baggage luggage lost gate airport hotel booking reservation ticket price
		discount code coupon store manager thanks thank great love awesome terrible awful worst best
		disappointed angry frustrated happy quick slow staff rude friendly problem issue question answer
		today yesterday tomorrow hour hours minutes call called chat agent replace replacement exchange
		return shipping address courier driver box product quality warranty repair invoice receipt subscription
		plan renew charge fee hidden compensation voucher claim complaint escalate legal review stars rating
		food cold warm restaurant order-status weekend morning evening night connection wifi internet outage`)
	WordsRU = strings.Fields(`и в не на я что с по это мой заказ где когда почему вы нас уже до сих пор
		доставка возврат денег задержка рейса рейс задержан отменили билет багаж потеряли аэропорт
		поддержка оператор ответ жду третий день неделю деньги карта списали дважды ошибка приложение
		вход пароль курьер посылка товар сломан брак качество замена гарантия чек подписка тариф
		спасибо отлично ужасно худший лучший обслуживание сотрудник грубый вежливый быстро медленно
		проблема вопрос сегодня вчера завтра час часа минут звонок чат адрес магазин скидка промокод
		компенсация жалоба отзыв интернет связь отключили сбой верните отмена бронирование гостиница`)
	WordsDE = strings.Fields(`und der die das ich nicht mein meine ist zu mit von auf für wo wann warum
		Lieferung Bestellung Rückerstattung Verspätung Flug verspätet storniert Ticket Gepäck verloren
		Flughafen Kundenservice Antwort warte seit Tagen Woche Geld zurück Karte abgebucht doppelt Fehler
		App Anmeldung Passwort Kurier Paket Artikel kaputt beschädigt Qualität Umtausch Garantie Rechnung
		Abo Tarif danke super schrecklich schlechteste beste enttäuscht ärgerlich Mitarbeiter unfreundlich
		freundlich schnell langsam Problem Frage heute gestern morgen Stunde Minuten Anruf Chat Adresse
		Geschäft Rabatt Gutschein Entschädigung Beschwerde Bewertung Internet Störung Buchung Hotel Zug`)
)

// Generate builds the deterministic synthetic dataset of about messages
// messages (exactly that many), the same for every call.
func Generate(messages int) *Data {
	r := rand.New(rand.NewPCG(2026, 3))
	zipf := func(words []string) func() string {
		z := rand.NewZipf(r, 1.1, 2, uint64(len(words)-1))
		return func() string { return words[z.Uint64()] }
	}
	langs := []func() string{zipf(WordsEN), zipf(WordsRU), zipf(WordsDE)}
	// The long tail of real text (names, product words, typos, numbers):
	// pseudo-words from a 200k vocabulary, also Zipf-distributed.
	syllables := strings.Fields("ka lo mi re tu sa ne vo ri da po le zu ma ti ko be ra ni gu")
	tail := rand.NewZipf(r, 1.05, 10, 200_000)
	tailWord := func() string {
		n := tail.Uint64()
		if n%7 == 0 {
			return strconv.FormatUint(100000+n*37, 10) // order and ticket numbers
		}
		var sb strings.Builder
		for ; ; n /= uint64(len(syllables)) {
			sb.WriteString(syllables[n%uint64(len(syllables))])
			if n < uint64(len(syllables)) {
				break
			}
		}
		return sb.String()
	}
	sentence := func(lang func() string, n int) string {
		var sb strings.Builder
		for i := range n {
			if i > 0 {
				sb.WriteByte(' ')
			}
			if r.IntN(100) < 15 {
				sb.WriteString(tailWord())
			} else {
				sb.WriteString(lang())
			}
		}
		return sb.String()
	}
	type acctSpec struct {
		name  string
		ch    inbox.ChannelKind
		kinds []inbox.MessageKind
		share int
	}
	specs := []acctSpec{
		{"mail-support", inbox.ChannelMail, []inbox.MessageKind{inbox.KindMail}, 14},
		{"mail-press", inbox.ChannelMail, []inbox.MessageKind{inbox.KindMail}, 3},
		{"mail-billing", inbox.ChannelMail, []inbox.MessageKind{inbox.KindMail}, 6},
		{"tg-bot", inbox.ChannelTelegram, []inbox.MessageKind{inbox.KindDM}, 14},
		{"tg-channel", inbox.ChannelTelegram, []inbox.MessageKind{inbox.KindComment}, 8},
		{"vk-page", inbox.ChannelVK, []inbox.MessageKind{inbox.KindComment, inbox.KindDM}, 12},
		{"vk-shop", inbox.ChannelVK, []inbox.MessageKind{inbox.KindComment, inbox.KindDM}, 5},
		{"mastodon-main", inbox.ChannelMastodon, []inbox.MessageKind{inbox.KindComment, inbox.KindDM}, 8},
		{"mastodon-de", inbox.ChannelMastodon, []inbox.MessageKind{inbox.KindComment}, 3},
		{"youtube-main", inbox.ChannelYouTube, []inbox.MessageKind{inbox.KindComment}, 15},
		{"youtube-shorts", inbox.ChannelYouTube, []inbox.MessageKind{inbox.KindComment}, 6},
		{"import-legacy", inbox.ChannelImport, []inbox.MessageKind{inbox.KindMail, inbox.KindDM}, 6},
	}
	total := 0
	for _, s := range specs {
		total += s.share
	}
	tags := []string{"delivery", "refund", "billing", "bug", "vip", "press", "legal", "feature-request"}
	tagZipf := rand.NewZipf(r, 1.3, 1, uint64(len(tags)-1))
	sentiments := []inbox.Sentiment{inbox.SentimentNegative, inbox.SentimentNegative, inbox.SentimentNegative,
		inbox.SentimentNeutral, inbox.SentimentNeutral, inbox.SentimentNeutral, inbox.SentimentNeutral,
		inbox.SentimentPositive, inbox.SentimentPositive, inbox.SentimentUnknown}

	end := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	span := 180 * 24 * time.Hour
	d := &Data{}
	authors := max(messages/8, 10)
	for ai, s := range specs {
		a := Account{Account: inbox.Account{Name: s.name, Channel: s.ch, Brand: "Acme", Handle: "@acme-" + s.name}}
		want := messages * s.share / total
		if ai == len(specs)-1 {
			want = messages - d.Messages
		}
		for th := 0; len(a.Items) < want; th++ {
			thread := fmt.Sprintf("%s-t%d", s.name, th)
			kind := s.kinds[r.IntN(len(s.kinds))]
			lang := langs[[]int{0, 0, 0, 0, 0, 0, 1, 1, 1, 2}[r.IntN(10)]]
			au := r.IntN(authors)
			author := inbox.Author{ExternalID: fmt.Sprintf("u%d", au), Handle: fmt.Sprintf("@user%d", au),
				DisplayName: fmt.Sprintf("User %d", au), Reach: int64(r.IntN(5000))}
			brand := inbox.Author{ExternalID: "brand-" + s.name, Handle: a.Account.Handle, DisplayName: "Acme Support"}
			subject := ""
			if kind == inbox.KindMail {
				subject = sentence(lang, 3+r.IntN(4))
			}
			var threadTags []string
			if r.IntN(4) == 0 {
				threadTags = []string{tags[tagZipf.Uint64()]}
				if r.IntN(5) == 0 {
					threadTags = append(threadTags, tags[r.IntN(len(tags))])
				}
			}
			at := end.Add(-time.Duration(r.Int64N(int64(span))))
			n := 1 + r.IntN(9)
			for j := 0; j < n && len(a.Items) < want; j++ {
				dir := inbox.DirectionIn
				if j > 0 && r.IntN(100) < 45 {
					dir = inbox.DirectionOut
				}
				it := inbox.Item{
					ExternalID: fmt.Sprintf("%s-m%d", s.name, len(a.Items)), ThreadKey: thread, Kind: kind,
					Direction: dir, Subject: subject, Text: sentence(lang, 6+r.IntN(25)), SentAt: at,
				}
				if dir == inbox.DirectionIn {
					it.Author = author
					it.Sentiment = sentiments[r.IntN(len(sentiments))]
					it.SentimentScore = map[inbox.Sentiment]float64{inbox.SentimentNegative: -0.7, inbox.SentimentPositive: 0.6}[it.Sentiment]
				} else {
					it.Author = brand
				}
				if j == 0 {
					it.Tags = threadTags
				}
				a.Items = append(a.Items, it)
				at = at.Add(time.Duration(r.ExpFloat64() * float64(90*time.Minute)))
			}
			d.Threads++
		}
		slices.SortStableFunc(a.Items, func(x, y inbox.Item) int { return x.SentAt.Compare(y.SentAt) })
		d.Messages += len(a.Items)
		d.Accounts = append(d.Accounts, a)
	}
	return d
}
