package drafts

import (
	"regexp"
	"strings"

	"golang.org/x/text/unicode/norm"
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
	RuleOverride   = "override-instructions" // ignore/forget previous instructions
	RuleSystem     = "system-prompt"         // asks about or mentions the system prompt
	RuleRolePlay   = "role-play"             // you are now / pretend / jailbreak / developer mode
	RuleFakeTurn   = "fake-turn"             // "assistant:" lines, chat-template tokens, our delimiters
	RuleDictates   = "dictates-reply"        // demands a promise or exact wording in the reply
	RuleAutoSend   = "demands-auto-send"     // demands the reply be sent without review
	RuleHiddenText = "hidden-text"           // zero-width or bidi control characters
)

type injectionRule struct {
	rule string
	lang string
	re   *regexp.Regexp
}

var injectionRules = func() []injectionRule {
	r := func(rule, lang, expr string) injectionRule {
		return injectionRule{rule, lang, regexp.MustCompile(`(?i)` + expr)}
	}
	return []injectionRule{
		// English
		r(RuleOverride, LangEN, `\b(ignore|disregard|forget|override|bypass)\s+(all\s+|any\s+|the\s+|your\s+|my\s+|of\s+)*(previous\s+|prior\s+|above\s+|earlier\s+|preceding\s+|original\s+|system\s+)*(instructions?|rules|prompts?|guidelines|directions|policies|polic(y|ies)|guardrails)\b`),
		r(RuleOverride, LangEN, `\bnew\s+instructions?\s*:`),
		r(RuleSystem, LangEN, `\b(system|developer|hidden|initial)\s+(prompt|message|instructions)\b`),
		r(RuleRolePlay, LangEN, `\b(you\s+are\s+now|from\s+now\s+on,?\s+you|act\s+as\s+(an?\s+)?(ai|assistant|model|dan|unrestricted|different)|pretend\s+(to\s+be|you\s+are|that\s+you)|role[\s-]?play|jailbreak|developer\s+mode|do\s+anything\s+now|\bDAN\b)`),
		r(RuleDictates, LangEN, `\b(promise|guarantee|commit\s+to|confirm\s+in\s+writing)\s+(me\s+|us\s+|the\s+customer\s+)?(a\s+|an\s+|the\s+)?(full\s+|complete\s+|100%\s+)?(refund|reimbursement|compensation|money\s+back|free)`),
		r(RuleDictates, LangEN, `\b(reply|respond|answer|write|say)\s+(only\s+)?(with|exactly|the\s+following|verbatim)\b`),
		r(RuleAutoSend, LangEN, `\b(then\s+send\s+it|send\s+it\s+(now|immediately|right\s+away|automatically)|without\s+(approval|review|a\s+human|asking))`),
		// Russian
		r(RuleOverride, LangRU, `(игнорируй|игнорируйте|проигнорируй|проигнорируйте|забудь|забудьте|отбрось|не\s+обращай\s+внимания\s+на)\s+(все\s+|всё\s+|свои\s+|твои\s+|ваши\s+|прошлые\s+|предыдущие\s+|прежние\s+|данные\s+)*(инструкци|указани|правил|промпт|ограничени)`),
		r(RuleOverride, LangRU, `нов(ые|ая)\s+инструкци[ия]\s*:`),
		r(RuleSystem, LangRU, `системн\S*\s+(промпт|подсказк|инструкци|сообщени)`),
		r(RuleRolePlay, LangRU, `(теперь\s+ты|ты\s+теперь|представь,?\s+что\s+ты|притворись|веди\s+себя\s+как|режим\s+разработчика|джейлбрейк|ролев\S+\s+игр)`),
		r(RuleDictates, LangRU, `(пообещай|пообещайте|гарантируй|гарантируйте|подтверди\s+письменно)\s+(мне\s+|нам\s+)?(полн\S+\s+)?(возврат|компенсац|деньги)`),
		r(RuleDictates, LangRU, `(ответь|напиши|отвечай)\s+(только\s+)?(дословно|ровно|следующ)`),
		r(RuleAutoSend, LangRU, `(и\s+отправь|отправь\s+(его\s+|это\s+)?(сразу|немедленно|сейчас)|без\s+(одобрения|проверки|согласования))`),
		// German
		r(RuleOverride, LangDE, `\b(ignorier\S*|vergiss|vergessen\s+sie|missachte\S*)\s+(du\s+|sie\s+)?(alle\s+|deine\s+|ihre\s+|die\s+|bisherigen\s+|vorherigen\s+|vorigen\s+|obigen\s+)*(anweisung|instruktion|regeln|vorgaben|richtlinien|prompt)`),
		r(RuleOverride, LangDE, `\bneue\s+anweisungen?\s*:`),
		r(RuleSystem, LangDE, `\b(system[\s-]?prompt|systemanweisung\S*|systemnachricht)`),
		r(RuleRolePlay, LangDE, `\b(du\s+bist\s+(jetzt|nun|ab\s+sofort)|ab\s+jetzt\s+bist\s+du|tu\s+so,?\s+als|stell\s+dir\s+vor,?\s+du\s+bist|spiel\s+die\s+rolle|rollenspiel|entwicklermodus)`),
		r(RuleDictates, LangDE, `\b(versprich|versprechen\s+sie|garantiere|garantieren\s+sie|sichere\s+zu)\s+(mir\s+|uns\s+)?(eine\s+|die\s+)?(volle\s+|vollständige\s+)?(rückerstattung|erstattung|entschädigung|geld\s+zurück)`),
		r(RuleDictates, LangDE, `\b(antworte|schreibe|schreib)\s+(nur\s+)?(wörtlich|genau\s+folgendes|folgendes)`),
		r(RuleAutoSend, LangDE, `\b(und\s+sende?\s+(sie|es|die\s+antwort)\s+(sofort|ab)|ohne\s+(freigabe|prüfung|genehmigung))`),
		// Chat-template and turn markers (language-neutral).
		r(RuleFakeTurn, "", `(?m)^\s*(assistant|system|developer|ассистент|система|assistent)\s*:`),
		r(RuleFakeTurn, "", `(<\|im_(start|end)\|>|\[/?INST\]|<<SYS>>|</?(customer_message|thread|brand_reply|kb)\b|###\s*(instruction|system))`),
	}
}()

// hiddenChars are invisible characters used to smuggle instructions past a
// reader: zero-width spaces/joiners, word joiner, BOM and bidi overrides.
const hiddenChars = "\u200b\u200c\u200d\u2060\ufeff\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

// DetectInjection returns the reasons text looks like a prompt-injection
// attempt, or nil. It never changes the text and never blocks a reply: the
// rules the model follows are in the system prompt and customer text only
// ever reaches the model as quoted data (see BuildPrompt).
func DetectInjection(text string) []Finding {
	var out []Finding
	seen := map[string]bool{}
	if strings.ContainsAny(text, hiddenChars) {
		out = append(out, Finding{Rule: RuleHiddenText, Excerpt: "invisible characters"})
		seen[RuleHiddenText] = true
	}
	// NFKC folds full-width and stylised letters ("ｉｇｎｏｒｅ") to plain ones;
	// dropping invisible characters stops "ig\u200bnore" from slipping by.
	clean := norm.NFKC.String(strings.Map(func(r rune) rune {
		if strings.ContainsRune(hiddenChars, r) {
			return -1
		}
		return r
	}, text))
	for _, r := range injectionRules {
		if seen[r.rule] {
			continue
		}
		if m := r.re.FindString(clean); m != "" {
			seen[r.rule] = true
			out = append(out, Finding{Rule: r.rule, Lang: r.lang, Excerpt: truncateRunes(strings.TrimSpace(m), 80)})
		}
	}
	return out
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
