package demo

import (
	"fmt"
	"strings"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

var (
	firstNames = [3][]string{
		en: {"James", "Emily", "Michael", "Sarah", "David", "Jessica", "Chris", "Ashley", "Ryan", "Megan", "Brandon", "Olivia", "Tyler", "Hannah", "Kevin", "Lauren", "Marcus", "Priya", "Diego", "Grace"},
		de: {"Anna", "Lukas", "Jonas", "Sophie", "Marie", "Felix", "Leonie", "Jürgen", "Sabine", "Björn", "Jörg", "Ute", "Günther", "Lena", "Tobias", "Katrin", "Mehmet", "Özlem", "Paul", "Johanna"},
	}
	lastNames = [3][]string{
		en: {"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Martinez", "Lee", "Walker", "Hall", "Young", "King", "Wright", "Lopez", "Nguyen", "Patel", "O'Brien", "Murphy"},
		de: {"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schäfer", "Koch", "Bauer", "Groß", "Krüger", "Hoffmann", "Weiß", "Schröder", "Jäger", "Yılmaz", "Neumann", "Böhm"},
	}
	// Russian names come in pairs so that the surname agrees with the first name.
	ruMale       = []string{"Алексей", "Дмитрий", "Сергей", "Андрей", "Иван", "Михаил", "Николай", "Павел", "Артём", "Егор"}
	ruFemale     = []string{"Анна", "Мария", "Екатерина", "Ольга", "Наталья", "Татьяна", "Юлия", "Ксения", "Дарья", "Светлана"}
	ruLastMale   = []string{"Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов", "Новиков", "Фёдоров", "Морозов", "Волков", "Лебедев", "Козлов", "Егоров"}
	mailDomains  = [3][]string{en: {"gmail.com", "outlook.com", "yahoo.com", "icloud.com"}, de: {"gmx.de", "web.de", "t-online.de", "posteo.de"}, ru: {"mail.ru", "yandex.ru", "gmail.com", "rambler.ru"}}
	mastoServers = [3][]string{en: {"mastodon.social", "mas.to", "mstdn.social", "fosstodon.org"}, de: {"chaos.social", "norden.social", "det.social", "mastodon.social"}, ru: {"mastodon.social", "lor.sh", "mastodon.online"}}
	// Influencers: first name (for replies), display name, handle.
	influencers = [3][][3]string{
		en: {{"Jess", "Jess | Wanderlust", "wanderlustjess"}, {"Dan", "Dan Reviews Tech", "danreviewstech"}, {"Kim", "Flying with Kids – Kim", "flyingwithkids"}, {"Matt", "Nomad Matt", "nomadmatt"}, {"Chris", "Chris | Points Daily", "pointsdaily"}},
		de: {{"Lena", "Lena unterwegs | Reiseblog", "lenaunterwegs"}, {"Sven", "Pendlerleben (Sven)", "pendlerleben"}, {"Jonas", "Jonas TechTalk", "jonastechtalk"}, {"Maike", "Gleisgeflüster · Maike", "gleisgefluester"}, {"Timo", "Timo fährt Zug", "timofaehrtzug"}},
		ru: {{"Павел", "Павел | IT-блогер", "pavel_it"}, {"Маша", "Маша путешествует", "masha_travels"}, {"Артём", "Питер Онлайн · Артём", "piter_online"}, {"Ольга", "Ольга о городе", "olga_spb"}, {"Кирилл", "Техно-обзор Кирилла", "tech_kirill"}},
	}
)

var translitRU = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e", 'ж': "zh", 'з': "z", 'и': "i", 'й': "y",
	'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f",
	'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch", 'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "yu", 'я': "ya",
}

// ascii turns a name into a lower-case ASCII handle part.
func ascii(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		case translitRU[r] != "":
			b.WriteString(translitRU[r])
		case r == 'ä':
			b.WriteString("ae")
		case r == 'ö':
			b.WriteString("oe")
		case r == 'ü':
			b.WriteString("ue")
		case r == 'ß':
			b.WriteString("ss")
		case r == 'ı':
			b.WriteString("i")
		}
	}
	return b.String()
}

// person is one customer; the same person may write several times.
type person struct {
	lang        lang
	first, last string
	display     string // display name when it is not first + last
	handle      string // ASCII, no @
	email       string
	numID       string // Telegram user id, VK id
	ytID        string
	server      string // Mastodon server
	reach       int64
	influencer  bool
}

func (p *person) full() string {
	if p.display != "" {
		return p.display
	}
	return strings.TrimSpace(p.first + " " + p.last)
}

// person invents a customer writing in l on channel c, or, now and then on a
// public channel, brings back one of the influencers.
func (g *gen) person(l lang, c inbox.ChannelKind) *person {
	public := c == inbox.ChannelVK || c == inbox.ChannelMastodon || c == inbox.ChannelYouTube
	if public && g.rng.Float64() < 0.03 {
		return g.influencer(l)
	}
	p := &person{lang: l}
	if l == ru {
		if g.rng.IntN(2) == 0 {
			p.first, p.last = pick(g, ruMale), pick(g, ruLastMale)
		} else {
			p.first, p.last = pick(g, ruFemale), pick(g, ruLastMale)+"а"
		}
	} else {
		p.first, p.last = pick(g, firstNames[l]), pick(g, lastNames[l])
	}
	f, s := ascii(p.first), ascii(p.last)
	switch g.rng.IntN(5) {
	case 0:
		p.handle = f + "." + s
	case 1:
		p.handle = f + s + fmt.Sprint(g.rng.IntN(90)+10)
	case 2:
		p.handle = f + "_" + s[:1]
	case 3:
		p.handle = f[:1] + s
	default:
		p.handle = s + "_" + f
	}
	for base, n := p.handle, 2; g.handles[p.handle]; n++ {
		p.handle = fmt.Sprintf("%s%d", base, n)
	}
	if public {
		p.reach = int64(g.logUniform(5, 2500))
	}
	g.ids(p)
	return p
}

// influencer returns one of the influencers writing in l, the same person
// every time it is drawn again.
func (g *gen) influencer(l lang) *person {
	n := pick(g, influencers[l])
	if p := g.influencers[n[2]]; p != nil {
		return p
	}
	p := &person{lang: l, first: n[0], display: n[1], handle: n[2], influencer: true,
		reach: int64(g.logUniform(50000, 500000))}
	g.ids(p)
	g.influencers[p.handle] = p
	return p
}

// ids gives p its addresses and ids on every channel.
func (g *gen) ids(p *person) {
	g.handles[p.handle] = true
	p.email = strings.ReplaceAll(p.handle, "_", ".") + "@" + pick(g, mailDomains[p.lang])
	p.numID = fmt.Sprint(100000000 + g.rng.Int64N(6900000000))
	p.ytID = "UC" + g.token(22, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
	p.server = pick(g, mastoServers[p.lang])
}

// author is how p appears on a channel.
func (p *person) author(c inbox.ChannelKind) inbox.Author {
	a := inbox.Author{Channel: c, DisplayName: p.full()}
	switch c {
	case inbox.ChannelMail:
		a.ExternalID, a.Handle = p.email, p.email
	case inbox.ChannelTelegram:
		a.ExternalID, a.Handle = p.numID, "@"+p.handle
	case inbox.ChannelVK:
		a.ExternalID, a.Handle, a.Reach = "id"+p.numID, p.handle, p.reach
	case inbox.ChannelMastodon:
		a.ExternalID, a.Handle, a.Reach = p.handle+"@"+p.server, "@"+p.handle+"@"+p.server, p.reach
	case inbox.ChannelYouTube:
		a.ExternalID, a.Handle, a.Reach = p.ytID, "@"+p.handle, p.reach
	case inbox.ChannelFacebook: // a page-scoped id; Messenger shows names, not handles
		a.ExternalID, a.Handle = p.numID, p.full()
	case inbox.ChannelInstagram: // an Instagram-scoped id
		a.ExternalID, a.Handle = p.numID, "@"+p.handle
	case inbox.ChannelWhatsApp: // the wa_id: the phone number in international form, digits only
		a.ExternalID, a.Handle = "1305"+p.numID, "+1305"+p.numID
	default:
		a.ExternalID, a.Handle = p.handle, p.handle
	}
	return a
}
