package sentiment

import "github.com/stormdesk/stormdesk/backend/inbox"

// The airline tweets cover delays and lost bags well but little of billing,
// refunds, outages, parcels or app bugs, and almost no neutral questions
// outside air travel. This small self-made seed fills those gaps with the
// same recipe as the German and Russian ones: templates, hand-written
// messages, and lexicon words. EnglishTest is written separately.

var enSubjects = []string{
	"My order", "Your support team", "The app", "My refund", "The delivery",
	"Your website", "The courier", "My internet connection", "The billing system", "Your checkout",
}

var enPredicates = map[inbox.Sentiment][]string{
	inbox.SentimentNegative: {
		"is a total joke", "still hasn't arrived", "keeps crashing", "is completely broken again",
		"has been down all day", "was a huge disappointment", "is the worst 😡", "is ridiculous, fix it!",
		"got lost and nobody cares", "charged me twice",
	},
	inbox.SentimentPositive: {
		"is fantastic, thank you!", "worked perfectly", "was quick and painless", "is awesome 👍",
		"made my day", "exceeded my expectations",
	},
	inbox.SentimentNeutral: {
		"is listed under ticket 48213", "was updated on Monday", "goes through the partner portal",
		"is mentioned in my previous email",
	},
}

var enHandWritten = []Example{
	{Text: "You charged my card twice and support won't answer", Label: inbox.SentimentNegative},
	{Text: "Still waiting on my refund after 6 weeks, this is theft", Label: inbox.SentimentNegative},
	{Text: "The package was marked delivered but it's nowhere", Label: inbox.SentimentNegative},
	{Text: "Your agent was rude and hung up on me", Label: inbox.SentimentNegative},
	{Text: "Outage again?? Third time this week", Label: inbox.SentimentNegative},
	{Text: "App logs me out every five minutes, so annoying", Label: inbox.SentimentNegative},
	{Text: "Cancel my subscription and give me my money back", Label: inbox.SentimentNegative},
	{Text: "Horrible customer service, never again", Label: inbox.SentimentNegative},
	{Text: "I was overcharged and nobody explains why", Label: inbox.SentimentNegative},
	{Text: "The item arrived broken and the return label doesn't work", Label: inbox.SentimentNegative},
	{Text: "Scam company, avoid", Label: inbox.SentimentNegative},
	{Text: "Been on hold for 2 hours, unacceptable", Label: inbox.SentimentNegative},
	{Text: "Thanks a lot for sorting out my invoice so quickly", Label: inbox.SentimentPositive},
	{Text: "Refund came through today, much appreciated", Label: inbox.SentimentPositive},
	{Text: "Great support, Maria fixed it in minutes", Label: inbox.SentimentPositive},
	{Text: "Love the new update, super smooth", Label: inbox.SentimentPositive},
	{Text: "Parcel arrived early and well packed, thanks!", Label: inbox.SentimentPositive},
	{Text: "Best customer service I've had in years", Label: inbox.SentimentPositive},
	{Text: "How do I change my billing address?", Label: inbox.SentimentNeutral},
	{Text: "Do you ship to Canada?", Label: inbox.SentimentNeutral},
	{Text: "Where can I find my invoice?", Label: inbox.SentimentNeutral},
	{Text: "Can I pay with PayPal?", Label: inbox.SentimentNeutral},
	{Text: "My order number is 100234", Label: inbox.SentimentNeutral},
	{Text: "Is there a student discount?", Label: inbox.SentimentNeutral},
	{Text: "Please send me the tracking link", Label: inbox.SentimentNeutral},
	{Text: "What are your opening hours on Sunday?", Label: inbox.SentimentNeutral},
	{Text: "I'd like to upgrade my plan next month", Label: inbox.SentimentNeutral},
	{Text: "Can someone call me back tomorrow morning?", Label: inbox.SentimentNeutral},
}

var enLexicon = map[inbox.Sentiment][]string{
	inbox.SentimentPositive: {"thanks", "great", "awesome", "excellent", "helpful", "perfect", "love", "appreciated"},
	inbox.SentimentNegative: {"terrible", "awful", "worst", "scam", "refund", "overcharged", "rude", "broken", "useless", "outage"},
}

// EnglishSeed returns the self-made English customer-service training examples.
func EnglishSeed() []Example {
	var out []Example
	for _, lab := range classes {
		for _, s := range enSubjects {
			for _, p := range enPredicates[lab] {
				out = append(out, Example{Text: s + " " + p, Label: lab})
			}
		}
	}
	out = append(out, enHandWritten...)
	out = append(out, englishServiceSeed()...)
	for _, lab := range classes {
		for _, w := range enLexicon[lab] {
			out = append(out, Example{Text: w, Label: lab})
		}
	}
	for i := range out {
		out[i].Lang = LangEnglish
	}
	return out
}

// EnglishTest returns a hand-labelled English customer-service test set,
// written separately from the seed. Self-made; a domain check.
func EnglishTest() []Example {
	t := []Example{
		{Text: "Why was I billed for a plan I cancelled in March?", Label: inbox.SentimentNegative},
		{Text: "Three emails and still no reply. Pathetic.", Label: inbox.SentimentNegative},
		{Text: "The courier threw my parcel over the fence", Label: inbox.SentimentNegative},
		{Text: "Your app deleted all my saved cards, great job...", Label: inbox.SentimentNegative},
		{Text: "No signal at home since Friday, I work remotely!", Label: inbox.SentimentNegative},
		{Text: "The store manager was incredibly condescending", Label: inbox.SentimentNegative},
		{Text: "I want a full refund for this garbage", Label: inbox.SentimentNegative},
		{Text: "Delivery window missed again, I took a day off for nothing", Label: inbox.SentimentNegative},
		{Text: "Wrong size, wrong colour, and return shipping costs me $15", Label: inbox.SentimentNegative},
		{Text: "Your chatbot is useless and I can't reach a human", Label: inbox.SentimentNegative},
		{Text: "Login fails with an error every single time 😤", Label: inbox.SentimentNegative},
		{Text: "Disgusted by how you treat loyal customers", Label: inbox.SentimentNegative},
		{Text: "My laptop came back from repair worse than before", Label: inbox.SentimentNegative},
		{Text: "Hidden fees everywhere, feels like a rip-off", Label: inbox.SentimentNegative},
		{Text: "Thanks so much, the replacement arrived today", Label: inbox.SentimentPositive},
		{Text: "Kudos to the night shift team for the quick fix", Label: inbox.SentimentPositive},
		{Text: "Really happy with the service, five stars", Label: inbox.SentimentPositive},
		{Text: "The technician was friendly and on time", Label: inbox.SentimentPositive},
		{Text: "Wow, refund processed in one day! Impressed", Label: inbox.SentimentPositive},
		{Text: "You guys rock 🙌", Label: inbox.SentimentPositive},
		{Text: "Smooth checkout and fast shipping, will order again", Label: inbox.SentimentPositive},
		{Text: "Appreciate the honest answer and the voucher", Label: inbox.SentimentPositive},
		{Text: "Is the blue version back in stock?", Label: inbox.SentimentNeutral},
		{Text: "How long does a bank transfer take to clear?", Label: inbox.SentimentNeutral},
		{Text: "Can I collect my order from the Leeds store?", Label: inbox.SentimentNeutral},
		{Text: "What's the warranty on the headphones?", Label: inbox.SentimentNeutral},
		{Text: "I moved, here is my new postcode: SW1A 1AA", Label: inbox.SentimentNeutral},
		{Text: "Do you have a phone number for business accounts?", Label: inbox.SentimentNeutral},
		{Text: "Which documents do I need to open an account?", Label: inbox.SentimentNeutral},
		{Text: "Could you resend the confirmation email?", Label: inbox.SentimentNeutral},
		{Text: "Is the promo code valid for gift cards?", Label: inbox.SentimentNeutral},
		{Text: "When does the new tariff start?", Label: inbox.SentimentNeutral},
	}
	for i := range t {
		t[i].Lang = LangEnglish
	}
	return t
}
