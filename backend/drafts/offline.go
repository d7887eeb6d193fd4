package drafts

import (
	"context"
	"regexp"
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
	{TopicOutage, regexp.MustCompile(`(?i)(\bdown\b|\boutage|not working|doesn't work|does not work|\bcrash|\bbug\b|\berror\b|не работает|сбой|ошибк|вылета|funktioniert nicht|absturz|stürzt|\bfehler|störung)`)},
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
	LangEN: "Hi {{customer}},\n\nthank you for telling us about {{topic}}, and I'm sorry for the trouble. {{next_step}} We will get back to you {{eta}}.\n\n{{agent}}\n{{brand}}",
	LangRU: "Здравствуйте, {{customer}}!\n\nСпасибо, что написали нам: {{topic}}. Нам очень жаль, что так получилось. {{next_step}} Мы вернёмся к вам {{eta}}.\n\n{{agent}}\n{{brand}}",
	LangDE: "Hallo {{customer}},\n\ndanke, dass Sie uns wegen {{topic}} geschrieben haben, und es tut mir leid für die Umstände. {{next_step}} Wir melden uns {{eta}} bei Ihnen.\n\n{{agent}}\n{{brand}}",
}

// offlineVars are per-language defaults for {{topic}}, {{next_step}} and {{eta}}.
var offlineVars = map[string]map[string][3]string{
	LangEN: {
		TopicDelivery: {"your delivery", "We are checking the status of your order with our shipping team."},
		TopicBilling:  {"your payment", "We are checking your payment and order details."},
		TopicOutage:   {"the problem you ran into", "Our team is investigating the issue."},
		TopicAccount:  {"your account", "We are looking into your account access."},
		TopicGeneral:  {"this", "We are looking into it."},
		"":            {"", "", "as soon as we know more"},
	},
	LangRU: {
		TopicDelivery: {"вопрос о доставке", "Мы уточняем статус вашего заказа в службе доставки."},
		TopicBilling:  {"вопрос об оплате", "Мы проверяем ваш платёж и данные заказа."},
		TopicOutage:   {"проблема в работе сервиса", "Наша команда уже разбирается с проблемой."},
		TopicAccount:  {"вопрос о вашем аккаунте", "Мы проверяем доступ к вашему аккаунту."},
		TopicGeneral:  {"ваш вопрос", "Мы уже разбираемся."},
		"":            {"", "", "как только узнаем больше"},
	},
	LangDE: {
		TopicDelivery: {"Ihrer Lieferung", "Wir prüfen den Status Ihrer Bestellung mit unserem Versandteam."},
		TopicBilling:  {"Ihrer Zahlung", "Wir prüfen Ihre Zahlung und die Bestelldaten."},
		TopicOutage:   {"des Problems", "Unser Team untersucht das Problem."},
		TopicAccount:  {"Ihres Kontos", "Wir prüfen den Zugang zu Ihrem Konto."},
		TopicGeneral:  {"Ihres Anliegens", "Wir kümmern uns darum."},
		"":            {"", "", "sobald wir mehr wissen"},
	},
}

// OfflineDrafter drafts from built-in templates when no LLM is configured.
// It implements Drafter.
type OfflineDrafter struct {
	// Vars override template variables (e.g. "eta" from the SLA policy,
	// "next_step" from a holding statement).
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
	topic := DetectTopic(last.Subject + " " + last.Text)
	vars := map[string]string{
		"customer":  authorName(last.Author),
		"brand":     req.Brand.Name,
		"agent":     req.Agent,
		"topic":     offlineVars[lang][topic][0],
		"next_step": offlineVars[lang][topic][1],
		"eta":       offlineVars[lang][""][2],
	}
	for k, v := range o.Vars {
		vars[k] = v
	}
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
