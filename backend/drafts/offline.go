package drafts

import (
	"context"
	"regexp"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// Topics the offline drafter recognises.
const (
	TopicDelivery = "delivery"
	TopicBilling  = "billing"
	TopicOutage   = "outage"
	TopicAccount  = "account"
	TopicGeneral  = "general"
)

var topicPatterns = []struct {
	topic string
	re    *regexp.Regexp
}{
	{TopicOutage, regexp.MustCompile(`(?i)(\bdown\b|\boutage|\bslow\b|not working|doesn't work|does not work|\bcrash|\bbug\b|\berror\b|не работает|сбой|ошибк|вылета|скорост|funktioniert nicht|langsam|absturz|stürzt|\bfehler|störung)`)},
	{TopicDelivery, regexp.MustCompile(`(?i)(\bdeliver|\bshipping|\bshipment|\bparcel|\bpackage|\bcourier|\btracking|where is my order|доставк|посылк|курьер|трек|заказ\S* не пришёл|\blieferung|\bpaket|\bversand|sendung|\bbestellung)`)},
	{TopicBilling, regexp.MustCompile(`(?i)(\brefund|\bcharged|\bpayment|\binvoice|\bbilling|\bmoney\b|возврат|оплат|списал|деньг|сч[её]т|\bzahlung|\brechnung|abgebucht|erstatt|\bgeld\b)`)},
	{TopicAccount, regexp.MustCompile(`(?i)(\blog ?in\b|\bpassword|\baccount|\bsign in|\blocked out|парол|аккаунт|учётн|войти|\bkonto|passwort|anmeld|einloggen)`)},
}

// DetectTopic picks a topic for the offline templates from text by keywords.
func DetectTopic(text string) string {
	for _, p := range topicPatterns {
		if p.re.MatchString(text) {
			return p.topic
		}
	}
	return TopicGeneral
}

// offlineTemplates are the built-in reply skeletons: acknowledge, next step,
// when we come back, signature. They promise nothing beyond looking into it.
var offlineTemplates = map[string]string{
	LangEN: "Hi {{customer}},\n\n{{opening}} {{next_step}} {{follow_up}}\n\n{{agent}}\n{{brand}}",
	LangRU: "Здравствуйте, {{customer}}!\n\n{{opening}} {{next_step}} {{follow_up}}\n\n{{agent}}\n{{brand}}",
	LangDE: "Hallo {{customer}},\n\n{{opening}} {{next_step}} {{follow_up}}\n\n{{agent}}\n{{brand}}",
}

// phrasing is what a template says about one topic: about names it inside the
// opening sentence ("" for a general message), next is the next step.
type phrasing struct{ about, next string }

// offlinePhrases are keyed by language, then domain ("" is any domain), then
// topic. A brand's domain picks its own wording where one is given, so a
// telecom bill never reads as an order and a rail delay never as a parcel.
var offlinePhrases = map[string]map[string]map[string]phrasing{
	LangEN: {
		DomainAny: {
			TopicDelivery: {"your delivery", "We are checking the status of your delivery."},
			TopicBilling:  {"your payment", "We are checking your payment."},
			TopicOutage:   {"the problem you ran into", "Our team is investigating the issue."},
			TopicAccount:  {"your account", "We are looking into your account access."},
			TopicGeneral:  {"", "We are looking into it."},
		},
		DomainRetail: {
			TopicDelivery: {"your delivery", "We are checking the status of your order with our shipping team."},
			TopicBilling:  {"your payment", "We are checking your payment and order details."},
		},
		DomainTelecom: {
			TopicBilling: {"your bill", "We are checking your bill and the charges on your account."},
			TopicOutage:  {"the problem with your service", "Our engineers are checking the service."},
		},
		DomainTravel: {
			TopicDelivery: {"your luggage", "We are checking where your luggage is."},
			TopicBilling:  {"your payment", "We are checking your payment and your booking."},
		},
		DomainSoftware: {
			TopicBilling: {"your payment", "We are checking your subscription and payments."},
		},
	},
	LangRU: {
		DomainAny: {
			TopicDelivery: {"о проблеме с доставкой", "Мы уточняем статус доставки."},
			TopicBilling:  {"по поводу оплаты", "Мы проверяем ваш платёж."},
			TopicOutage:   {"о проблеме", "Наша команда уже разбирается."},
			TopicAccount:  {"по поводу вашего аккаунта", "Мы проверяем доступ к вашему аккаунту."},
			TopicGeneral:  {"", "Мы уже разбираемся."},
		},
		DomainRetail: {
			TopicDelivery: {"о проблеме с доставкой", "Мы уточняем статус вашего заказа в службе доставки."},
			TopicBilling:  {"по поводу оплаты", "Мы проверяем ваш платёж и данные заказа."},
		},
		DomainTelecom: {
			TopicBilling: {"по поводу счёта", "Мы проверяем ваш счёт и начисления."},
			TopicOutage:  {"о проблеме со связью", "Наши инженеры уже проверяют работу сети."},
			TopicAccount: {"по поводу личного кабинета", "Мы проверяем доступ к вашему личному кабинету."},
		},
		DomainTravel: {
			TopicDelivery: {"о багаже", "Мы выясняем, где ваш багаж."},
			TopicBilling:  {"по поводу оплаты", "Мы проверяем ваш платёж и бронирование."},
		},
		DomainSoftware: {
			TopicBilling: {"по поводу оплаты", "Мы проверяем вашу подписку и платежи."},
		},
	},
	LangDE: {
		DomainAny: {
			TopicDelivery: {"wegen Ihrer Lieferung", "Wir prüfen den Stand Ihrer Lieferung."},
			TopicBilling:  {"wegen Ihrer Zahlung", "Wir prüfen Ihre Zahlung."},
			TopicOutage:   {"wegen des Problems", "Unser Team kümmert sich bereits darum."},
			TopicAccount:  {"wegen Ihres Kontos", "Wir prüfen den Zugang zu Ihrem Konto."},
			TopicGeneral:  {"", "Wir kümmern uns darum."},
		},
		DomainRetail: {
			TopicDelivery: {"wegen Ihrer Lieferung", "Wir prüfen den Status Ihrer Bestellung mit unserem Versandteam."},
			TopicBilling:  {"wegen Ihrer Zahlung", "Wir prüfen Ihre Zahlung und die Bestelldaten."},
		},
		DomainTelecom: {
			TopicBilling: {"wegen Ihrer Rechnung", "Wir prüfen Ihre Rechnung und die Buchungen auf Ihrem Kundenkonto."},
			TopicOutage:  {"wegen der Störung", "Unsere Technik prüft bereits den Dienst."},
			TopicAccount: {"wegen Ihres Kundenkontos", "Wir prüfen den Zugang zu Ihrem Kundenkonto."},
		},
		DomainTravel: {
			TopicDelivery: {"wegen Ihres Gepäcks", "Wir klären, wo Ihr Gepäck ist."},
			TopicBilling:  {"wegen Ihrer Zahlung", "Wir prüfen Ihre Zahlung und Ihre Buchung."},
		},
		DomainSoftware: {
			TopicBilling: {"wegen Ihrer Zahlung", "Wir prüfen Ihr Abonnement und Ihre Zahlungen."},
		},
	},
}

// phraseFor is the brand domain's wording of a topic, or the general one.
func phraseFor(lang, domain, topic string) phrasing {
	if p, ok := offlinePhrases[lang][domain][topic]; ok {
		return p
	}
	return offlinePhrases[lang][DomainAny][topic]
}

// opening thanks and apologises, naming the topic when there is one; each
// language builds the sentence its own way.
func opening(lang, about string) string {
	switch lang {
	case LangRU:
		if about == "" {
			return "Спасибо, что написали нам. Сожалеем о неудобствах."
		}
		return "Спасибо, что написали нам " + about + ". Сожалеем о неудобствах."
	case LangDE:
		if about == "" {
			return "vielen Dank für Ihre Nachricht. Entschuldigen Sie bitte die Unannehmlichkeiten."
		}
		return "vielen Dank, dass Sie uns " + about + " geschrieben haben. Entschuldigen Sie bitte die Unannehmlichkeiten."
	default:
		if about == "" {
			return "Thank you for your message, and I'm sorry for the trouble."
		}
		return "Thank you for telling us about " + about + ", and I'm sorry for the trouble."
	}
}

// followUp says when we come back: eta ("by Friday") when one is given,
// otherwise as soon as we know more, in each language's own word order.
func followUp(lang, eta string) string {
	switch {
	case lang == LangRU && eta != "":
		return "Мы ответим вам " + eta + "."
	case lang == LangRU:
		return "Мы напишем вам, как только узнаем больше."
	case lang == LangDE && eta != "":
		return "Wir melden uns " + eta + " bei Ihnen."
	case lang == LangDE:
		return "Wir melden uns bei Ihnen, sobald wir mehr wissen."
	case eta != "":
		return "We will get back to you " + eta + "."
	default:
		return "We will get back to you as soon as we know more."
	}
}

// OfflineDrafter drafts from built-in templates when no LLM is configured.
// It implements Drafter.
type OfflineDrafter struct {
	// Vars override template variables (e.g. "eta", when we come back, as
	// "by Friday"; "next_step" from a holding statement).
	Vars map[string]string
	Now  func() time.Time
}

// Draft renders the template for the thread's language and topic. Missing
// variables (no customer name, no agent) stay visible as {{name}} and are
// reported as problems.
func (o OfflineDrafter) Draft(ctx context.Context, req Request, onDelta func(string)) (Draft, error) {
	if err := ctx.Err(); err != nil {
		return Draft{}, err
	}
	fallback := req.Brand.DefaultLang
	if !SupportedLang(fallback) {
		fallback = LangEN
	}
	lang := req.Lang
	if !SupportedLang(lang) {
		lang = ThreadLanguage(req.Thread, fallback)
	}
	var last inbox.Message
	var inbound string
	for _, m := range req.Thread {
		if m.Direction == inbox.DirectionIn {
			last = m
			inbound += m.Subject + "\n" + m.Text + "\n"
		}
	}
	phrase := phraseFor(lang, req.Brand.Domain, DetectTopic(last.Subject+" "+last.Text))
	vars := map[string]string{
		"customer":  authorName(last.Author),
		"brand":     req.Brand.Name,
		"agent":     req.Agent,
		"opening":   opening(lang, phrase.about),
		"next_step": phrase.next,
	}
	for k, v := range o.Vars {
		vars[k] = v
	}
	vars["follow_up"] = followUp(lang, strings.TrimSpace(vars["eta"]))
	text, missing := renderTemplate(offlineTemplates[lang], vars)
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	d := Draft{Text: text, Lang: lang, Source: SourceOffline, FinishReason: "stop", Injection: dedupeFindings(DetectInjection(inbound)), CreatedAt: now()}
	for _, m := range missing {
		d.Problems = append(d.Problems, ProblemMissingVariable+":"+m)
	}
	if onDelta != nil {
		onDelta(text)
	}
	return CheckDraft(d, req.KB, req.Brand), nil
}

// NewDrafter returns the LLM client when s is configured and the offline
// drafter otherwise.
func NewDrafter(s Settings, opts ...Option) (Drafter, error) {
	if !s.Configured() {
		return OfflineDrafter{}, nil
	}
	return NewClient(s, opts...)
}
