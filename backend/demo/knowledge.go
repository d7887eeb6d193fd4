package demo

import "github.com/stormdesk/stormdesk/backend/drafts"

// Canned returns the demo's canned replies in the three languages.
func Canned() []drafts.Canned {
	return []drafts.Canned{
		{ID: "demo-ack-en", Title: "Acknowledge and look into it", Lang: "en", Tags: []string{"general"},
			Body: "Hi {{customer}}, thank you for telling us and sorry for the trouble. We are looking into it now and will get back to you by {{eta}}.\n{{agent}}, {{brand}}"},
		{ID: "demo-outage-ru", Title: "Сбой: уже чиним", Lang: "ru", Tags: []string{"outage"},
			Body: "Здравствуйте, {{customer}}! Приносим извинения: сейчас в вашем районе сбой, инженеры уже работают. Сообщим, как только связь восстановится, ориентировочно к {{eta}}.\n{{agent}}, {{brand}}"},
		{ID: "demo-delay-de", Title: "Verspätung: Entschuldigung", Lang: "de", Tags: []string{"delay"},
			Body: "Hallo {{customer}}, es tut uns leid, dass Ihr Zug verspätet war. Wir prüfen den Fall und melden uns bis {{eta}}.\n{{agent}}, {{brand}}"},
	}
}

// KB returns the demo's approved statements, the only facts drafts may use.
func KB() []drafts.KBEntry {
	return []drafts.KBEntry{
		{ID: "sever-outage", Brand: BurstBrand, Lang: "ru", Title: "Сбой сети",
			Text: "Сбой в сети вызван повреждением магистрального кабеля. Бригады работают круглосуточно; абонентам начислим компенсацию за время простоя автоматически."},
		{ID: "aurora-delays", Brand: "Aurora Air", Lang: "en", Title: "Delays and rebooking",
			Text: "Passengers on flights delayed more than 3 hours can rebook free of charge in the app or at the desk. Meal vouchers are handed out at the gate."},
		{ID: "nordlicht-refunds", Brand: "Nordlicht Bahn", Lang: "de", Title: "Fahrgastrechte",
			Text: "Ab 60 Minuten Verspätung erstatten wir 25 % des Fahrpreises, ab 120 Minuten 50 %. Der Antrag geht online über das Fahrgastrechte-Formular."},
	}
}

// Brands returns the demo brands' voices: their domain picks the offline
// templates' wording (a telecom bill, a train delay), tone and signature the rest.
func Brands() []drafts.Brand {
	out := make([]drafts.Brand, 0, len(brands))
	for _, b := range brands {
		d := drafts.DomainTravel
		if b.dom == telecom {
			d = drafts.DomainTelecom
		}
		out = append(out, drafts.Brand{Name: b.name, Domain: d, DefaultLang: langCodes[b.lang], Tone: brandTone[b.lang], Signature: "— " + b.names[b.lang]})
	}
	return out
}

// langCodes are the drafting language codes of lang.
var langCodes = [3]string{en: drafts.LangEN, de: drafts.LangDE, ru: drafts.LangRU}

// brandTone is each demo brand's tone of voice, in its own language.
var brandTone = [3]string{
	en: "Warm and plain; first names; no exclamation marks.",
	ru: "Вежливо и по делу, на «вы», без канцелярита.",
	de: "Freundlich und klar, per Sie, ohne Floskeln.",
}
