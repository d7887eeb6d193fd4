package drafts

import (
	"regexp"
	"strings"
	"unicode"
)

// Finding is one reason an inbound message looks like a prompt-injection
// attempt. The message is still answered; the UI shows the finding so the
// person approving the reply knows to read it with care.
type Finding struct {
	Rule    string `json:"rule"`    // stable identifier, e.g. "override-instructions"
	Lang    string `json:"lang"`    // language of the pattern that matched
	Excerpt string `json:"excerpt"` // the matched text, for the UI
}

// Injection rules. They match instructions aimed at a model, not ordinary
// complaints: "I want a refund" is a request to the brand, "promise me a full
// refund" is an instruction about what the reply must say.
const (
	RuleOverride   = "override-instructions" // ignore/forget/set aside previous instructions
	RuleSystem     = "system-prompt"         // asks about or mentions the system prompt
	RuleRolePlay   = "role-play"             // you are now / pretend / jailbreak / developer mode
	RuleAuthority  = "claims-authority"      // "as the system administrator I authorize you to"
	RuleFakeTurn   = "fake-turn"             // "assistant:" lines, chat-template tokens, our delimiters
	RuleDictates   = "dictates-reply"        // demands a promise or exact wording in the reply
	RuleAutoSend   = "demands-auto-send"     // demands the reply be sent without review
	RuleHiddenText = "hidden-text"           // invisible characters inside words, bidi overrides
)

type injectionRule struct {
	rule string
	lang string
	re   *regexp.Regexp
}

// injectionDetector holds the compiled rules. The patterns are written in
// plain lower case and folded like the text (Skeleton), so a look-alike
// letter, an accent or a zero-width space in either changes nothing.
type injectionDetector struct {
	rules []injectionRule
}

// newInjectionDetector compiles the EN/RU/DE rules. Go's \b only knows ASCII
// word characters; that is enough because the skeleton of the words the
// English and German patterns look for is ASCII.
func newInjectionDetector() *injectionDetector {
	r := func(rule, lang, expr string) injectionRule {
		return injectionRule{rule, lang, regexp.MustCompile(`(?i)` + foldPattern(expr))}
	}
	return &injectionDetector{rules: []injectionRule{
		// English
		r(RuleOverride, LangEN, `\b(ignore|disregard|forget|override|bypass|set\s+aside|put\s+aside|throw\s+out|discard|abandon)\s+(all\s+|any\s+|the\s+|your\s+|of\s+|those\s+|these\s+|that\s+|everything\s+|in\s+)*(previous|prior|above|earlier|preceding|original|initial|former|old|existing|system|default|standing|given)?\s*(instructions?|rules|prompts?|guidance|guidelines|directions|directives|policies|policy|guardrails|programming|constraints|restrictions|orders)\b`),
		r(RuleOverride, LangEN, `\b(ignore|disregard|forget|set\s+aside|put\s+aside|discard)\s+(everything\s+|anything\s+|all\s+)?(that\s+|of\s+)?(what\s+)?you\s+(were|have\s+been|'ve\s+been|’ve\s+been|got)\s+(told|instructed|given|programmed|taught)`),
		r(RuleOverride, LangEN, `\b(new|updated|revised|real|actual|changed)\s+(instructions?|directives?|orders|task)\s*:`),
		r(RuleOverride, LangEN, `\b(system|admin|developer)\s+(override|update|notice|message)\s*:`),
		r(RuleSystem, LangEN, `\b(system|developer|hidden|initial|secret)\s+(prompt|instructions)\b`),
		r(RuleSystem, LangEN, `\b(reveal|print|repeat|output|leak|dump|disclose|recite|show|tell|give|share)\s+(me\s+|us\s+)?(your|the)\s+(full\s+|entire\s+|exact\s+|original\s+|hidden\s+|initial\s+|whole\s+)*(prompt|instructions|configuration|guidelines)\b`),
		r(RuleRolePlay, LangEN, `\b(you\s+are\s+now|from\s+now\s+on,?\s+you|act\s+as\s+(an?\s+)?(ai|assistant|model|dan|unrestricted|different)|pretend\s+(to\s+be|you\s+are|that\s+you)|role[\s-]?play|jailbreak|developer\s+mode|do\s+anything\s+now|\bDAN\b)`),
		r(RuleAuthority, LangEN, `\b(as|this\s+is|i\s+am|i'm|i’m)\s+(the|your|an?)\s+(system\s+|site\s+|it\s+)?(administrator|admin|developer|operator|owner|supervisor)\b.{0,40}?\b(i\s+)?(hereby\s+)?(authori[sz]e|order|instruct|command|permit|allow)\s+you`),
		r(RuleDictates, LangEN, `\b(promise|guarantee|commit\s+to|confirm\s+in\s+writing)\s+(me\s+|us\s+|the\s+customer\s+)?(a\s+|an\s+|the\s+)?(full\s+|complete\s+|100%\s+)?(refund|reimbursement|compensation|money\s+back|free)`),
		r(RuleDictates, LangEN, `\b(reply|respond|answer|write|say)\s+(only\s+)?(with|exactly|the\s+following|verbatim)\b`),
		r(RuleAutoSend, LangEN, `\b(then\s+send\s+it|send\s+it\s+(now|immediately|right\s+away|automatically)|without\s+(approval|review|a\s+human|asking))`),
		// Russian
		r(RuleOverride, LangRU, `(игнорируй|игнорируйте|проигнорируй|проигнорируйте|забудь|забудьте|отбрось|отбросьте|отложи|отложите|не\s+обращай\s+внимания\s+на|не\s+обращайте\s+внимания\s+на|не\s+учитывай|не\s+учитывайте|пренебреги|пренебрегите|отмени|отмените)\s+(все\s+|всё\s+|свои\s+|твои\s+|ваши\s+|прошлые\s+|предыдущие\s+|прежние\s+|данные\s+|ранее\s+|полученные\s+|эти\s+|те\s+|старые\s+|исходные\s+|системные\s+)*(инструкци|указани|правил|промпт|ограничени|установк|рекомендаци)`),
		r(RuleOverride, LangRU, `(забудь|забудьте|игнорируй|игнорируйте|отбрось|отбросьте|не\s+обращай\s+внимания\s+на|не\s+обращайте\s+внимания\s+на)\s*,?\s*(пожалуйста\s*,?\s*)?((всё|все)\s*,?\s*)?(то\s*,?\s*)?(что|чему)\s+(тебе|вам)\s+(\S+\s+)?(говорили|сказали|велели|поручили|приказали|писали|объясняли)`),
		r(RuleOverride, LangRU, `нов(ые|ая|ое)\s+(инструкци[ия]|указани[ея]|задача)\s*:`),
		r(RuleSystem, LangRU, `(системн\S*|скрыт\S*|исходн\S*)\s+(промпт|подсказк|инструкци)`),
		r(RuleSystem, LangRU, `(покажи|покажите|раскрой|раскройте|выведи|выведите|повтори|повторите|перескажи|перескажите)\s+(мне\s+)?(свой|свои|твой|твои|ваш|ваши)\s+(промпт|инструкци|правила|настройки)`),
		r(RuleRolePlay, LangRU, `(теперь\s+ты|ты\s+теперь|представь,?\s+что\s+ты|притворись|веди\s+себя\s+как|режим\s+разработчика|джейлбрейк|ролев\S+\s+игр)`),
		r(RuleAuthority, LangRU, `(как|я)\s+(ваш\s+|твой\s+)?(системный\s+)?(администратор|админ|разработчик|владелец)\S*.{0,40}?(разрешаю|приказываю|поручаю|велю|уполномочиваю|даю\s+(тебе|вам)\s+право)`),
		r(RuleDictates, LangRU, `(пообещай|пообещайте|гарантируй|гарантируйте|подтверди\s+письменно)\s+(мне\s+|нам\s+)?(полн\S+\s+)?(возврат|компенсац|деньги)`),
		r(RuleDictates, LangRU, `(ответь|напиши|отвечай)\s+(только\s+)?(дословно|ровно|следующ)`),
		r(RuleAutoSend, LangRU, `(и\s+отправь|отправь\s+(его\s+|это\s+)?(сразу|немедленно|сейчас)|без\s+(одобрения|проверки|согласования))`),
		// German
		r(RuleOverride, LangDE, `\b(ignorier\S*|vergiss|vergessen\s+sie|missachte\S*|übergeh\S*|verwirf|verwerfen\s+sie|setze?\s+au(ß|ss)er\s+kraft)\s+(du\s+|sie\s+|bitte\s+)?(alle\s+|deine\s+|ihre\s+|die\s+|bisherigen\s+|vorherigen\s+|vorigen\s+|obigen\s+|früheren\s+|ursprünglichen\s+|alten\s+|erhaltenen\s+)*(anweisung|instruktion|regeln|vorgaben|richtlinien|prompt|befehle)`),
		r(RuleOverride, LangDE, `\b(lass|lasse|lassen\s+sie)\s+(bitte\s+)?(alle\s+|deine\s+|ihre\s+|die\s+|bisherigen\s+|vorherigen\s+|früheren\s+|ursprünglichen\s+)*(anweisungen|vorgaben|regeln|richtlinien|instruktionen)\s+(beiseite|au(ß|ss)er\s+acht|weg)`),
		r(RuleOverride, LangDE, `\b(vergiss|vergessen\s+sie|ignorier\S*)\s+(bitte\s+)?(alles\s*,?\s*)?was\s+(dir|ihnen|man\s+dir|man\s+ihnen)\s+(\S+\s+){0,3}?(gesagt|aufgetragen|vorgegeben|befohlen|beigebracht)`),
		r(RuleOverride, LangDE, `\bneue\s+(anweisungen?|aufgabe)\s*:`),
		r(RuleSystem, LangDE, `\b(system[\s-]?prompt|systemanweisung\S*|versteckten\s+anweisungen)`),
		r(RuleSystem, LangDE, `\b(zeig|zeige|zeigen\s+sie|gib|geben\s+sie|verrate|verraten\s+sie|wiederhole|wiederholen\s+sie|nenne|nennen\s+sie)\s+(mir\s+|uns\s+)?(deine|deinen|ihre|ihren)\s+(ursprünglichen\s+|geheimen\s+)?(prompt|anweisungen|instruktionen|vorgaben)`),
		r(RuleRolePlay, LangDE, `\b(du\s+bist\s+(jetzt|nun|ab\s+sofort)|ab\s+jetzt\s+bist\s+du|tu\s+so,?\s+als|stell\s+dir\s+vor,?\s+du\s+bist|spiel\s+die\s+rolle|rollenspiel|entwicklermodus)`),
		r(RuleAuthority, LangDE, `\b(als|ich\s+bin)\s+(der\s+|ihr\s+|dein\s+)?(system\s*)?(administrator|admin|entwickler|betreiber)\S*.{0,40}?(autorisier|erlaub|befehl|ermächtig|beauftrag|weise)\S*\s+(ich\s+)?(dich|sie|euch)`),
		r(RuleDictates, LangDE, `\b(versprich|versprechen\s+sie|garantiere|garantieren\s+sie|sichere\s+zu)\s+(mir\s+|uns\s+)?(eine\s+|die\s+)?(volle\s+|vollständige\s+)?(rückerstattung|erstattung|entschädigung|geld\s+zurück)`),
		r(RuleDictates, LangDE, `\b(antworte|schreibe|schreib)\s+(nur\s+)?(wörtlich|genau\s+folgendes|folgendes)`),
		r(RuleAutoSend, LangDE, `\b(und\s+sende?\s+(sie|es|die\s+antwort)\s+(sofort|ab)|ohne\s+(freigabe|prüfung|genehmigung))`),
		// Chat-template and turn markers (language-neutral).
		r(RuleFakeTurn, "", `(?m)^\s*(assistant|system|developer|ассистент|система|assistent)\s*:`),
		r(RuleFakeTurn, "", `(<\|im_(start|end)\|>|\[/?inst\]|<<sys>>|</?(customer_message|thread|brand_reply|kb|settings|brand_name|tone_of_voice|signature|default_language)\b|###\s*(instruction|system))`),
	}}
}

// DetectInjection returns the reasons text looks like a prompt-injection
// attempt, or nil. It never changes the text and never blocks a reply: the
// rules the model follows are in the system prompt and customer text only
// ever reaches the model as quoted data (see BuildPrompt).
func DetectInjection(text string) []Finding {
	return newInjectionDetector().detect(text)
}

func (d *injectionDetector) detect(text string) []Finding {
	var out []Finding
	seen := map[string]bool{}
	if hiddenInWord(text) {
		out = append(out, Finding{Rule: RuleHiddenText, Excerpt: "invisible characters"})
		seen[RuleHiddenText] = true
	}
	clean, origin := skeletonWithOrigin(text)
	for _, r := range d.rules {
		if seen[r.rule] {
			continue
		}
		if loc := r.re.FindStringIndex(clean); loc != nil {
			seen[r.rule] = true
			// The excerpt is the text as written: the skeleton of Russian
			// text is a mix of scripts no person should have to read.
			excerpt := strings.ToValidUTF8(text[origin[loc[0]]:origin[loc[1]]], "\uFFFD")
			out = append(out, Finding{Rule: r.rule, Lang: r.lang, Excerpt: truncateRunes(strings.TrimSpace(excerpt), 80)})
		}
	}
	return out
}

// hiddenInWord reports an invisible character that splits a word
// ("ig\u200bnore") or a bidi override, which can reorder what a reader sees.
// A zero-width joiner between emoji (a family emoji) is ordinary text.
func hiddenInWord(text string) bool {
	var prev rune
	var pending bool
	for _, r := range text {
		switch {
		case r >= '\u202a' && r <= '\u202e' || r >= '\u2066' && r <= '\u2069':
			return true
		case r == '\u00ad':
			// A soft hyphen inside a word is ordinary hyphenation.
		case unicode.In(r, unicode.Cf, unicode.Variation_Selector, unicode.Other_Default_Ignorable_Code_Point):
			pending = pending || unicode.IsLetter(prev)
			continue
		case unicode.IsLetter(r) && pending:
			return true
		}
		pending = false
		prev = r
	}
	return false
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
