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
