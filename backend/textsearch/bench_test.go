package textsearch

import "testing"

// BenchmarkDocument measures what stemming adds to storing a message: the
// language guess and the stems of a typical support message, per message,
// with the cache warm as it is during an import.
func BenchmarkDocument(b *testing.B) {
	texts := []string{
		"Hi, my order 48213 was delayed again and nobody answers the support chat. I want a refund today!",
		"Здравствуйте! Третий день нет интернета, а счёт за месяц пришёл полный. Когда починят?",
		"Die Lieferung hat schon wieder Verspätung, das ist wirklich ärgerlich. Bitte um Rückmeldung.",
	}
	a := NewAnalyzer()
	b.ResetTimer()
	for i := range b.N {
		t := texts[i%len(texts)]
		a.Document(DetectLang("", t), "", t)
	}
}
