package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	bsky "github.com/stormdesk/stormdesk/backend/channels/bluesky"
	rd "github.com/stormdesk/stormdesk/backend/channels/reddit"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/listening"
)

// ListeningTopic is a demo listening topic with the mentions the demo shows
// for it, each labelled with the tonality the generator meant.
type ListeningTopic struct {
	Name, Query, Kind string
	Mentions          []ListeningMention
}

// ListeningMention is a demo mention and its intended tonality.
type ListeningMention struct {
	listening.Mention
	Sentiment inbox.Sentiment
	Score     float64
}

// The demo's listening brand and its competitor (Aurora Air is a demo brand
// with inbox accounts too, so a mention can become a conversation).
const (
	ListeningBrand      = "Aurora Air"
	ListeningCompetitor = "Polar Wings"
)

// mentionLine is a text template: {b} is the brand, {r} the rival, {n} a number.
type mentionLine struct {
	lang string
	tone inbox.Sentiment
	text string
}

var mentionLines = []mentionLine{
	{"en", inbox.SentimentNegative, "{b} lost my bag again, third time this year. Unbelievable."},
	{"en", inbox.SentimentNegative, "Two hours on hold with {b} and still no refund for the cancelled flight"},
	{"en", inbox.SentimentNegative, "{b} flight delayed {n} hours and nobody at the gate tells us anything"},
	{"en", inbox.SentimentNegative, "Never flying {b} again after that cancellation, worst service ever"},
	{"en", inbox.SentimentNeutral, "Does anyone know if {b} allows pets in the cabin on domestic flights?"},
	{"en", inbox.SentimentNeutral, "{b} announces a new route to Lisbon from May"},
	{"en", inbox.SentimentNeutral, "Comparing {b} and {r} for a trip to Denver next month, any experiences?"},
	{"en", inbox.SentimentPositive, "The crew on {b} this morning was fantastic, thank you!"},
	{"en", inbox.SentimentPositive, "{b} rebooked me in five minutes after the storm, great service"},
	{"en", inbox.SentimentPositive, "Love the new {b} app, check-in took a minute"},
	{"de", inbox.SentimentNegative, "{b} hat schon wieder meinen Koffer verloren, ich bin so wütend"},
	{"de", inbox.SentimentNeutral, "Fliegt {b} im Winter noch nach Reykjavík?"},
	{"de", inbox.SentimentPositive, "Super Service bei {b} heute, danke an die Crew!"},
	{"ru", inbox.SentimentNegative, "{b} опять задержали рейс на {n} часа, никакой информации, ужасно"},
	{"ru", inbox.SentimentNeutral, "Кто летал {b} в Нью-Йорк, как там с питанием?"},
	{"ru", inbox.SentimentPositive, "Спасибо {b} за быструю помощь с багажом, отлично!"},
}

// demoSources are the sources the demo mentions come from, with how often.
var demoSources = []struct {
	name   string
	weight int
}{
	{listening.SourceMastodon, 5}, {listening.SourceBluesky, 4}, {listening.SourceReddit, 4},
	{listening.SourceYouTube, 2}, {listening.SourceHN, 1}, {listening.SourceRSS, 2},
}

// Listening returns the demo listening topics: the brand (about ten
// mentions a day over Span) and its competitor (about four a day), from six
// sources, in English, German and Russian. It is deterministic for a seed.
func Listening(now time.Time, seed int64) []ListeningTopic {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x1157e9))
	brand := ListeningTopic{Name: ListeningBrand, Kind: "brand",
		Query: `"aurora air" OR auroraair -careers`}
	rival := ListeningTopic{Name: ListeningCompetitor, Kind: "competitor",
		Query: `"polar wings" OR polarwings`}
	n := 0
	gen := func(t *ListeningTopic, name, other string, perDay int) {
		count := int(Span.Hours() / 24 * float64(perDay))
		for range count {
			n++
			at := now.Add(-time.Duration(rng.Float64() * float64(Span))).Truncate(time.Second)
			t.Mentions = append(t.Mentions, demoMention(rng, n, at, name, other))
		}
	}
	gen(&brand, ListeningBrand, ListeningCompetitor, 10)
	gen(&rival, ListeningCompetitor, ListeningBrand, 4)
	for i := range SpikeMentions {
		n++
		at := SpikeStart(now).Add(time.Duration(rng.Float64() * float64(spikeLength))).Truncate(time.Second)
		m := demoMention(rng, n, at, ListeningBrand, ListeningCompetitor)
		line := spikeLines[i%len(spikeLines)]
		m.Text = strings.NewReplacer("{b}", ListeningBrand, "{n}", fmt.Sprint(100+rng.IntN(300))).Replace(line.text)
		m.Lang, m.Sentiment, m.Score = line.lang, inbox.SentimentNegative, -0.8
		brand.Mentions = append(brand.Mentions, m)
	}
	return []ListeningTopic{brand, rival}
}

// The demo brand topic's spike: four days before now, SpikeMentions
// negative mentions about one story (a cancelled Denver flight) arrive
// within spikeLength, against about four negatives a day otherwise, so the
// crisis detector shows an explained alert for the topic's stream. It lies
// more than the detector's learning period (36 h) after the start of the
// replayed week, and before the inbox's outage (BurstStart), which stays the
// newest alert of the demo.
const (
	SpikeMentions = 28
	spikeLength   = 90 * time.Minute
)

// SpikeStart is when the demo brand topic's spike begins: 14:00 UTC four days before now.
func SpikeStart(now time.Time) time.Time {
	return now.UTC().Truncate(24 * time.Hour).Add(-4*24*time.Hour + 14*time.Hour)
}

var spikeLines = []mentionLine{
	{"en", inbox.SentimentNegative, "{b} cancelled the Denver flight and left {n} of us stranded at the gate, no hotel, no answers"},
	{"en", inbox.SentimentNegative, "Stranded in Denver: {b} cancelled our flight and the desk is closed. Disgraceful"},
	{"en", inbox.SentimentNegative, "{b} Denver cancellation, {n} passengers stranded overnight, not even water"},
	{"de", inbox.SentimentNegative, "{b} hat den Flug nach Denver gestrichen, wir sitzen fest, niemand hilft"},
	{"ru", inbox.SentimentNegative, "{b} отменили рейс в Денвер, {n} человек застряли в аэропорту, никто не помогает"},
}

func demoMention(rng *rand.Rand, n int, at time.Time, name, other string) ListeningMention {
	line := mentionLines[rng.IntN(len(mentionLines))]
	text := strings.NewReplacer("{b}", name, "{r}", other, "{n}", fmt.Sprint(2+rng.IntN(4))).Replace(line.text)
	src := pickSource(rng)
	// Audiences are heavy-tailed: most people have a few hundred followers.
	reach := int64(math.Exp(4 + 2.2*rng.NormFloat64()))
	handle := fmt.Sprintf("user%03d", rng.IntN(400))
	m := listening.Mention{Source: src, ExternalID: fmt.Sprintf("demo-%s-%d", src, n), Author: handle, AuthorID: handle,
		Reach: reach, Text: text, Lang: line.lang, Published: at, Replies: rng.IntN(12), Reactions: rng.IntN(80)}
	slug := strings.ToLower(strings.ReplaceAll(name, " ", ""))
	switch src {
	case listening.SourceMastodon:
		m.URL = fmt.Sprintf("https://mastodon.example/@%s/%d", handle, 110000000+n)
		m.AuthorURL = "https://mastodon.example/@" + handle
		id := fmt.Sprint(110000000 + n)
		m.ExternalID = id
		m.ReplyTo = &listening.ReplyRef{Channel: inbox.ChannelMastodon, ThreadKey: "status:" + id, InReplyTo: id}
	case listening.SourceBluesky:
		// As the source gives it (listening/bluesky): the at:// URI is the
		// id, the DID the author's id, and the post answerable by the
		// Bluesky channel, threaded under itself (it starts its thread).
		rkey := fmt.Sprintf("3kdemo%07d", n)
		uri := BlueskyPostURI(handle, rkey)
		did := strings.TrimSuffix(strings.TrimPrefix(uri, "at://"), "/app.bsky.feed.post/"+rkey)
		m.ExternalID, m.AuthorID = uri, did
		m.URL = "https://bsky.app/profile/" + did + "/post/" + rkey
		m.AuthorURL = "https://bsky.app/profile/" + handle + ".bsky.social"
		m.Reach = 0 // a post view carries no follower count
		m.ReplyTo = &listening.ReplyRef{Channel: inbox.ChannelBluesky, ThreadKey: bsky.ThreadKey(uri), InReplyTo: uri}
	case listening.SourceReddit:
		// As the source gives it (listening/reddit): the fullname is the id,
		// answered by the Reddit channel with a comment in the post's thread.
		id36 := strconv.FormatInt(int64(0x1a0000+n), 36)
		m.ExternalID = "t3_" + id36
		m.URL = "https://www.reddit.com/r/flights/comments/" + id36 + "/"
		m.Title = name + ": anyone else?"
		m.Reach = 0 // a listing has no author karma
		m.ReplyTo = &listening.ReplyRef{Channel: inbox.ChannelReddit, ThreadKey: rd.LinkThreadKey(m.ExternalID), InReplyTo: m.ExternalID}
	case listening.SourceYouTube:
		m.URL = fmt.Sprintf("https://www.youtube.com/watch?v=demo%05d", n)
		m.Title = "Flying " + name + " – honest review"
		m.Reach *= 10
		m.ReplyTo = &listening.ReplyRef{Channel: inbox.ChannelYouTube, ThreadKey: fmt.Sprintf("demo%05d", n), InReplyTo: fmt.Sprintf("demo%05d", n)}
	case listening.SourceHN:
		m.URL = fmt.Sprintf("https://news.ycombinator.com/item?id=%d", 39000000+n)
		m.Reach, m.Replies = 0, -1
	case listening.SourceRSS:
		m.URL = fmt.Sprintf("https://travel-news.example/%s/%d", slug, n)
		m.Title = name + " in the news"
		m.Author, m.AuthorID, m.Reach, m.Replies, m.Reactions = "Travel News", "", 0, -1, -1
	}
	score := map[inbox.Sentiment]float64{inbox.SentimentNegative: -0.7, inbox.SentimentNeutral: 0, inbox.SentimentPositive: 0.7}[line.tone]
	return ListeningMention{Mention: m, Sentiment: line.tone, Score: score}
}

func pickSource(rng *rand.Rand) string {
	total := 0
	for _, s := range demoSources {
		total += s.weight
	}
	k := rng.IntN(total)
	for _, s := range demoSources {
		if k < s.weight {
			return s.name
		}
		k -= s.weight
	}
	return demoSources[0].name
}
