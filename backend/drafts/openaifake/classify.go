package openaifake

import (
	"encoding/json"
	"regexp"
	"strings"
)

// classifyTask is the marker of Stormdesk's classification prompt.
const classifyTask = "stormdesk-classify-sentiment-v1"

// messageBlock matches one <message id="…">"JSON string"</message> block of
// the classification prompt; the JSON string has <, > and & escaped, so its
// content cannot contain another block.
var messageBlock = regexp.MustCompile(`<message id="(-?\d+)">("(?:[^"\\]|\\.)*")</message>`)

// Keyword lists of the fake model (lower case; EN/RU/DE and emoji). A
// negative keyword wins over a positive one ("thanks for nothing, broken").
var (
	negativeWords = []string{"terrible", "awful", "worst", "broken", "refund", "hate", "angry", "disappointed", "useless", "scam",
		"ужас", "отврат", "верните", "сломал", "не работает", "кошмар",
		"schlecht", "kaputt", "katastroph", "enttäuscht", "abzocke", "funktioniert nicht",
		"😡", "👎", "🤬"}
	positiveWords = []string{"thank", "great", "love", "awesome", "excellent", "perfect",
		"спасибо", "отлично", "супер", "класс",
		"danke", "toll", "super", "prima",
		"👍", "❤", "😊"}
)

// ClassifyText is the fake model's label for one text and its confidence:
// keyword hits are confident, everything else is a hesitant neutral.
func ClassifyText(text string) (label string, confidence float64) {
	t := strings.ToLower(text)
	for _, w := range negativeWords {
		if strings.Contains(t, w) {
			return "negative", 0.9
		}
	}
	for _, w := range positiveWords {
		if strings.Contains(t, w) {
			return "positive", 0.85
		}
	}
	return "neutral", 0.7
}

// classifyAnswer answers a classification request with the JSON object the
// prompt asks for; ok is false for any other request.
func classifyAnswer(msgs []Message) (string, bool) {
	if len(msgs) < 2 || msgs[0].Role != "system" || !strings.Contains(msgs[0].Content, classifyTask) {
		return "", false
	}
	type label struct {
		ID         json.Number `json:"id"`
		Label      string      `json:"label"`
		Confidence float64     `json:"confidence"`
	}
	out := struct {
		Labels []label `json:"labels"`
	}{Labels: []label{}}
	for _, m := range messageBlock.FindAllStringSubmatch(msgs[len(msgs)-1].Content, -1) {
		var text string
		if err := json.Unmarshal([]byte(m[2]), &text); err != nil {
			continue // a real model would not understand it either
		}
		l, c := ClassifyText(text)
		out.Labels = append(out.Labels, label{ID: json.Number(m[1]), Label: l, Confidence: c})
	}
	b, _ := json.Marshal(out)
	return string(b), true
}
