package sentiment

// SeedWeight is the training weight of the self-made customer-service seed
// examples: each is a considered label for the product's own domain, and
// there are far fewer of them than crowd-labelled tweets.
const SeedWeight = 3

// ServiceSeed returns the self-made customer-service training examples of all
// three languages (GermanSeed, RussianSeed, EnglishSeed), weighted w on
// average (SeedWeight when w is 0). cmd/train and the held-out test train
// with it.
//
// Within each language's seed every class gets the same total weight. The
// templates make far more complaints than questions, and Train's own class
// balancing cannot fix that: it counts a language's seed together with its
// tweet corpus, whose skew differs (RuSentiTweet is mostly neutral).
func ServiceSeed(w float64) []Example {
	if w == 0 {
		w = SeedWeight
	}
	var out []Example
	for _, part := range [][]Example{GermanSeed(), RussianSeed(), EnglishSeed()} {
		var count [numClasses]float64
		for _, e := range part {
			count[classIndex(e.Label)]++
		}
		for _, e := range part {
			e.Weight = w * float64(len(part)) / (numClasses * count[classIndex(e.Label)])
			out = append(out, e)
		}
	}
	return out
}

// ServiceTest returns the self-made customer-service test sentences of all
// three languages. They were written apart from the seeds and are never
// trained on.
func ServiceTest() []Example {
	var out []Example
	out = append(out, GermanTest()...)
	out = append(out, RussianTest()...)
	return append(out, EnglishTest()...)
}
