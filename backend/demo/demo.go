// Package demo generates a deterministic demo data set, so that a first start
// without any configured account shows a living inbox: three brands speaking
// German, English and Russian, several accounts each across mail, Telegram, VK,
// Mastodon and YouTube, two weeks of complaints, questions, praise and brand
// replies, and one visible complaint burst (an outage at Север Телеком about two
// days before now). Every message is labelled with the sentiment the generator
// meant it to have.
//
// Like a connector, the package only produces inbox values; storing them is the
// ingest pipeline's job.
package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	bsky "github.com/stormdesk/stormdesk/backend/channels/bluesky"
	rd "github.com/stormdesk/stormdesk/backend/channels/reddit"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// Account is one demo account with its items, oldest first.
type Account struct {
	Account inbox.Account
	Items   []inbox.Item
}

// Span is how far back the demo data reaches.
const Span = 14 * 24 * time.Hour

// BurstBrand is the brand whose complaint burst the data set contains.
const BurstBrand = "Север Телеком"

type acctSpec struct {
	channel inbox.ChannelKind
	handle  string
	convs   int // conversations started over the two weeks
}

type brandSpec struct {
	name     string
	names    [3]string // the brand's name in text of each language
	slug     string
	lang     lang
	dom      domain
	utcOff   int    // hours; sets the daily rhythm
	mention  string // how customers mention it on Mastodon
	hashtag  string
	agents   [3][]string // support agents' names, by reply language
	accounts []acctSpec
	// later are accounts added after the data set was tuned; they are
	// generated after the others from a random stream of their own, so the
	// earlier accounts' data (and the crisis tests reading it) stay as they were.
	later []acctSpec
}

var brands = []brandSpec{
	{
		name: "Nordlicht Bahn", names: [3]string{"Nordlicht Bahn", "Nordlicht Bahn", "Nordlicht Bahn"},
		slug: "nordlicht-bahn", lang: de, dom: rail, utcOff: 1,
		mention: "@nordlichtbahn", hashtag: "#NordlichtBahn",
		agents: [3][]string{en: {"Jana", "Tobias", "Mehmet"}, de: {"Jana", "Tobias", "Mehmet", "Katrin"}, ru: {"Яна", "Тобиас"}},
		accounts: []acctSpec{
			{inbox.ChannelMail, "kundenservice@nordlicht-bahn.de", 90},
			{inbox.ChannelTelegram, "@NordlichtBahnBot", 110},
			{inbox.ChannelMastodon, "@nordlichtbahn@norden.social", 120},
			{inbox.ChannelYouTube, "@NordlichtBahn", 100},
		},
	},
	{
		name: "Aurora Air", names: [3]string{"Aurora Air", "Aurora Air", "Aurora Air"},
		slug: "aurora-air", lang: en, dom: air, utcOff: -5,
		mention: "@auroraair", hashtag: "#AuroraAir",
		agents: [3][]string{en: {"Megan", "Luis", "Priya", "Tom"}, de: {"Megan", "Luis"}, ru: {"Меган", "Луис"}},
		accounts: []acctSpec{
			{inbox.ChannelMail, "care@aurora-air.com", 90},
			{inbox.ChannelTelegram, "@AuroraAirHelpBot", 100},
			{inbox.ChannelMastodon, "@auroraair@mastodon.social", 130},
			{inbox.ChannelYouTube, "@AuroraAir", 100},
			{inbox.ChannelFacebook, "facebook.com/AuroraAir", 70},
			{inbox.ChannelInstagram, "@auroraair", 70},
		},
		// Bluesky and Reddit, so the demo's listening mentions from them can
		// be answered (demo.Listening).
		later: []acctSpec{
			{inbox.ChannelBluesky, "auroraair.bsky.social", 30},
			{inbox.ChannelReddit, "u/AuroraAirSupport", 30},
			// WhatsApp (issue 20): its conversations arrive by webhook on the team server.
			{inbox.ChannelWhatsApp, "+1 305 555 0142", 30},
		},
	},
	{
		name: BurstBrand, names: [3]string{"Sever Telecom", "Sever Telecom", "Север Телеком"},
		slug: "sever-telecom", lang: ru, dom: telecom, utcOff: 3,
		mention: "@severtelecom", hashtag: "#СеверТелеком",
		agents: [3][]string{en: {"Irina", "Denis"}, de: {"Irina", "Denis"}, ru: {"Ирина", "Денис", "Алина", "Максим"}},
		accounts: []acctSpec{
			{inbox.ChannelMail, "support@sever-telecom.ru", 80},
			{inbox.ChannelTelegram, "@SeverTelecomBot", 120},
			{inbox.ChannelVK, "vk.com/severtelecom", 160},
			{inbox.ChannelYouTube, "@SeverTelecom", 90},
		},
	},
}

// gen carries the random source and the time frame.
type gen struct {
	rng         *rand.Rand
	now, start  time.Time
	handles     map[string]bool
	influencers map[string]*person
	rhythm      map[string][]float64 // per zone: cumulative hourWeight per minute of the span
	serial      int64
}

// account is an account being filled.
type account struct {
	brand *brandSpec
	spec  acctSpec
	name  string
	self  inbox.Author // the brand's own author on this channel
	zone  *time.Location
	pool  []*person
	posts []string // post or video ids comments go under
	items []inbox.Item
	langs map[string]lang // thread key → the customer's language (media.go)
}

// Generate returns the demo accounts and their items, spanning the two weeks
// before now. The result depends only on now and seed. All times are UTC,
// whole seconds and strictly before now.
func Generate(now time.Time, seed int64) []Account {
	now = now.UTC().Round(0).Truncate(time.Second)
	g := &gen{
		rng:         rand.New(rand.NewPCG(uint64(seed), 0x5704d35c)),
		now:         now,
		start:       now.Add(-Span),
		handles:     map[string]bool{},
		influencers: map[string]*person{},
		rhythm:      map[string][]float64{},
	}
	var all []*account
	var burstTarget []*account
	for bi := range brands {
		b := &brands[bi]
		for _, s := range b.accounts {
			a := g.newAccount(b, s)
			all = append(all, a)
			for i := 0; i < s.convs; i++ {
				// stratified: one start per equal share of the day-weighted span,
				// so the background has no accidental bursts
				g.conversation(a, (float64(i)+g.rng.Float64())/float64(s.convs))
			}
			if b.name == BurstBrand {
				burstTarget = append(burstTarget, a)
			}
		}
	}
	g.burst(burstTarget)
	g.rng = rand.New(rand.NewPCG(uint64(seed), 0x1a7e5))
	for bi := range brands {
		for _, s := range brands[bi].later {
			a := g.newAccount(&brands[bi], s)
			all = append(all, a)
			for i := 0; i < s.convs; i++ {
				g.conversation(a, (float64(i)+g.rng.Float64())/float64(s.convs))
			}
		}
	}

	out := make([]Account, 0, len(all))
	for _, a := range all {
		if isMeta(a.spec.channel) {
			addMedia(a, now)
		}
		if a.spec.channel == inbox.ChannelInstagram {
			markRequests(a.items)
		}
		sort.SliceStable(a.items, func(i, j int) bool { return a.items[i].SentAt.Before(a.items[j].SentAt) })
		for i := range a.items {
			a.items[i].ExternalID = ExternalID(a.name, i+1)
		}
		out = append(out, Account{
			Account: inbox.Account{
				Channel:   a.spec.channel,
				Name:      a.name,
				Brand:     a.brand.name,
				Handle:    a.spec.handle,
				CreatedAt: g.start.Add(-24 * time.Hour),
			},
			Items: a.items,
		})
	}
	return out
}

// BlueskyPostURI is the at:// URI of a demo person's Bluesky post.
func BlueskyPostURI(handle, rkey string) string {
	return "at://did:plc:demo" + strings.ToLower(handle) + "/app.bsky.feed.post/" + rkey
}

// ExternalID names the nth message (from 1) of a demo account; the first one
// tells a demo account from a connected one.
func ExternalID(account string, n int) string {
	return fmt.Sprintf("demo-%s-%d", account, n)
}

func (g *gen) newAccount(b *brandSpec, s acctSpec) *account {
	a := &account{
		brand: b, spec: s,
		name:  b.slug + "-" + string(s.channel),
		zone:  time.FixedZone(b.slug, b.utcOff*3600),
		self:  inbox.Author{Channel: s.channel, ExternalID: s.handle, Handle: s.handle, DisplayName: b.name},
		langs: map[string]lang{},
	}
	switch s.channel {
	case inbox.ChannelYouTube:
		for i := 0; i < 8; i++ {
			a.posts = append(a.posts, g.token(11, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"))
		}
	case inbox.ChannelVK:
		group := 40000000 + g.rng.IntN(9000000)
		for i := 0; i < 10; i++ {
			a.posts = append(a.posts, fmt.Sprintf("wall-%d_%d", group, 1200+i*17+g.rng.IntN(15)))
		}
	}
	size := s.convs * 3 / 4
	for i := 0; i < size; i++ {
		a.pool = append(a.pool, nil) // created on first use
	}
	return a
}

// customer picks a (possibly returning) customer of the account.
func (g *gen) customer(a *account) *person {
	i := g.rng.IntN(len(a.pool))
	if a.pool[i] == nil {
		a.pool[i] = g.person(g.customerLang(a.brand), a.spec.channel)
	}
	return a.pool[i]
}

func (g *gen) customerLang(b *brandSpec) lang {
	r := g.rng.Float64()
	switch {
	case r < 0.8:
		return b.lang
	case r < 0.9:
		return (b.lang + 1) % 3
	default:
		return (b.lang + 2) % 3
	}
}

// thread is a conversation being written.
type thread struct {
	g       *gen
	a       *account
	p       *person
	l       lang
	key     string
	subject string
	slots   map[string]string
	n       int // messages so far
}

func (g *gen) newThread(a *account, p *person, t0 time.Time) *thread {
	th := &thread{g: g, a: a, p: p, l: p.lang}
	switch a.spec.channel {
	case inbox.ChannelMail:
		th.key = fmt.Sprintf("<%s@%s>", g.token(16, "0123456789abcdef"), p.email[strings.IndexByte(p.email, '@')+1:])
	case inbox.ChannelTelegram:
		th.key = p.numID // a DM chat is the whole history with one user
	case inbox.ChannelFacebook, inbox.ChannelInstagram:
		th.key = "dm:" + p.author(a.spec.channel).ExternalID // Messenger and Instagram DMs, keyed as their connectors do
	case inbox.ChannelWhatsApp:
		th.key = "wa:" + p.author(a.spec.channel).ExternalID // keyed as the webhook keys it
	case inbox.ChannelMastodon:
		g.serial++
		th.key = fmt.Sprint(t0.UnixMilli()<<16 | g.serial&0xffff) // Mastodon-style status id
	case inbox.ChannelBluesky:
		// each customer's post starts its thread, keyed as the channel's Fetch keys it
		th.key = bsky.ThreadKey(BlueskyPostURI(p.handle, g.token(13, "234567abcdefghijklmnopqrstuvwxyz")))
	case inbox.ChannelReddit:
		// a customer's post in a subreddit and the comments under it
		th.key = rd.LinkThreadKey("t3_" + g.token(7, "0123456789abcdefghijklmnopqrstuvwxyz"))
	default: // comments under a post or video, one conversation per author
		th.key = pick(g, a.posts) + ":" + p.author(a.spec.channel).ExternalID
	}
	a.langs[th.key] = p.lang
	th.slots = g.slots(a.brand, p.lang, t0.In(a.zone))
	th.slots["{first}"] = p.first
	th.slots["{full}"] = p.full()
	th.slots["{brand}"] = a.brand.names[p.lang]
	th.slots["{agent}"] = pick(g, a.brand.agents[p.lang])
	return th
}

func (th *thread) fill(s string) string {
	for k, v := range th.slots {
		if strings.Contains(s, k) {
			s = strings.ReplaceAll(s, k, v)
		}
	}
	return s
}

// short dresses a short customer follow-up for the channel: on Mastodon a
// reply mentions the brand; a mail is signed.
func (th *thread) short(text string) string {
	text = th.fill(text)
	switch th.a.spec.channel {
	case inbox.ChannelMastodon:
		return th.a.brand.mention + " " + text
	case inbox.ChannelMail:
		return text + "\n\n" + th.p.full()
	}
	return text
}

// add appends a message at t, unless t is not before now.
func (th *thread) add(t time.Time, dir inbox.Direction, text string, sent inbox.Sentiment, score float64, tags []string) bool {
	if !t.Before(th.g.now) {
		return false
	}
	a := th.a
	it := inbox.Item{
		ThreadKey:      th.key,
		Kind:           kindOf(a.spec.channel),
		Direction:      dir,
		Text:           text,
		SentAt:         t.UTC().Truncate(time.Second),
		Sentiment:      sent,
		SentimentScore: math.Round(score*100) / 100,
		Tags:           tags,
	}
	if dir == inbox.DirectionIn {
		it.Author = th.p.author(a.spec.channel)
	} else {
		it.Author = a.self
	}
	if a.spec.channel == inbox.ChannelMail {
		it.Subject = th.subject
		if th.n > 0 {
			it.Subject = replyPrefixFor(th.l) + th.subject
		}
	}
	a.items = append(a.items, it)
	th.n++
	return true
}

func replyPrefixFor(l lang) string {
	if l == de {
		return "AW: "
	}
	return "Re: "
}

func kindOf(c inbox.ChannelKind) inbox.MessageKind {
	switch c {
	case inbox.ChannelMail:
		return inbox.KindMail
	case inbox.ChannelTelegram, inbox.ChannelFacebook, inbox.ChannelInstagram, inbox.ChannelWhatsApp:
		return inbox.KindDM
	}
	return inbox.KindComment
}

// conversation writes one background conversation starting at quantile u of
// the day-weighted span: a customer message, maybe a nudge, maybe a reply,
// maybe a follow-up and an escalation.
func (g *gen) conversation(a *account, u float64) {
	p := g.customer(a)
	t0 := g.timeAt(a.zone, u)
	th := g.newThread(a, p, t0)
	tp := g.topic(a.brand.dom)
	idx := g.rng.IntN(len(tp.text[th.l]))
	core := th.fill(tp.text[th.l][idx])
	score := g.score(tp.sentiment)
	angry := tp.sentiment == inbox.SentimentNegative && g.rng.Float64() < 0.15
	if angry {
		score = math.Max(-1, score-0.15)
	}
	if a.spec.channel == inbox.ChannelMail {
		th.subject = th.fill(pick(g, tp.subject[th.l]))
	}
	th.add(t0, inbox.DirectionIn, g.compose(th, tp.sentiment, core, angry), tp.sentiment, score, []string{tp.tag})

	t := t0
	if tp.sentiment == inbox.SentimentNegative && a.spec.channel != inbox.ChannelMail && g.rng.Float64() < 0.15 {
		t = t.Add(g.duration(15*time.Minute, 3*time.Hour))
		th.add(t, inbox.DirectionIn, th.short(pick(g, nudges[th.l])), inbox.SentimentNegative, g.score(inbox.SentimentNegative)*0.7, nil)
	}
	answerP := map[inbox.ChannelKind]float64{inbox.ChannelMail: 0.75, inbox.ChannelTelegram: 0.8}[a.spec.channel]
	if answerP == 0 {
		answerP = 0.55
	}
	if g.rng.Float64() >= answerP {
		return
	}
	t = g.replyTime(a, t)
	reply := tp.reply[th.l][idx%len(tp.reply[th.l])]
	replySent := inbox.SentimentNeutral
	if tp.sentiment == inbox.SentimentPositive {
		replySent = inbox.SentimentPositive
	}
	if !th.add(t, inbox.DirectionOut, g.composeReply(th, th.fill(reply)), replySent, g.score(replySent)*0.6, nil) {
		return
	}
	if tp.sentiment == inbox.SentimentPositive || g.rng.Float64() >= 0.45 {
		return
	}
	t = t.Add(g.duration(10*time.Minute, 20*time.Hour))
	switch {
	case tp.sentiment == inbox.SentimentNeutral:
		th.add(t, inbox.DirectionIn, th.short(pick(g, answerThanks[th.l])), inbox.SentimentPositive, g.score(inbox.SentimentPositive), nil)
	case g.rng.Float64() < 0.6:
		th.add(t, inbox.DirectionIn, th.short(pick(g, resolvedThanks[th.l])), inbox.SentimentPositive, g.score(inbox.SentimentPositive), nil)
	default:
		if th.add(t, inbox.DirectionIn, th.short(pick(g, stillUnhappy[th.l])), inbox.SentimentNegative, g.score(inbox.SentimentNegative), nil) && g.rng.Float64() < 0.7 {
			th.add(g.replyTime(a, t), inbox.DirectionOut, g.composeReply(th, th.fill(escalation[th.l][0])), inbox.SentimentNeutral, 0.05, nil)
		}
	}
}

// compose dresses a customer's core text for the channel.
func (g *gen) compose(th *thread, s inbox.Sentiment, core string, angry bool) string {
	l := th.l
	if th.a.spec.channel == inbox.ChannelMail {
		var b strings.Builder
		b.WriteString(th.fill(pick(g, mailGreeting[l])))
		b.WriteString("\n\n")
		b.WriteString(core)
		if d := pick(g, mailDetail[s][l]); d != "" {
			b.WriteString(" " + d)
		}
		b.WriteString("\n\n" + pick(g, mailSignoff[l]) + "\n" + th.p.full())
		return b.String()
	}
	text := pick(g, openers[s][l]) + core + pick(g, closers[s][l])
	if angry {
		if suffix := pick(g, angrySuffix[l]); suffix == "!!!" {
			text = strings.TrimRight(text, ".") + suffix
		} else {
			text += suffix
		}
	}
	switch th.a.spec.channel {
	case inbox.ChannelMastodon:
		text = th.a.brand.mention + " " + text
		if g.rng.Float64() < 0.3 {
			text += " " + th.a.brand.hashtag
		}
	case inbox.ChannelVK, inbox.ChannelYouTube:
		if g.rng.Float64() < 0.1 {
			text += " " + th.a.brand.hashtag
		}
	}
	return text
}

// composeReply dresses a brand reply for the channel.
func (g *gen) composeReply(th *thread, body string) string {
	l := th.l
	if th.a.spec.channel == inbox.ChannelMail {
		greeting := pick(g, replyMailGreeting[l])
		if strings.Contains(body, th.p.first) {
			greeting = replyMailGreetingPlain[l]
		}
		return th.fill(greeting) + "\n\n" + body + "\n\n" + th.fill(replyMailSignoff[l][0])
	}
	text := body
	if !strings.Contains(body, th.p.first) {
		text = th.fill(pick(g, replyPrefix[l])) + body
	}
	if th.a.spec.channel == inbox.ChannelMastodon {
		text = th.p.author(inbox.ChannelMastodon).Handle + " " + text
	}
	agent := []rune(th.slots["{agent}"])
	return text + " ^" + string(agent[:1])
}

// topic picks a message topic by weight.
func (g *gen) topic(d domain) *topic {
	ts := topics[d]
	total := 0
	for i := range ts {
		total += ts[i].weight
	}
	n := g.rng.IntN(total)
	for i := range ts {
		if n < ts[i].weight {
			return &ts[i]
		}
		n -= ts[i].weight
	}
	return &ts[len(ts)-1]
}

// score returns a sentiment score consistent with the label.
func (g *gen) score(s inbox.Sentiment) float64 {
	switch s {
	case inbox.SentimentNegative:
		return -(0.45 + 0.45*g.rng.Float64())
	case inbox.SentimentPositive:
		return 0.45 + 0.5*g.rng.Float64()
	}
	return 0.24*g.rng.Float64() - 0.12
}

// hourWeight is the relative message volume by local hour.
var hourWeight = [24]float64{
	0.3, 0.2, 0.15, 0.12, 0.15, 0.25, 0.5, 0.8, 1, 1, 0.95, 0.9,
	0.9, 0.95, 0.95, 1, 1, 1, 0.95, 0.9, 0.85, 0.7, 0.55, 0.4,
}

// timeAt maps u in [0, 1) to a time in the span such that uniform u follow the
// daily rhythm (hourWeight) in zone: the inverse of the rhythm's distribution
// function, at minute resolution.
func (g *gen) timeAt(zone *time.Location, u float64) time.Time {
	cum := g.rhythm[zone.String()]
	if cum == nil {
		minutes := int((Span - 2*time.Minute) / time.Minute)
		cum = make([]float64, minutes+1)
		for i := 0; i < minutes; i++ {
			h := g.start.Add(time.Duration(i) * time.Minute).In(zone).Hour()
			cum[i+1] = cum[i] + hourWeight[h]
		}
		g.rhythm[zone.String()] = cum
	}
	x := u * cum[len(cum)-1]
	i := sort.SearchFloat64s(cum, x) // first i with cum[i] >= x
	if i == 0 {
		return g.start
	}
	frac := (x - cum[i-1]) / (cum[i] - cum[i-1])
	return g.start.Add(time.Duration((float64(i-1) + frac) * float64(time.Minute)))
}

// replyTime is when the brand answers a message sent at t: minutes on DMs,
// hours on mail; the team works 7:00–23:00 local time.
func (g *gen) replyTime(a *account, t time.Time) time.Time {
	var d time.Duration
	switch a.spec.channel {
	case inbox.ChannelMail:
		d = g.duration(40*time.Minute, 30*time.Hour)
	case inbox.ChannelTelegram:
		d = g.duration(3*time.Minute, 4*time.Hour)
	default:
		d = g.duration(10*time.Minute, 10*time.Hour)
	}
	r := t.Add(d)
	local := r.In(a.zone)
	if h := local.Hour(); h >= 23 || h < 7 {
		day := local
		if h >= 23 {
			day = local.Add(24 * time.Hour)
		}
		r = time.Date(day.Year(), day.Month(), day.Day(), 7, 0, 0, 0, a.zone).Add(g.duration(5*time.Minute, 100*time.Minute))
	}
	return r
}

// duration draws log-uniformly from [lo, hi].
func (g *gen) duration(lo, hi time.Duration) time.Duration {
	return time.Duration(g.logUniform(float64(lo), float64(hi)))
}

func (g *gen) logUniform(lo, hi float64) float64 {
	return math.Exp(math.Log(lo) + g.rng.Float64()*(math.Log(hi)-math.Log(lo)))
}

func (g *gen) token(n int, alphabet string) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[g.rng.IntN(len(alphabet))]
	}
	return string(b)
}

func pick[T any](g *gen, xs []T) T { return xs[g.rng.IntN(len(xs))] }
