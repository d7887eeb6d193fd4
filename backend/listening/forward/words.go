package forward

// words is the wording of forwarded messages in one language. It lives in
// Go, not in the frontend's dictionaries, because the text leaves the app.
type words struct {
	alertSubject  string // topic
	alertBody     string // observed, since (HH:MM), window, expected
	escalation    string
	terms         string
	samples       string
	heldSubject   string // count, topic
	heldIntro     string // quiet from, quiet to
	digestSubject string // topic, day
	mentions      string // total
	change        string // signed change
	bySource      string
	tonality      string // positive, neutral, negative
	negChange     string // signed change of negatives
	topNegative   string
	noNegative    string
	reach         string // number
	more          string // count
	hours         string
	minutes       string
	open          string
}

var wording = map[string]words{
	"en": {
		alertSubject:  "Stormdesk: spike in mentions of %s",
		alertBody:     "%d negative mentions since %s (%s); %.1f expected.",
		escalation:    "The spike is growing.",
		terms:         "Top terms",
		samples:       "Examples",
		heldSubject:   "Stormdesk: %d alerts during quiet hours for %s",
		heldIntro:     "Held during quiet hours (%s–%s):",
		digestSubject: "Stormdesk digest: %s, %s",
		mentions:      "Mentions: %d",
		change:        "%+d against the previous day",
		bySource:      "By source",
		tonality:      "Positive %d · Neutral %d · Negative %d",
		negChange:     "negative %+d against the previous day",
		topNegative:   "Top negative mentions",
		noNegative:    "No negative mentions.",
		reach:         "reach %s",
		more:          "…and %d more not shown",
		hours:         "h",
		minutes:       "min",
		open:          "open",
	},
	"ru": {
		alertSubject:  "Stormdesk: всплеск упоминаний «%s»",
		alertBody:     "%d негативных упоминаний с %s (%s); ожидалось %.1f.",
		escalation:    "Всплеск растёт.",
		terms:         "Частые слова",
		samples:       "Примеры",
		heldSubject:   "Stormdesk: %d оповещений в тихие часы по «%s»",
		heldIntro:     "Отложено в тихие часы (%s–%s):",
		digestSubject: "Сводка Stormdesk: «%s», %s",
		mentions:      "Упоминаний: %d",
		change:        "%+d к предыдущему дню",
		bySource:      "По источникам",
		tonality:      "Позитивных %d · Нейтральных %d · Негативных %d",
		negChange:     "негативных %+d к предыдущему дню",
		topNegative:   "Главные негативные упоминания",
		noNegative:    "Негативных упоминаний нет.",
		reach:         "охват %s",
		more:          "…и ещё %d, не показаны",
		hours:         "ч",
		minutes:       "мин",
		open:          "открыть",
	},
	"de": {
		alertSubject:  "Stormdesk: Anstieg der Erwähnungen von „%s“",
		alertBody:     "%d negative Erwähnungen seit %s (%s); erwartet %.1f.",
		escalation:    "Der Anstieg wächst weiter.",
		terms:         "Häufige Begriffe",
		samples:       "Beispiele",
		heldSubject:   "Stormdesk: %d Warnungen während der Ruhezeit für „%s“",
		heldIntro:     "Während der Ruhezeit zurückgehalten (%s–%s):",
		digestSubject: "Stormdesk-Übersicht: „%s“, %s",
		mentions:      "Erwähnungen: %d",
		change:        "%+d gegenüber dem Vortag",
		bySource:      "Nach Quelle",
		tonality:      "Positiv %d · Neutral %d · Negativ %d",
		negChange:     "negativ %+d gegenüber dem Vortag",
		topNegative:   "Wichtigste negative Erwähnungen",
		noNegative:    "Keine negativen Erwähnungen.",
		reach:         "Reichweite %s",
		more:          "…und %d weitere, nicht angezeigt",
		hours:         "Std.",
		minutes:       "Min.",
		open:          "öffnen",
	},
}

// wordsFor returns the rule's language, English when unknown.
func wordsFor(lang string) words {
	if w, ok := wording[lang]; ok {
		return w
	}
	return wording["en"]
}
