package demo

import (
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// cases are the (now, seed) pairs every property is checked on: different
// times of day move the burst and the daily rhythm around.
// The last case uses the real clock: properties that only hold with high
// probability (no accidental burst elsewhere) are checked on fixed cases only.
var cases = []struct {
	name  string
	now   time.Time
	seed  int64
	fixed bool
}{
	{"afternoon", time.Date(2025, 3, 14, 15, 7, 0, 0, time.UTC), 1, true},
	{"night", time.Date(2024, 12, 31, 2, 30, 45, 0, time.UTC), 42, true},
	{"late evening", time.Date(2026, 6, 1, 23, 59, 59, 999, time.UTC), -5, true},
	{"clock now in another zone", time.Now().In(time.FixedZone("X", -7*3600)), 2024, false},
}

func TestDeterministic(t *testing.T) {
	now := time.Date(2025, 3, 14, 15, 7, 0, 0, time.UTC)
	a, b := Generate(now, 7), Generate(now, 7)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two runs with the same seed and now differ")
	}
	// The same instant in another zone gives the same data.
	if c := Generate(now.In(time.FixedZone("Y", 5*3600)), 7); !reflect.DeepEqual(a, c) {
		t.Error("the zone of now changes the data")
	}
	d := Generate(now, 8)
	same := 0
	for i := range a {
		if len(a[i].Items) == len(d[i].Items) && reflect.DeepEqual(a[i].Items[0], d[i].Items[0]) {
			same++
		}
	}
	if same == len(a) {
		t.Error("seeds 7 and 8 give the same data")
	}
}

func TestAccounts(t *testing.T) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			accts := Generate(c.now, c.seed)
			names := map[string]bool{}
			perBrand := map[string]map[inbox.ChannelKind]bool{}
			for _, a := range accts {
				acc := a.Account
				if names[acc.Name] {
					t.Errorf("account name %q twice", acc.Name)
				}
				names[acc.Name] = true
				if !acc.Channel.Valid() || acc.Handle == "" || acc.Brand == "" {
					t.Errorf("bad account %+v", acc)
				}
				if !strings.HasSuffix(acc.Name, "-"+string(acc.Channel)) {
					t.Errorf("account name %q does not end in its channel %q", acc.Name, acc.Channel)
				}
				if !acc.CreatedAt.Before(c.now.Add(-Span)) {
					t.Errorf("%s created %v, after its first possible message", acc.Name, acc.CreatedAt)
				}
				if perBrand[acc.Brand] == nil {
					perBrand[acc.Brand] = map[inbox.ChannelKind]bool{}
				}
				perBrand[acc.Brand][acc.Channel] = true
			}
			if len(perBrand) != 3 {
				t.Fatalf("brands = %v, want 3", perBrand)
			}
			for brand, chans := range perBrand {
				if len(chans) < 4 || !chans[inbox.ChannelMail] || !chans[inbox.ChannelTelegram] || !chans[inbox.ChannelYouTube] {
					t.Errorf("%s has channels %v, want mail, telegram, youtube and more", brand, chans)
				}
				if chans[inbox.ChannelVK] != (brand == BurstBrand) {
					t.Errorf("%s: vk = %v; only the Russian brand is on VK", brand, chans[inbox.ChannelVK])
				}
			}
		})
	}
}

func TestItemsValid(t *testing.T) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			now := c.now
			total := 0
			for _, a := range Generate(now, c.seed) {
				name, ch := a.Account.Name, a.Account.Channel
				ids := map[string]bool{}
				// The smallest accounts (Bluesky, Reddit, WhatsApp) start 30 conversations, each
				// with at least one message; their totals vary with now (43–51 seen), so 50 failed
				// at some hours of the day.
				if len(a.Items) < 30 {
					t.Errorf("%s: only %d items", name, len(a.Items))
				}
				for i, it := range a.Items {
					total++
					where := name + "/" + it.ExternalID
					if ids[it.ExternalID] || !strings.HasPrefix(it.ExternalID, "demo-"+name+"-") {
						t.Errorf("%s: external id duplicate or not demo-<account>-<n>", where)
					}
					ids[it.ExternalID] = true
					if !it.Kind.Valid() || it.Kind != kindOf(ch) {
						t.Errorf("%s: kind %q on %s", where, it.Kind, ch)
					}
					if it.Direction != inbox.DirectionIn && it.Direction != inbox.DirectionOut {
						t.Errorf("%s: direction %q", where, it.Direction)
					}
					// a voice note or a document may come without words (media.go)
					if (strings.TrimSpace(it.Text) == "" && len(it.Attachments) == 0) || strings.Contains(it.Text, "{") || it.ThreadKey == "" {
						t.Errorf("%s: empty or unfilled text %q / thread %q", where, it.Text, it.ThreadKey)
					}
					if !it.SentAt.Before(now) || it.SentAt.Before(now.Add(-15*24*time.Hour)) {
						t.Errorf("%s: SentAt %v outside [now-15d, now)", where, it.SentAt)
					}
					if it.SentAt.Location() != time.UTC || it.SentAt.Nanosecond() != 0 {
						t.Errorf("%s: SentAt %v not whole UTC seconds", where, it.SentAt)
					}
					if i > 0 && it.SentAt.Before(a.Items[i-1].SentAt) {
						t.Errorf("%s: items not in time order", where)
					}
					au := it.Author
					if au.Channel != ch || au.ExternalID == "" || au.Handle == "" || au.DisplayName == "" {
						t.Errorf("%s: bad author %+v", where, au)
					}
					if it.Direction == inbox.DirectionOut && au.Handle != a.Account.Handle {
						t.Errorf("%s: outbound author %q is not the account %q", where, au.Handle, a.Account.Handle)
					}
					if (ch == inbox.ChannelMail) != (it.Subject != "") {
						t.Errorf("%s: subject %q on %s", where, it.Subject, ch)
					}
					if !labelMatchesScore(it.Sentiment, it.SentimentScore) {
						t.Errorf("%s: label %q with score %v", where, it.Sentiment, it.SentimentScore)
					}
					if !utf8Clean(it.Text) {
						t.Errorf("%s: text %q has control characters", where, it.Text)
					}
				}
			}
			if total < 2000 || total > 4000 {
				t.Errorf("%d items, want 2,000–4,000", total)
			}
		})
	}
}

func labelMatchesScore(s inbox.Sentiment, score float64) bool {
	switch s {
	case inbox.SentimentNegative:
		return score < -0.2 && score >= -1
	case inbox.SentimentPositive:
		return score > 0.2 && score <= 1
	case inbox.SentimentNeutral:
		return score >= -0.2 && score <= 0.2
	}
	return false // every demo message is labelled
}

func utf8Clean(s string) bool {
	for _, r := range s {
		if r == '\uFFFD' || (unicode.IsControl(r) && r != '\n') {
			return false
		}
	}
	return true
}

// TestLabelsFollowTopics checks that labels agree with what was written:
// praise is positive, questions neutral, complaints negative.
func TestLabelsFollowTopics(t *testing.T) {
	want := map[string]inbox.Sentiment{
		"praise": inbox.SentimentPositive, "question": inbox.SentimentNeutral,
		"delay": inbox.SentimentNegative, "refund": inbox.SentimentNegative, "billing": inbox.SentimentNegative,
		"outage": inbox.SentimentNegative, "baggage": inbox.SentimentNegative, "staff": inbox.SentimentNegative,
	}
	seen := map[string]int{}
	for _, a := range Generate(cases[0].now, cases[0].seed) {
		for _, it := range a.Items {
			if it.Direction == inbox.DirectionOut {
				if len(it.Tags) > 0 || it.Sentiment == inbox.SentimentNegative {
					t.Errorf("%s: brand reply tagged %v or negative", it.ExternalID, it.Tags)
				}
				continue
			}
			for _, tag := range it.Tags {
				seen[tag]++
				if w, ok := want[tag]; ok && it.Sentiment != w {
					t.Errorf("%s: tag %s but sentiment %s: %q", it.ExternalID, tag, it.Sentiment, it.Text)
				}
			}
		}
	}
	for tag := range want {
		if seen[tag] == 0 {
			t.Errorf("no message tagged %s", tag)
		}
	}
}

func TestConversations(t *testing.T) {
	for _, a := range Generate(cases[0].now, cases[0].seed) {
		threads := map[string][]inbox.Item{}
		for _, it := range a.Items {
			threads[it.ThreadKey] = append(threads[it.ThreadKey], it)
		}
		answered, long := 0, 0
		for key, items := range threads {
			if items[0].Direction != inbox.DirectionIn {
				t.Errorf("%s thread %s starts with a brand message", a.Account.Name, key)
			}
			hasOut := false
			for i, it := range items {
				hasOut = hasOut || it.Direction == inbox.DirectionOut
				if a.Account.Channel == inbox.ChannelMail && i > 0 && !strings.HasPrefix(it.Subject, "Re: ") && !strings.HasPrefix(it.Subject, "AW: ") {
					t.Errorf("%s: later mail in thread has subject %q", it.ExternalID, it.Subject)
				}
			}
			if hasOut {
				answered++
			}
			if len(items) >= 3 {
				long++
			}
			switch a.Account.Channel {
			case inbox.ChannelYouTube, inbox.ChannelVK:
				// one conversation per post and author
				if want := ":" + items[0].Author.ExternalID; !strings.HasSuffix(key, want) {
					t.Errorf("%s thread %q does not end in %q", a.Account.Name, key, want)
				}
			case inbox.ChannelTelegram:
				if key != items[0].Author.ExternalID {
					t.Errorf("%s DM thread %q is not the chat with %q", a.Account.Name, key, items[0].Author.ExternalID)
				}
			case inbox.ChannelWhatsApp:
				if key != "wa:"+items[0].Author.ExternalID || items[0].Kind != inbox.KindDM {
					t.Errorf("%s thread %q is not wa:<the customer's wa_id> %q", a.Account.Name, key, items[0].Author.ExternalID)
				}
			case inbox.ChannelFacebook, inbox.ChannelInstagram:
				if key != "dm:"+items[0].Author.ExternalID {
					t.Errorf("%s DM thread %q is not dm:<the customer's id> %q", a.Account.Name, key, items[0].Author.ExternalID)
				}
			}
		}
		// a living inbox: some answered, some not, some longer exchanges
		if answered*10 < len(threads)*3 || answered == len(threads) || long == 0 {
			t.Errorf("%s: %d threads, %d answered, %d with 3+ messages", a.Account.Name, len(threads), answered, long)
		}
	}
}

func TestLanguages(t *testing.T) {
	isRU := func(s string) bool {
		return strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Cyrillic, r) })
	}
	isDE := func(s string) bool {
		if strings.ContainsAny(s, "äöüÄÖÜß„") {
			return true
		}
		words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) })
		for _, w := range words {
			switch w {
			case "ich", "der", "die", "das", "und", "nicht", "mit", "ist", "danke", "bitte", "hallo", "sie", "wir", "ein", "eine", "im", "auf", "kein", "gibt":
				return true
			}
		}
		return false
	}
	isEN := func(s string) bool { return !isRU(s) && !isDE(s) }
	primary := map[string]func(string) bool{"Nordlicht Bahn": isDE, "Aurora Air": isEN, BurstBrand: isRU}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			type counts struct{ n, primary, ru, de, en int }
			per := map[string]*counts{}
			for _, a := range Generate(c.now, c.seed) {
				k := per[a.Account.Brand]
				if k == nil {
					k = &counts{}
					per[a.Account.Brand] = k
				}
				for _, it := range a.Items {
					k.n++
					if primary[a.Account.Brand](it.Text) {
						k.primary++
					}
					switch {
					case isRU(it.Text):
						k.ru++
					case isDE(it.Text):
						k.de++
					case isEN(it.Text):
						k.en++
					}
				}
			}
			umlauts, cyrillic := 0, 0
			for _, a := range Generate(c.now, c.seed) {
				for _, it := range a.Items {
					if strings.ContainsAny(it.Text, "äöüÄÖÜß") {
						umlauts++
					}
					if isRU(it.Text) {
						cyrillic++
					}
				}
			}
			if umlauts < 100 || cyrillic < 500 {
				t.Errorf("%d texts with umlauts or ß, %d with Cyrillic", umlauts, cyrillic)
			}
			for brand, k := range per {
				if k.primary*100 < k.n*65 {
					t.Errorf("%s: %d of %d messages in its own language, want >= 65%%", brand, k.primary, k.n)
				}
				// the other two languages each show up
				if k.ru == 0 || k.de == 0 || k.en == 0 || k.n-k.primary < k.n/20 {
					t.Errorf("%s: ru %d de %d en %d of %d: want a mix", brand, k.ru, k.de, k.en, k.n)
				}
			}
		})
	}
}

func TestInfluencers(t *testing.T) {
	big := map[string]int64{}
	for _, a := range Generate(cases[0].now, cases[0].seed) {
		for _, it := range a.Items {
			r := it.Author.Reach
			if r < 0 || r > 500000 {
				t.Errorf("%s: reach %d", it.ExternalID, r)
			}
			if r >= 50000 {
				if a.Account.Channel == inbox.ChannelMail || a.Account.Channel == inbox.ChannelTelegram {
					t.Errorf("%s: reach %d on %s, which has no audience", it.ExternalID, r, a.Account.Channel)
				}
				big[it.Author.Handle] = r
			}
		}
	}
	if len(big) < 5 {
		t.Errorf("influencers (reach >= 50k): %v, want at least 5", big)
	}
}

// hourly counts negative messages of brand per hour since now-Span.
func hourly(accts []Account, brand string, now time.Time) []int {
	start := now.Truncate(time.Second).Add(-Span)
	bins := make([]int, int(Span/time.Hour)+1)
	for _, a := range accts {
		if a.Account.Brand != brand {
			continue
		}
		for _, it := range a.Items {
			if it.Sentiment == inbox.SentimentNegative {
				bins[int(it.SentAt.Sub(start)/time.Hour)]++
			}
		}
	}
	return bins
}

func maxMedian(bins []int) (max, maxAt, median int) {
	for i, n := range bins {
		if n > max {
			max, maxAt = n, i
		}
	}
	s := append([]int(nil), bins...)
	sort.Ints(s)
	return max, maxAt, s[len(s)/2]
}

func TestBurst(t *testing.T) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			accts := Generate(c.now, c.seed)
			now := c.now.UTC().Truncate(time.Second)
			bs := BurstStart(c.now)
			// 10:40 Moscow time on the day two days back: from 37h20m (now at midnight
			// there) to 61h20m (now just before the next midnight) before now.
			if ago := now.Sub(bs); ago < 37*time.Hour+20*time.Minute || ago > 61*time.Hour+20*time.Minute {
				t.Errorf("burst starts %v before now, want about two days", ago)
			}
			for _, b := range brands {
				max, at, median := maxMedian(hourly(accts, b.name, c.now))
				peak := now.Add(-Span).Add(time.Duration(at) * time.Hour)
				base := median
				if base < 1 {
					base = 1 // a median of 0 would make any peak count
				}
				if b.name == BurstBrand {
					if max < 8*base {
						t.Errorf("%s: peak %d negatives/hour vs median %d, want >= 8x", b.name, max, median)
					}
					if peak.Before(bs.Add(-time.Hour)) || peak.After(bs.Add(4*time.Hour)) {
						t.Errorf("%s: peak hour %v not in the burst starting %v", b.name, peak, bs)
					}
				} else if c.fixed && max >= 8*base {
					t.Errorf("%s: unexpected burst: peak %d negatives/hour vs median %d", b.name, max, median)
				}
			}

			// The burst reads like one: near-duplicates, several channels, influencers.
			var texts []string
			influencers := 0
			chans := map[inbox.ChannelKind]int{}
			for _, a := range accts {
				if a.Account.Brand != BurstBrand {
					continue
				}
				for _, it := range a.Items {
					if it.SentAt.Before(bs) || !it.SentAt.Before(bs.Add(3*time.Hour)) || it.Sentiment != inbox.SentimentNegative {
						continue
					}
					chans[a.Account.Channel]++
					texts = append(texts, it.Text)
					if it.Author.Reach >= 50000 {
						influencers++
					}
				}
			}
			dup := nearDuplicates(texts, 0.6)
			if dup*10 < len(texts)*4 || influencers < 3 || len(chans) < 3 {
				t.Errorf("burst: %d of %d complaints have a near-duplicate, %d influencer posts, channels %v", dup, len(texts), influencers, chans)
			}
		})
	}
}

// nearDuplicates counts the texts that share at least min (Jaccard) of their
// words with another text.
func nearDuplicates(texts []string, min float64) int {
	words := make([]map[string]bool, len(texts))
	for i, t := range texts {
		words[i] = map[string]bool{}
		for _, w := range strings.FieldsFunc(strings.ToLower(t), func(r rune) bool { return !unicode.IsLetter(r) }) {
			words[i][w] = true
		}
	}
	n := 0
	for i := range words {
		for j := range words {
			if i == j {
				continue
			}
			both := 0
			for w := range words[i] {
				if words[j][w] {
					both++
				}
			}
			if union := len(words[i]) + len(words[j]) - both; union > 0 && float64(both)/float64(union) >= min {
				n++
				break
			}
		}
	}
	return n
}

func TestUnitsAndMoney(t *testing.T) {
	tests := []struct {
		n    int
		what string
		l    lang
		want string
	}{
		{1, "hour", ru, "1 час"}, {3, "hour", ru, "3 часа"}, {5, "hour", ru, "5 часов"}, {11, "day", ru, "11 дней"},
		{22, "minute", ru, "22 минуты"}, {21, "day", ru, "21 день"}, {14, "day", ru, "14 дней"},
		{1, "hour", en, "1 hour"}, {2, "hour", en, "2 hours"}, {5, "day", de, "5 Tagen"}, {40, "minute", de, "40 Minuten"},
	}
	for _, tt := range tests {
		if got := unit(tt.l, tt.n, tt.what); got != tt.want {
			t.Errorf("unit(%d, %s) = %q, want %q", tt.n, tt.what, got, tt.want)
		}
	}
	amounts := []struct {
		l        lang
		currency string
		v        float64
		want     string
	}{
		{en, "EUR", 49.9, "€49.90"}, {de, "EUR", 1234.5, "1.234,50 €"}, {ru, "RUB", 12900, "12 900 ₽"},
		{en, "USD", 412, "$412"}, {de, "USD", 412, "412 Dollar"}, {en, "RUB", 1290, "1,290 rubles"},
	}
	for _, tt := range amounts {
		if got := money(tt.l, tt.currency, tt.v); got != tt.want {
			t.Errorf("money(%v, %s, %v) = %q, want %q", tt.l, tt.currency, tt.v, got, tt.want)
		}
	}
}
