package sentiment

import "github.com/stormdesk/stormdesk/backend/inbox"

// There is no labelled German corpus we may ship or train on, so German
// rests on a seed set we wrote ourselves: sentences built from the templates
// below (subjects x predicates), a hand-written list of typical customer
// messages, and single-word lexicon entries as a prior. It is small and
// self-made; docs/sentiment.md says so next to the German figures.

var deSubjects = []string{
	"Der Kundenservice", "Die Lieferung", "Das Produkt", "Die App", "Ihr Support",
	"Der Flug", "Die Bestellung", "Das Update", "Die Hotline", "Der Versand",
	"Die Qualität", "Die Rückerstattung", "Das Personal", "Die Website", "Der Zug",
	"Meine Rechnung", "Das Paket", "Mein Internet", "Der Techniker", "Die Abbuchung",
	"Euer Chat", "Mein Konto",
}

var dePredicates = map[inbox.Sentiment][]string{
	inbox.SentimentPositive: {
		"ist super", "war wirklich toll", "hat perfekt funktioniert", "ist schnell angekommen",
		"gefällt mir sehr gut", "ist einfach klasse", "war hervorragend", "hat mich begeistert",
		"war sehr freundlich und hilfsbereit", "ist top, vielen Dank!",
		"war echt spitze 👍", "lief völlig problemlos", "ist mega, danke euch",
	},
	inbox.SentimentNegative: {
		"ist eine Katastrophe", "war total enttäuschend", "funktioniert überhaupt nicht",
		"ist immer noch nicht da", "ist eine Frechheit", "war mies", "ist schon wieder kaputt",
		"nervt nur noch", "ist nicht gut", "war leider gar nicht hilfreich",
		"ist unter aller Sau", "hat mich sehr verärgert",
		"ist seit gestern ausgefallen", "ist einfach nur Abzocke", "ist verschwunden und keiner weiß wo",
		"hängt sich ständig auf 😡", "ist unter aller Kanone", "geht mir gewaltig auf die Nerven",
	},
	inbox.SentimentNeutral: {
		"kommt am Montag", "wurde heute verschickt", "hat die Nummer 12345",
		"ist gerade in Bearbeitung", "wird nächste Woche umgestellt", "steht im Kundenkonto",
		"läuft über die Hotline", "betrifft meine Bestellung vom Dienstag",
		"steht in der E-Mail von gestern", "hat die Vorgangsnummer 88-301",
		"soll laut E-Mail am Freitag kommen", "ist auf meinen Namen angemeldet",
		"wird über PayPal abgerechnet", "gehört zum Vertrag 5512",
	},
}

var deHandWritten = []Example{
	{Text: "Vielen Dank für die schnelle Hilfe!", Label: inbox.SentimentPositive},
	{Text: "Ihr seid die Besten, weiter so 👍", Label: inbox.SentimentPositive},
	{Text: "Endlich hat alles geklappt, danke euch", Label: inbox.SentimentPositive},
	{Text: "Sehr zufrieden mit dem Service", Label: inbox.SentimentPositive},
	{Text: "Das war wirklich eine angenehme Überraschung", Label: inbox.SentimentPositive},
	{Text: "Ich bin begeistert, so macht Einkaufen Spaß", Label: inbox.SentimentPositive},
	{Text: "Danke, das Problem ist gelöst", Label: inbox.SentimentPositive},
	{Text: "Großartig, genau so soll es sein", Label: inbox.SentimentPositive},
	{Text: "Gar nicht schlecht, ich bin positiv überrascht", Label: inbox.SentimentPositive},
	{Text: "Freundliche Mitarbeiter und schnelle Antwort, top!", Label: inbox.SentimentPositive},
	{Text: "Ich warte seit drei Wochen auf mein Geld!!!", Label: inbox.SentimentNegative},
	{Text: "Niemand antwortet, das ist eine Unverschämtheit", Label: inbox.SentimentNegative},
	{Text: "Nie wieder bestelle ich bei euch", Label: inbox.SentimentNegative},
	{Text: "Das gefällt mir überhaupt nicht", Label: inbox.SentimentNegative},
	{Text: "Schon wieder Verspätung, ich habe keine Lust mehr", Label: inbox.SentimentNegative},
	{Text: "Ich bin sehr enttäuscht von eurem Service", Label: inbox.SentimentNegative},
	{Text: "Warum dauert das so lange? Echt ärgerlich", Label: inbox.SentimentNegative},
	{Text: "Kein Mensch kümmert sich um mein Problem", Label: inbox.SentimentNegative},
	{Text: "Die Ware kam beschädigt an und keiner hilft", Label: inbox.SentimentNegative},
	{Text: "Schlechtester Kundenservice aller Zeiten", Label: inbox.SentimentNegative},
	{Text: "Was für ein Mist", Label: inbox.SentimentNegative},
	{Text: "Ich will mein Geld zurück", Label: inbox.SentimentNegative},
	{Text: "Das ist nicht in Ordnung", Label: inbox.SentimentNegative},
	{Text: "Ich bin nicht zufrieden", Label: inbox.SentimentNegative},
	{Text: "Wann öffnet die Filiale morgen?", Label: inbox.SentimentNeutral},
	{Text: "Wie kann ich meine Adresse ändern?", Label: inbox.SentimentNeutral},
	{Text: "Ich habe eine Frage zu meiner Rechnung", Label: inbox.SentimentNeutral},
	{Text: "Gibt es das Modell auch in Blau?", Label: inbox.SentimentNeutral},
	{Text: "Bitte schicken Sie mir die Unterlagen per E-Mail", Label: inbox.SentimentNeutral},
	{Text: "Meine Kundennummer ist 4711", Label: inbox.SentimentNeutral},
	{Text: "Ist der Flug nach Berlin heute planmäßig?", Label: inbox.SentimentNeutral},
	{Text: "Ich möchte meinen Vertrag zum Monatsende kündigen", Label: inbox.SentimentNeutral},
	{Text: "Können Sie mich bitte zurückrufen?", Label: inbox.SentimentNeutral},
	{Text: "Die Sendung ist laut Tracking in Hamburg", Label: inbox.SentimentNeutral},
	// Billing, outages, refunds, rude staff, lost parcels, app bugs, slang.
	{Text: "Ihr habt mir den Betrag doppelt abgebucht, sofort zurückzahlen!", Label: inbox.SentimentNegative},
	{Text: "Seit drei Tagen kein Internet und keiner meldet sich", Label: inbox.SentimentNegative},
	{Text: "Die Erstattung wurde vor sechs Wochen zugesagt, passiert ist nichts", Label: inbox.SentimentNegative},
	{Text: "Der Mitarbeiter am Schalter war extrem unhöflich", Label: inbox.SentimentNegative},
	{Text: "Mein Paket ist verloren gegangen und DHL schiebt es auf euch", Label: inbox.SentimentNegative},
	{Text: "Die App stürzt beim Bezahlen jedes Mal ab", Label: inbox.SentimentNegative},
	{Text: "Was für ein Saftladen", Label: inbox.SentimentNegative},
	{Text: "Abzocke! Versteckte Gebühren auf der Rechnung", Label: inbox.SentimentNegative},
	{Text: "Stundenlang in der Warteschleife, echt jetzt?", Label: inbox.SentimentNegative},
	{Text: "Ich fühle mich total verarscht", Label: inbox.SentimentNegative},
	{Text: "Ware defekt, Rücksendung abgelehnt, unfassbar", Label: inbox.SentimentNegative},
	{Text: "Kündigung wurde ignoriert und ihr bucht weiter ab", Label: inbox.SentimentNegative},
	{Text: "Der Kurier hat das Paket einfach beim Nachbarn abgeworfen, jetzt ist es weg", Label: inbox.SentimentNegative},
	{Text: "Nach dem Update geht gar nichts mehr", Label: inbox.SentimentNegative},
	{Text: "Ich bin stocksauer, das ist schon die dritte Beschwerde", Label: inbox.SentimentNegative},
	{Text: "Euer Support ist ein schlechter Witz", Label: inbox.SentimentNegative},
	{Text: "Geld weg, Ware nicht da, super gemacht 🙄", Label: inbox.SentimentNegative},
	{Text: "Die Lieferung wurde zum vierten Mal verschoben", Label: inbox.SentimentNegative},
	{Text: "Danke, die Gutschrift ist heute angekommen", Label: inbox.SentimentPositive},
	{Text: "Der Techniker war pünktlich und sehr kompetent", Label: inbox.SentimentPositive},
	{Text: "Mega Service, ihr seid spitze", Label: inbox.SentimentPositive},
	{Text: "Hat alles super geklappt, die Rückgabe war total einfach", Label: inbox.SentimentPositive},
	{Text: "Klasse, dass ihr so schnell reagiert habt", Label: inbox.SentimentPositive},
	{Text: "Herzlichen Dank an Frau Weber von der Hotline", Label: inbox.SentimentPositive},
	{Text: "Die neue App ist viel übersichtlicher, gefällt mir", Label: inbox.SentimentPositive},
	{Text: "Geiler Laden, immer wieder gerne ❤️", Label: inbox.SentimentPositive},
	{Text: "Wie kann ich meine Bankverbindung ändern?", Label: inbox.SentimentNeutral},
	{Text: "Wann wird der Betrag gutgeschrieben?", Label: inbox.SentimentNeutral},
	{Text: "Liefern Sie auch in die Schweiz?", Label: inbox.SentimentNeutral},
	{Text: "Ich brauche eine Kopie meiner letzten Rechnung", Label: inbox.SentimentNeutral},
	{Text: "Wo kann ich den Status meiner Rücksendung sehen?", Label: inbox.SentimentNeutral},
	{Text: "Gibt es einen Tarif ohne Mindestlaufzeit?", Label: inbox.SentimentNeutral},
	{Text: "Kann ich die Abholung auf Freitag verschieben?", Label: inbox.SentimentNeutral},
	{Text: "Meine neue Adresse lautet Hauptstraße 5", Label: inbox.SentimentNeutral},
	{Text: "Funktioniert die App auch auf dem Tablet?", Label: inbox.SentimentNeutral},
}

// deLexicon is a polarity prior: each word becomes a one-word example.
var deLexicon = map[inbox.Sentiment][]string{
	inbox.SentimentPositive: {"gut", "super", "toll", "klasse", "prima", "danke", "perfekt", "großartig",
		"hervorragend", "zufrieden", "freundlich", "schnell", "begeistert", "genial", "wunderbar", "lieb", "empfehlenswert",
		"spitze", "mega", "kompetent", "hilfsbereit", "vielen dank"},
	inbox.SentimentNegative: {"schlecht", "mies", "enttäuscht", "enttäuschend", "katastrophe", "frechheit",
		"ärgerlich", "kaputt", "verspätung", "betrug", "unverschämt", "schrecklich", "furchtbar", "nervig",
		"langsam", "unfreundlich", "beschwerde", "verärgert", "mangelhaft", "peinlich",
		"abzocke", "unverschämtheit", "störung", "ausfall", "saftladen", "unhöflich", "abgestürzt"},
}

// GermanSeed returns the self-made German training examples.
func GermanSeed() []Example {
	var out []Example
	for _, lab := range classes {
		for _, s := range deSubjects {
			for _, p := range dePredicates[lab] {
				out = append(out, Example{Text: s + " " + p, Label: lab, Lang: LangGerman})
			}
		}
	}
	for _, e := range deHandWritten {
		e.Lang = LangGerman
		out = append(out, e)
	}
	for _, lab := range classes {
		for _, w := range deLexicon[lab] {
			out = append(out, Example{Text: w, Label: lab, Lang: LangGerman})
		}
	}
	return out
}

// GermanTest returns a hand-labelled German test set, written separately
// from the seed (different sentences, no templates), for a rough German
// figure. It is self-made and small: read its numbers as a sanity check.
func GermanTest() []Example {
	t := []Example{
		{Text: "Super Service, danke für die schnelle Antwort!", Label: inbox.SentimentPositive},
		{Text: "Das Paket kam einen Tag früher als erwartet, klasse", Label: inbox.SentimentPositive},
		{Text: "Tolle Beratung im Laden, sehr nett", Label: inbox.SentimentPositive},
		{Text: "Ich bin rundum zufrieden", Label: inbox.SentimentPositive},
		{Text: "Perfekt gelaufen, gerne wieder", Label: inbox.SentimentPositive},
		{Text: "Danke an das ganze Team!", Label: inbox.SentimentPositive},
		{Text: "Die neue Version ist richtig gut geworden", Label: inbox.SentimentPositive},
		{Text: "Hervorragende Qualität zu einem fairen Preis", Label: inbox.SentimentPositive},
		{Text: "Freundlich, kompetent und schnell. Top!", Label: inbox.SentimentPositive},
		{Text: "Wow, das hat ja wunderbar geklappt 😊", Label: inbox.SentimentPositive},
		{Text: "Gar nicht so schlecht wie befürchtet, danke", Label: inbox.SentimentPositive},
		{Text: "Ich liebe diese App", Label: inbox.SentimentPositive},
		{Text: "Der Zug war schon wieder zwei Stunden zu spät", Label: inbox.SentimentNegative},
		{Text: "Seit Tagen keine Antwort, ich bin stinksauer", Label: inbox.SentimentNegative},
		{Text: "Das ist Betrug, ich zeige euch an", Label: inbox.SentimentNegative},
		{Text: "Die App stürzt ständig ab, total nervig", Label: inbox.SentimentNegative},
		{Text: "Ich bin nicht zufrieden mit der Reparatur", Label: inbox.SentimentNegative},
		{Text: "Schlechter Service und unfreundliche Mitarbeiter", Label: inbox.SentimentNegative},
		{Text: "Meine Bestellung ist nie angekommen", Label: inbox.SentimentNegative},
		{Text: "Das Essen war kalt und die Bedienung mies", Label: inbox.SentimentNegative},
		{Text: "Eine absolute Frechheit, wie ihr mit Kunden umgeht", Label: inbox.SentimentNegative},
		{Text: "Leider funktioniert das Gerät nicht mehr", Label: inbox.SentimentNegative},
		{Text: "Ich bin wirklich enttäuscht!!!", Label: inbox.SentimentNegative},
		{Text: "Warum hilft mir keiner? Das ist doch lächerlich", Label: inbox.SentimentNegative},
		{Text: "Die Hotline ist dauerhaft besetzt, katastrophal", Label: inbox.SentimentNegative},
		{Text: "Kein guter Kauf, die Qualität ist schlecht", Label: inbox.SentimentNegative},
		{Text: "Wo bleibt meine Rückerstattung? Ich warte seit einem Monat", Label: inbox.SentimentNegative},
		{Text: "Wie lange dauert der Versand nach Österreich?", Label: inbox.SentimentNeutral},
		{Text: "Haben Sie am Samstag geöffnet?", Label: inbox.SentimentNeutral},
		{Text: "Ich habe meine Bestellnummer vergessen", Label: inbox.SentimentNeutral},
		{Text: "Können Sie mir die Rechnung noch einmal schicken?", Label: inbox.SentimentNeutral},
		{Text: "Wo finde ich die Bedienungsanleitung?", Label: inbox.SentimentNeutral},
		{Text: "Ich möchte meine Telefonnummer aktualisieren", Label: inbox.SentimentNeutral},
		{Text: "Gilt der Gutschein auch online?", Label: inbox.SentimentNeutral},
		{Text: "Mein Flug geht morgen um acht Uhr", Label: inbox.SentimentNeutral},
		{Text: "Die Lieferung soll am Donnerstag kommen", Label: inbox.SentimentNeutral},
		{Text: "Welche Zahlungsarten akzeptieren Sie?", Label: inbox.SentimentNeutral},
		{Text: "Ich schreibe wegen meines Kundenkontos", Label: inbox.SentimentNeutral},
		{Text: "Bitte um Rückruf unter der bekannten Nummer", Label: inbox.SentimentNeutral},
		{Text: "Ist das Angebot noch gültig?", Label: inbox.SentimentNeutral},
		// Added with the customer-service seed; written apart from it.
		{Text: "Mir wurden 49 Euro für ein Abo berechnet, das ich nie abgeschlossen habe", Label: inbox.SentimentNegative},
		{Text: "Das WLAN fällt jeden Abend aus, so kann ich nicht arbeiten", Label: inbox.SentimentNegative},
		{Text: "Der Fahrer hat mich angeschrien, unmöglich", Label: inbox.SentimentNegative},
		{Text: "Sendungsverfolgung zeigt seit zehn Tagen nichts Neues, wo ist mein Päckchen?", Label: inbox.SentimentNegative},
		{Text: "Die Anmeldung in der App klappt seit dem Update nicht", Label: inbox.SentimentNegative},
		{Text: "Ich habe mein Geld immer noch nicht zurückbekommen", Label: inbox.SentimentNegative},
		{Text: "Totaler Reinfall, Finger weg von diesem Anbieter", Label: inbox.SentimentNegative},
		{Text: "Die Heizung ist seit einer Woche kalt und der Vermieterservice reagiert nicht", Label: inbox.SentimentNegative},
		{Text: "Falsche Ware geliefert und jetzt soll ich das Porto zahlen?!", Label: inbox.SentimentNegative},
		{Text: "Das ist doch Verarsche 🤬", Label: inbox.SentimentNegative},
		{Text: "Danke für die unkomplizierte Erstattung", Label: inbox.SentimentPositive},
		{Text: "Eure Mitarbeiterin im Chat war einfach toll", Label: inbox.SentimentPositive},
		{Text: "Reparatur ging schneller als gedacht, vielen Dank", Label: inbox.SentimentPositive},
		{Text: "Richtig guter Kundendienst, weiter so!", Label: inbox.SentimentPositive},
		{Text: "Alles bestens angekommen, sehr ordentlich verpackt", Label: inbox.SentimentPositive},
		{Text: "Bin begeistert vom neuen Tarif", Label: inbox.SentimentPositive},
		{Text: "Kann ich die Lieferadresse nachträglich ändern?", Label: inbox.SentimentNeutral},
		{Text: "Welche Kündigungsfrist gilt für meinen Vertrag?", Label: inbox.SentimentNeutral},
		{Text: "Bekomme ich eine Rechnung mit ausgewiesener Mehrwertsteuer?", Label: inbox.SentimentNeutral},
		{Text: "Mein Zählerstand ist 10432", Label: inbox.SentimentNeutral},
		{Text: "Gibt es die Schuhe auch in Größe 44?", Label: inbox.SentimentNeutral},
		{Text: "Wie erreiche ich die Technik am Wochenende?", Label: inbox.SentimentNeutral},
	}
	for i := range t {
		t[i].Lang = LangGerman
	}
	return t
}
