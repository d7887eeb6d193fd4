package crisis

import (
	"math"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// stopwords are function words of English, Russian and German (and Twitter
// noise) that never explain a burst or a topic: the NLTK lists of the three
// languages, contractions with and without the apostrophe, and greetings and
// politeness words every complaint carries.
var stopwords = func() map[string]bool {
	const list = `
a about above after again against all am an and any are as at be because been before being below between both
but by can could did do does doing down during each few for from further had has have having he her here hers
him his how i if in into is it its itself just me more most my no nor not now of off on once only or other our
ours out over own same she should so some such than that the their them then there these they this those through
to too under until up very was we were what when where which while who whom why will with would you your yours
yourself yourselves themselves ourselves herself himself theirs
im i'm it's don't can't didn't won't isn't wasn't aren't i've i'll i'd you're you've you'll you'd we're we've
they're they've that's there's what's here's let's doesn't haven't hasn't hadn't wouldn't couldn't shouldn't
weren't mustn't dont cant didnt wont isnt wasnt arent ive ill youre weve theyre thats theres whats doesnt havent
hasnt wouldnt couldnt shouldnt werent y'all yall gonna wanna gotta
get got u ur also still even really us one rt amp via http https www com co t oh ok okay yes yeah hi hello hey
please pls plz thank thanks thx lol may might must shall much many every another since ever
и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее её мне было вот от меня
еще ещё нет о из ему теперь когда даже ну вдруг ли если уже или ни быть был него до вас нибудь опять уж вам ведь там
потом себя ничего ей может они тут где есть надо ней для мы тебя их чем была сам чтоб без будто чего раз тоже себе
под будет ж тогда кто этот того потому этого какой совсем ним здесь этом один почти мой тем чтобы нее неё сейчас были куда
зачем всех никогда можно при наконец два об другой хоть после над больше тот через эти нас про всего них какая много
разве три эту моя впрочем хорошо свою этой перед иногда лучше чуть том нельзя такой им более всегда конечно всю между это
эта эти этим этими наш наша наше наши нашего нашей ваш ваша ваше ваши вашего вашей вами нами ими мои моё мою моего моей
твой твоя твои свой своя свои своего своей который которая которое которые которого которой также очень просто весь вся всё
здравствуйте добрый пожалуйста спасибо привет уважаемые
der die das und in zu den von mit sich des auf für ist im dem nicht ein eine als auch es an werden aus er hat dass
sie nach wird bei einer um am sind noch wie einem über einen so zum war haben nur oder aber vor zur bis mehr durch
man sein wurde sei ich du wir ihr mein dein ja nein kein keine schon hier da doch mal was wer wo wenn dann denn
alle allem allen aller alles also ander andere anderem anderen anderer anderes anders bin bist damit dein deine deinem
deinen deiner dich dir dies diese diesem diesen dieser dieses dort eines einig einige einigem einigen einiger einiges
einmal ihn ihm etwas euer eure euch gegen gewesen hab habe hatte hatten hin hinter mich mir ihre ihrem ihren ihrer ihres
indem ins jede jedem jeden jeder jedes jene jenem jenen jener jenes jetzt kann keinem keinen keiner keines können könnte
manche manchem manchen mancher manches meine meinem meinen meiner meines muss musste nichts nun ob ohne sehr seine seinem
seinen seiner seines selbst ihnen solche solchem solchen solcher solches soll sollte sondern sonst uns unsere unserem
unseren unser unseres unter viel vom während waren warst weil weiter welche welchem welchen welcher welches werde wieder
will wirst wollen wollte würde würden zwar zwischen bitte danke hallo guten liebe lieber leider
`
	m := map[string]bool{}
	for _, w := range strings.Fields(list) {
		m[w] = true
	}
	return m
}()

// IsStopword reports whether a lowercased word is a function word of English,
// Russian or German that term rankings leave out.
func IsStopword(w string) bool { return stopwords[w] }

// excludeSet lowercases and tokenizes names (a brand, its account names and
// handles) into the words term rankings must leave out: every message to a
// brand names it, so its own name never explains anything.
func excludeSet(names []string) map[string]bool {
	set := map[string]bool{}
	for _, n := range names {
		n = strings.TrimLeft(strings.TrimSpace(n), "@#")
		if n == "" {
			continue
		}
		low := strings.ToLower(n)
		// The handle as one word ("virginamerica", "jetblue") and its parts.
		set[strings.NewReplacer(" ", "", "-", "", "_", "", ".", "").Replace(low)] = true
		if !strings.Contains(low, " ") && strings.ContainsAny(low, "-_") {
			// A slug such as "acme-support-mail" is an identifier: its parts
			// ("support", "mail") are ordinary words.
			continue
		}
		for _, w := range tokenize(low, nil) {
			set[w] = true
		}
	}
	return set
}

// tokenize lowercases text and splits it into words. Mentions and links are
// dropped (the brand's own handle is in every message), '#' is stripped from
// hashtags, a possessive "'s" is cut, and one-letter words are left out.
// Numbers of three or more digits stay: flight numbers explain bursts.
func tokenize(text string, out []string) []string {
	for f := range strings.FieldsSeq(strings.ToLower(text)) {
		if strings.HasPrefix(f, "@") || strings.HasPrefix(f, "http") || strings.HasPrefix(f, "www.") ||
			strings.HasPrefix(f, ".@") || strings.HasPrefix(f, "“@") || strings.HasPrefix(f, "\"@") {
			continue
		}
		f = strings.ReplaceAll(f, "’", "'")
		// Words are the runs of letters, digits and apostrophes of the field:
		// substrings of it, so no word is copied.
		from := -1
		for i, c := range f {
			if unicode.IsLetter(c) || unicode.IsDigit(c) || c == '\'' {
				if from < 0 {
					from = i
				}
				continue
			}
			if from >= 0 {
				out = appendWord(out, f[from:i])
				from = -1
			}
		}
		if from >= 0 {
			out = appendWord(out, f[from:])
		}
	}
	return out
}

// appendWord appends a run of letters, digits and apostrophes as a word:
// apostrophes trimmed, a possessive "'s" cut, one-letter words and numbers
// of fewer than three digits left out.
func appendWord(out []string, w string) []string {
	w = strings.TrimSuffix(strings.Trim(w, "'"), "'s")
	n := utf8.RuneCountInString(w)
	if n < 2 {
		return out
	}
	if n < 3 {
		digits := true
		for _, c := range w {
			if !unicode.IsDigit(c) {
				digits = false
				break
			}
		}
		if digits {
			return out
		}
	}
	return append(out, w)
}

// counts maps a term to the number of messages containing it.
type counts map[string]int

func docFreq(evs []Event, exclude map[string]bool) (words, phrases counts, nWords, nPhrases int) {
	words, phrases = counts{}, counts{}
	skip := func(w string) bool { return stopwords[w] || exclude[w] }
	var toks []string
	seen := map[string]bool{}
	for _, e := range evs {
		toks = tokenize(e.Text, toks[:0])
		clear(seen)
		for i, t := range toks {
			if !skip(t) && !seen[t] {
				seen[t] = true
				words[t]++
				nWords++
			}
			// Phrases are 2- and 3-grams that neither start nor end with a
			// stopword and never name the brand.
			for n := 2; n <= 3 && i+n <= len(toks); n++ {
				if stopwords[t] || stopwords[toks[i+n-1]] || slices.ContainsFunc(toks[i:i+n], func(w string) bool { return exclude[w] }) {
					continue
				}
				p := strings.Join(toks[i:i+n], " ")
				if !seen[p] {
					seen[p] = true
					phrases[p]++
					nPhrases++
				}
			}
		}
	}
	return words, phrases, nWords, nPhrases
}

// logOdds ranks the terms of the burst against the background with the
// log-odds ratio under an informative Dirichlet prior (Monroe, Colaresi and
// Quinn 2008), scored as a z-score so rare terms need more evidence.
func logOdds(burst, bg counts, nb, ng, minCount int) []TermScore {
	// The prior spreads a0 pseudo-counts by add-one smoothed overall
	// frequency; the smoothing keeps scores meaningful when the background
	// is empty (a new account) instead of cancelling out to zero.
	total := float64(nb + ng)
	vocab := len(burst)
	for t := range bg {
		if _, ok := burst[t]; !ok {
			vocab++
		}
	}
	a0 := math.Min(50, total)
	var out []TermScore
	for t, y := range burst {
		if y < minCount {
			continue
		}
		g := bg[t]
		aw := a0 * float64(y+g+1) / (total + float64(vocab))
		l1 := math.Log((float64(y) + aw) / (float64(nb) + a0 - float64(y) - aw))
		l2 := math.Log((float64(g) + aw) / (float64(ng) + a0 - float64(g) - aw))
		z := (l1 - l2) / math.Sqrt(1/(float64(y)+aw)+1/(float64(g)+aw))
		if z > 0 && !math.IsNaN(z) && !math.IsInf(z, 0) {
			out = append(out, TermScore{Term: t, Count: y, Score: z})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].Term < out[j].Term
	})
	return out
}

// burstTerms returns the top words and phrases of the burst messages compared
// with the background messages, leaving out stopwords and the excluded words.
func burstTerms(burst, background []Event, nTerms, nPhrases int, exclude map[string]bool) ([]TermScore, []string) {
	if len(burst) == 0 {
		return []TermScore{}, []string{}
	}
	bw, bp, nbw, nbp := docFreq(burst, exclude)
	gw, gp, ngw, ngp := docFreq(background, exclude)
	minCount := 2
	if len(burst) < 4 {
		minCount = 1
	}
	terms := logOdds(bw, gw, nbw, ngw, minCount)
	if len(terms) > nTerms {
		terms = terms[:nTerms]
	}
	if terms == nil {
		terms = []TermScore{}
	}
	phrases := []string{}
	for _, p := range logOdds(bp, gp, nbp, ngp, minCount) {
		if len(phrases) == nPhrases {
			break
		}
		phrases = append(phrases, p.Term)
	}
	return terms, phrases
}

// samples picks up to n burst messages, widest reach first, skipping near-copies.
func samples(burst []Event, n int) []Sample {
	idx := make([]int, len(burst))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool { return burst[idx[i]].Reach > burst[idx[j]].Reach })
	var out []Sample
	seen := map[string]bool{}
	for _, i := range idx {
		e := burst[i]
		norm := strings.Join(tokenize(e.Text, nil), " ")
		if norm == "" {
			norm = strings.TrimSpace(e.Text)
		}
		if seen[norm] {
			continue
		}
		seen[norm] = true
		out = append(out, Sample{At: e.At, Author: e.Author, Reach: e.Reach, Text: e.Text, URL: e.URL})
		if len(out) == n {
			break
		}
	}
	return out
}

// authors ranks the authors of the burst by reach, then by message count.
func authors(burst []Event, n int) []AuthorImpact {
	by := map[string]*AuthorImpact{}
	var order []string
	for _, e := range burst {
		if e.Author == "" {
			continue
		}
		a := by[e.Author]
		if a == nil {
			a = &AuthorImpact{Author: e.Author}
			by[e.Author] = a
			order = append(order, e.Author)
		}
		a.Messages++
		a.Reach = max(a.Reach, e.Reach)
	}
	out := make([]AuthorImpact, 0, len(order))
	for _, name := range order {
		out = append(out, *by[name])
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Reach != out[j].Reach {
			return out[i].Reach > out[j].Reach
		}
		return out[i].Messages > out[j].Messages
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}
