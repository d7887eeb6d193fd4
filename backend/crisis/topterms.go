package crisis

// TopTerms returns up to n words and up to nPhrases phrases that set texts apart
// from background, ranked like the terms of a burst alert (log-odds against the
// background), leaving out stopwords and the words of exclude (brand names and
// handles). The analytics page uses it for the top terms of negative messages.
func TopTerms(texts, background []string, n, nPhrases int, exclude []string) ([]TermScore, []string) {
	toEvents := func(ts []string) []Event {
		evs := make([]Event, len(ts))
		for i, t := range ts {
			evs[i].Text = t
		}
		return evs
	}
	return burstTerms(toEvents(texts), toEvents(background), n, nPhrases, excludeSet(exclude))
}
