package demo

import (
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// Demo media (issue 20): each Meta account (Messenger, Instagram, WhatsApp)
// gets a photo of a damaged suitcase with a caption, a voice note without
// words and a boarding pass as a PDF. They are described only: no Ref, so
// saving one says the file is not available (media-unavailable), as for mail.
// They are placed by the threads already written, without drawing from the
// random stream, so every other account's data stays as it was.

var (
	demoPhoto = inbox.Attachment{Name: "suitcase.jpg", ContentType: "image/jpeg", Size: 284_611, Kind: "image"}
	demoVoice = inbox.Attachment{Name: "", ContentType: "audio/ogg", Size: 41_372, Kind: "audio"}
	demoPass  = inbox.Attachment{Name: "boarding-pass.pdf", ContentType: "application/pdf", Size: 96_204, Kind: "document"}
)

// photoCaption is what the customer writes under the photo, in their language.
var photoCaption = [3]string{
	en: "This is how my suitcase came off the belt: the shell is cracked and a wheel is gone.",
	de: "So kam mein Koffer vom Band: die Schale ist gebrochen und ein Rad fehlt.",
	ru: "Вот в каком виде мой чемодан приехал по ленте: корпус треснул, колесо оторвано.",
}

// mediaGap is how long after the message it follows a media message is sent;
// a thread is used only when the next message (or now) is further away.
const mediaGap = 2 * time.Minute

// isMeta says the channel's connectors deliver media attachments.
func isMeta(c inbox.ChannelKind) bool {
	return c == inbox.ChannelFacebook || c == inbox.ChannelInstagram || c == inbox.ChannelWhatsApp
}

// addMedia adds the three media messages to a's threads, newest threads first
// so they show near the top of the list: the photo after a customer's
// message in a baggage thread, the voice note and the boarding pass as the
// newest message of a thread whose customer spoke last (so the list's
// snippet names them). Items are in generation order, which is not always
// time order within a thread: a direct-message thread can hold two
// conversations with one person, and the first one's late follow-up is
// generated before the second starts, so "newest" and "next" go by time.
func addMedia(a *account, now time.Time) {
	byThread := map[string][]int{} // thread key → indexes of its items
	var order []string             // thread keys, newest start last
	last := map[string]int{}       // thread key → index of its newest item
	for i, it := range a.items {
		j, ok := last[it.ThreadKey]
		if !ok {
			order = append(order, it.ThreadKey)
		}
		if !ok || !it.SentAt.Before(a.items[j].SentAt) {
			last[it.ThreadKey] = i
		}
		byThread[it.ThreadKey] = append(byThread[it.ThreadKey], i)
	}
	used := map[string]bool{}
	// next returns when the message after item i in its thread is sent, or now.
	next := func(i int) time.Time {
		t := now
		for _, j := range byThread[a.items[i].ThreadKey] {
			if at := a.items[j].SentAt; j != i && !at.Before(a.items[i].SentAt) && at.Before(t) {
				t = at
			}
		}
		return t
	}
	// place finds the newest unused thread with an inbound item that ok
	// accepts and room after it, and adds the media message there.
	place := func(ok func(i int) bool, text func(key string) string, att inbox.Attachment, s inbox.Sentiment, score float64, tags []string) bool {
		for k := len(order) - 1; k >= 0; k-- {
			key := order[k]
			if used[key] {
				continue
			}
			idx := byThread[key]
			for n := len(idx) - 1; n >= 0; n-- {
				i := idx[n]
				it := a.items[i]
				if it.Direction != inbox.DirectionIn || !ok(i) {
					continue
				}
				at := it.SentAt.Add(mediaGap)
				if !next(i).After(at) {
					continue
				}
				used[key] = true
				m := it
				m.Text, m.Sentiment, m.SentimentScore, m.Tags = text(key), s, score, tags
				m.SentAt = at
				m.Attachments = []inbox.Attachment{att}
				m.Flags = nil
				a.items = append(a.items, m)
				return true
			}
		}
		return false
	}
	hasTag := func(i int, tag string) bool {
		for _, t := range a.items[i].Tags {
			if t == tag {
				return true
			}
		}
		return false
	}
	isLast := func(i int) bool { return last[a.items[i].ThreadKey] == i }
	// Some days' draw leaves no baggage thread with room: the photo then
	// follows another complaint, so every Meta account always has one.
	caption := func(key string) string { return photoCaption[a.langs[key]] }
	if !place(func(i int) bool { return hasTag(i, "baggage") }, caption, demoPhoto, inbox.SentimentNegative, -0.7, []string{"baggage"}) {
		place(func(i int) bool { return a.items[i].Sentiment == inbox.SentimentNegative }, caption, demoPhoto, inbox.SentimentNegative, -0.7, []string{"baggage"})
	}
	noWords := func(string) string { return "" }
	place(isLast, noWords, demoVoice, inbox.SentimentNeutral, 0, nil)
	place(isLast, noWords, demoPass, inbox.SentimentNeutral, 0, nil)
}
