package sentiment

import "github.com/stormdesk/stormdesk/backend/inbox"

// The commercially usable English corpus (GoEmotions) is Reddit chat: it
// knows anger and gratitude but not what a customer writes to a brand. A
// delayed flight, an hour on hold or a lost bag is told as plain fact there,
// and a model trained on Reddit alone calls most such complaints neutral.
// This seed, written by the project, covers those service situations in the
// combinatorial style of the other seeds: who is addressed, what went wrong
// (or right, or what is asked), and a tail. It was written after seeing that
// the Reddit-only model missed most complaints on the airline tweets' train
// split; none of its sentences come from any data set.

var enServiceOpeners = []string{"", "@brand ", "Hey @support, ", "Dear customer service, "}

var enServiceComplaints = []string{
	"my flight was delayed three hours and nobody told us anything",
	"my flight got cancelled and there is no rebooking option",
	"I have been on hold for 2 hours",
	"still waiting for my bags after four days",
	"you lost my luggage and the desk staff just shrugged",
	"the gate agent was rude to my elderly mother",
	"we sat on the tarmac for 90 minutes with no water",
	"your website won't let me check in",
	"missed my connection because of your delay",
	"nobody answers the phone, the line just disconnects",
	"the seat I paid extra for was given to someone else",
	"the hotel room was dirty and smelled of smoke",
	"the train was late again and I missed my meeting",
	"my package says delivered but it never arrived",
	"you charged my card twice for one booking",
	"I was promised a call back three days ago",
	"the refund you promised never showed up",
	"the app crashed while I was paying",
	"my internet has been down since yesterday",
	"the replacement you sent is broken too",
	"your agent hung up on me",
	"I've sent five DMs and got no answer",
	"the food on board was inedible",
	"the wifi on this flight doesn't work and I paid for it",
	"you changed my itinerary without asking",
	"my voucher code is rejected at checkout",
	"the technician didn't show up, I took the day off for nothing",
	"I was kept waiting at the counter for an hour",
	"your staff lied to us about the reason for the delay",
	"the bus driver skipped our stop",
}

var enServiceComplaintTails = []string{"", ". Unacceptable.", " again!!", ". Worst airline ever", " 😡", ". This is a joke", ". Not happy", ". Fix it"}

var enServicePraise = []string{
	"thank you for the smooth flight today",
	"the crew was wonderful, thanks",
	"your agent rebooked me in minutes, thank you",
	"got my bag back, thanks for the quick help",
	"great service at the counter this morning",
	"the refund arrived, much appreciated",
	"loved the new seats, so comfortable",
	"your team went above and beyond",
	"thanks for the upgrade, what a treat",
	"landed early, great job",
	"the technician was fast and friendly",
	"the package arrived a day early, thanks",
}

var enServicePraiseTails = []string{"", "!", " 👍", ". Will fly with you again", " ❤️"}

var enServiceQuestions = []string{
	"what time does boarding start for flight 412",
	"can I bring a stroller on board",
	"is there a fee to change my return date",
	"how much does an extra bag cost",
	"do you fly to Denver in May",
	"where do I find my booking reference",
	"can I pick my seat before check-in",
	"which terminal does the Boston flight leave from",
	"is the lounge open on Sundays",
	"how do I add my frequent flyer number",
	"can I pay with a gift card",
	"what is the weight limit for carry-on",
	"do you have a direct flight to Austin",
	"when will the spring schedule be published",
	"can my son travel alone at 15",
	"is my flight tomorrow on time",
	"how do I update the phone number on my account",
	"what documents do I need for the trip",
}

var enServiceQuestionTails = []string{"?", "? Thanks", "? My flight is on Friday"}

// englishServiceSeed builds the sentences above; EnglishSeed includes them.
func englishServiceSeed() []Example {
	var out []Example
	for i, o := range enServiceOpeners {
		for j, c := range enServiceComplaints {
			// Rotate the tails instead of crossing them with everything, so
			// each complaint appears a few times, not 30×8×4.
			t := enServiceComplaintTails[(i+j)%len(enServiceComplaintTails)]
			out = append(out, Example{Text: o + c + t, Label: inbox.SentimentNegative})
		}
		for j, p := range enServicePraise {
			t := enServicePraiseTails[(i+j)%len(enServicePraiseTails)]
			out = append(out, Example{Text: o + p + t, Label: inbox.SentimentPositive})
		}
		for j, q := range enServiceQuestions {
			t := enServiceQuestionTails[(i+j)%len(enServiceQuestionTails)]
			out = append(out, Example{Text: o + q + t, Label: inbox.SentimentNeutral})
		}
	}
	return out
}
