package demo

import (
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// burstProfile is the number of burst complaints in each 15-minute bin: about
// three hours in which negative messages run at ~10x the usual rate.
var burstProfile = []int{2, 3, 5, 6, 7, 7, 6, 6, 5, 4, 3, 2}

// BurstStart returns when the demo outage begins for a data set generated at
// now: 10:40 Moscow time on the day that was two days ago, i.e. 36–60 hours
// before now.
func BurstStart(now time.Time) time.Time {
	zone := time.FixedZone("sever-telecom", 3*3600)
	d := now.UTC().Add(-48 * time.Hour).In(zone)
	return time.Date(d.Year(), d.Month(), d.Day(), 10, 40, 0, 0, zone).UTC()
}

// burst writes the outage: a wave of near-duplicate complaints on every
// account of the brand, some by influencers, brand statements and, after the
// fix, a few follow-ups.
func (g *gen) burst(accts []*account) {
	byChannel := map[inbox.ChannelKind]*account{}
	for _, a := range accts {
		byChannel[a.spec.channel] = a
	}
	vk := byChannel[inbox.ChannelVK]
	yt := byChannel[inbox.ChannelYouTube]
	start := BurstStart(g.now)
	restored := start.Add(3*time.Hour + 50*time.Minute)
	zone := accts[0].zone
	since := clock(start.In(zone))
	eta := start.Add(4*time.Hour + 20*time.Minute).In(zone).Truncate(time.Hour).Format("15:04")
	post := vk.posts[len(vk.posts)-1] // the post everyone piles onto

	influencerAt := map[int]bool{3: true, 4: true, 5: true, 6: true, 8: true}
	// In the first hour the same complaint is copied on VK and Telegram, as
	// in real outages, so every alert on the burst has near-duplicates to
	// answer with one statement whatever the day's random draw.
	echo := func(bin, k int) *account {
		if bin < 1 || bin > 3 || k < 1 || k > 2 {
			return nil
		}
		if k == 1 {
			return vk
		}
		return byChannel[inbox.ChannelTelegram]
	}
	for bin, n := range burstProfile {
		for k := 0; k < n; k++ {
			at := start.Add(time.Duration(bin)*15*time.Minute + time.Duration(g.rng.Int64N(int64(15*time.Minute))))
			var a *account
			switch r := g.rng.Float64(); {
			case k == 0 && influencerAt[bin]:
				a = vk
				if bin%2 == 0 {
					a = yt
				}
			case r < 0.45:
				a = vk
			case r < 0.75:
				a = byChannel[inbox.ChannelTelegram]
			case r < 0.85:
				a = yt
			default:
				a = byChannel[inbox.ChannelMail]
			}
			var p *person
			switch {
			case k == 0 && influencerAt[bin]:
				p = g.influencer(ru)
			case g.rng.Float64() < 0.3:
				p = g.customer(a)
			default:
				p = g.person(g.burstLang(), a.spec.channel)
			}
			copied := echo(bin, k)
			if copied != nil {
				a = copied
				if p.lang != ru || p.influencer {
					p = g.person(ru, a.spec.channel)
				}
			}
			th := g.newThread(a, p, at)
			if a == vk {
				th.key = post + ":" + p.author(inbox.ChannelVK).ExternalID
			}
			th.slots["{since}"] = since
			th.slots["{eta}"] = eta
			var text string
			if copied != nil {
				text = th.fill(burstTexts[ru][0])
			} else if p.influencer {
				text = pick(g, burstInfluencer)
			} else {
				text = th.fill(pick(g, burstTexts[th.l]))
				text += pick(g, []string{"", "", "", "!", " 😡", " 🤬", " " + a.brand.hashtag})
			}
			if a.spec.channel == inbox.ChannelMail {
				th.subject = pick(g, map[lang][]string{
					ru: {"Нет интернета", "Авария?", "Нет связи с утра"},
					en: {"No internet", "Outage?"},
					de: {"Kein Internet", "Störung?"},
				}[th.l])
				text = g.compose(th, inbox.SentimentNegative, text, false)
			}
			th.add(at, inbox.DirectionIn, text, inbox.SentimentNegative, -(0.6 + 0.35*g.rng.Float64()), []string{"outage"})

			// The team acknowledges some, mostly once it knows what happened.
			if g.rng.Float64() < 0.35 || p.influencer {
				rt := at.Add(g.duration(15*time.Minute, 80*time.Minute))
				if min := start.Add(25 * time.Minute); rt.Before(min) {
					rt = min.Add(g.duration(time.Minute, 20*time.Minute))
				}
				body := th.fill(pick(g, burstReply))
				if th.l != ru {
					body = th.fill(topics[telecom][0].reply[th.l][0])
				}
				th.add(rt, inbox.DirectionOut, g.composeReply(th, body), inbox.SentimentNeutral, 0.05, nil)
			}
			// After the fix some customers write back.
			if g.rng.Float64() < 0.25 && th.l == ru {
				ft := restored.Add(g.duration(5*time.Minute, 2*time.Hour))
				if g.rng.Float64() < 0.7 {
					th.add(ft, inbox.DirectionIn, th.short(pick(g, burstAfter)), inbox.SentimentPositive, g.score(inbox.SentimentPositive)*0.8, nil)
				} else {
					th.add(ft, inbox.DirectionIn, th.short(pick(g, burstAfterAngry)), inbox.SentimentNegative, g.score(inbox.SentimentNegative), nil)
				}
			}
		}
	}
}

func (g *gen) burstLang() lang {
	switch r := g.rng.Float64(); {
	case r < 0.06:
		return en
	case r < 0.1:
		return de
	}
	return ru
}
