package drafts

import (
	"regexp"
	"strings"
)

// Problem markers on a Draft. A draft with problems can still be edited and
// approved, but the UI shows each marker; none is ever dropped silently.
const (
	ProblemEmpty           = "empty"            // the model returned no text
	ProblemTruncated       = "truncated"        // finish_reason "length": the answer was cut off
	ProblemIncomplete      = "incomplete"       // the stream ended without a finish_reason
	ProblemContentFilter   = "content-filter"   // the server's content filter stopped the answer
	ProblemStreamError     = "stream-error"     // an error arrived mid-stream; Text holds the partial answer
	ProblemWrongLanguage   = "wrong-language"   // "wrong-language:<got>" - not in the customer's language
	ProblemUnbackedPromise = "unbacked-promise" // "unbacked-promise:<concept>" - a promise no KB entry supports
	ProblemUnknownSource   = "unknown-source"   // "unknown-source:<id>" - a cited id that was not provided
	ProblemInjection       = "injection-suspected"
	ProblemMissingVariable = "missing-variable" // "missing-variable:<name>" - a template variable had no value
)

// promiseConcepts maps a promise to the words that express it in EN/RU/DE.
// A draft mentioning a concept is flagged unless some provided KB entry
// mentions the same concept (in any language): the brand has a statement on
// it, so a person can check the wording against it. Matching is on word
// prefixes, which covers inflection ("erstatten", "Erstattung", "возврата").
var promiseConcepts = []struct {
	name string
	re   *regexp.Regexp
	// ignore removes phrases that share a concept's word but promise
	// nothing ("credit card") before the concept is looked for.
	ignore *regexp.Regexp
}{
	{"refund", regexp.MustCompile(`(?i)(\brefund|\breimburs|money back|\bpay (you )?back|erstatt|rückerstatt|geld zurück|возврат|верн[её]м\s+(вам\s+)?деньги|возмест)`), nil},
	{"compensation", regexp.MustCompile(`(?i)(\bcompensat|entschädig|kompensation|компенсац)`), nil},
	{"voucher", regexp.MustCompile(`(?i)(\bvoucher|\bcoupon|\bdiscount|\bpromo code|gutschein|rabatt|купон|скидк|промокод)`), nil},
	{"replacement", regexp.MustCompile(`(?i)(\bfree replacement|\breplace (it|your)|ersatzgerät|kostenlos(en)? ersatz|замен[аиуы]\s+бесплатно|бесплатн\S*\s+замен)`), nil},
	{"credit", regexp.MustCompile(`(?i)(\bcredit|gutschrift|gutschreib|gutgeschrieben|guthaben|бонус|баллы|баллов)`), regexp.MustCompile(`(?i)\bcredit[\s-]*(cards?|scores?|checks?|rating)\b`)},
}

var sourcesLine = regexp.MustCompile(`(?im)^[ \t>*_]*(SOURCES|ИСТОЧНИКИ|QUELLEN)\s*:\s*(.*)$`)

// splitSources removes the trailing "SOURCES:" line the prompt asks for and
// returns the reply text and the cited ids.
func splitSources(text string) (string, []string) {
	locs := sourcesLine.FindAllStringSubmatchIndex(text, -1)
	if len(locs) == 0 {
		return strings.TrimSpace(text), nil
	}
	last := locs[len(locs)-1]
	list := text[last[4]:last[5]]
	body := strings.TrimSpace(text[:last[0]] + text[last[1]:])
	var ids []string
	for _, id := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
		id = strings.Trim(id, "[]()`\"'.")
		if id != "" && !strings.EqualFold(id, "none") {
			ids = append(ids, id)
		}
	}
	return body, ids
}

// Checker runs the draft checks with their expressions compiled once.
// Compiling the EN/RU/DE expressions costs more than checking a draft, so a
// drafter keeps one (it is safe for concurrent use); the package functions
// below build one per call.
type Checker struct {
	claims   *claimScanner
	inj      *injectionDetector
	variable *regexp.Regexp // a template variable left unfilled: "{{eta}}"
}

// NewChecker compiles the checks.
func NewChecker() *Checker {
	return &Checker{
		claims:   newClaimScanner(),
		inj:      newInjectionDetector(),
		variable: regexp.MustCompile(`\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}`),
	}
}

// CheckDraft runs the output checks on d (Text, FinishReason, Lang and
// Citations set) against the KB entries that were given to the model and
// the brand profile, and returns d with Problems filled in. It is used for
// LLM, offline and edited text alike (see RecheckReply).
func CheckDraft(d Draft, kb []KBEntry, brand Brand) Draft { return NewChecker().Check(d, kb, brand) }

// Check is CheckDraft.
func (c *Checker) Check(d Draft, kb []KBEntry, brand Brand) Draft {
	add := func(p string) {
		for _, q := range d.Problems {
			if q == p {
				return
			}
		}
		d.Problems = append(d.Problems, p)
	}
	text := strings.TrimSpace(d.Text)
	if text == "" {
		add(ProblemEmpty)
	}
	switch d.FinishReason {
	case "length":
		add(ProblemTruncated)
	case "content_filter":
		add(ProblemContentFilter)
	}
	if text != "" && d.Lang != "" {
		if got := DetectLanguage(text); got != "" && got != d.Lang {
			add(ProblemWrongLanguage + ":" + got)
		}
	}
	for _, p := range UnbackedPromises(text, kb) {
		add(ProblemUnbackedPromise + ":" + p)
	}
	for _, p := range c.claims.unbacked(text, kb, brand) {
		add(p)
	}
	// Whoever wrote the text, a visible {{name}} must not reach a customer.
	for _, m := range c.variable.FindAllStringSubmatch(text, -1) {
		add(ProblemMissingVariable + ":" + m[1])
	}
	known := map[string]bool{}
	for _, e := range kb {
		known[e.ID] = true
	}
	for _, id := range d.Citations {
		if !known[id] {
			add(ProblemUnknownSource + ":" + id)
		}
	}
	if len(d.Injection) > 0 {
		add(ProblemInjection)
	}
	for _, f := range c.SettingsInjection(brand, kb) {
		add(ProblemSettingsInjection + ":" + f)
	}
	return d
}

// RecheckReply recomputes the text checks of a reply after a person edited
// it, or before it goes to approval: a phone number typed in by hand must be
// flagged just like one the model made up, and a fixed problem must go.
func RecheckReply(r Reply, kb []KBEntry, brand Brand) Reply {
	return NewChecker().Recheck(r, kb, brand)
}

// Recheck is RecheckReply.
func (c *Checker) Recheck(r Reply, kb []KBEntry, brand Brand) Reply {
	// The markers Check derives from the text and the KB; the others
	// (truncated, stream-error, ...) record how the draft was generated and
	// stay true whatever a person does to the text.
	textProblems := []string{
		ProblemEmpty, ProblemWrongLanguage, ProblemUnbackedPromise, ProblemUnknownSource, ProblemMissingVariable,
		ProblemUnlistedURL, ProblemUnlistedEmail, ProblemUnlistedPhone, ProblemUnbackedDeadline,
		ProblemUnbackedAmount, ProblemSettingsInjection,
	}
	var kept []string
	for _, p := range r.Problems {
		code, _, _ := strings.Cut(p, ":")
		derived := false
		for _, t := range textProblems {
			derived = derived || code == t
		}
		if !derived {
			kept = append(kept, p)
		}
	}
	d := c.Check(Draft{Text: r.Text, Lang: r.Lang, Citations: r.Citations, Problems: kept, Injection: r.Injection}, kb, brand)
	r.Problems = d.Problems
	return r
}

// SettingsInjection runs the injection detector over the brand profile and
// the KB entries, which reach the model too. It returns the fields that look
// like instructions: "name", "tone", "signature", "defaultLang" or
// "kb:<id>". A settings field cannot override the playbook (it is fenced as
// data, see BuildPrompt), but someone put those words there, and the person
// approving should know.
func SettingsInjection(brand Brand, kb []KBEntry) []string {
	return NewChecker().SettingsInjection(brand, kb)
}

// SettingsInjection is the package function of the same name.
func (c *Checker) SettingsInjection(brand Brand, kb []KBEntry) []string {
	// Describing the voice is what a tone field is for: "act as a friendly
	// assistant" or "answer with empathy" are settings, not an attack, so
	// role-play and dictated wording do not count here.
	suspicious := func(text string) bool {
		for _, f := range c.inj.detect(text) {
			if f.Rule != RuleRolePlay && f.Rule != RuleDictates {
				return true
			}
		}
		return false
	}
	var out []string
	for _, f := range []struct{ name, text string }{
		{"name", brand.Name}, {"tone", brand.Tone}, {"signature", brand.Signature}, {"defaultLang", brand.DefaultLang},
	} {
		if suspicious(f.text) {
			out = append(out, f.name)
		}
	}
	for _, e := range kb {
		if suspicious(e.Title + "\n" + e.Text) {
			out = append(out, "kb:"+e.ID)
		}
	}
	return out
}

// DetectInjection is the package function of the same name, with the
// checker's compiled rules.
func (c *Checker) DetectInjection(text string) []Finding { return c.inj.detect(text) }

// UnbackedPromises lists the promise concepts (refund, compensation, voucher,
// replacement, credit) text mentions that no KB entry mentions.
func UnbackedPromises(text string, kb []KBEntry) []string {
	var out []string
	for _, c := range promiseConcepts {
		mentions := func(s string) bool {
			if c.ignore != nil {
				s = c.ignore.ReplaceAllString(s, " ")
			}
			return c.re.MatchString(s)
		}
		if !mentions(text) {
			continue
		}
		backed := false
		for _, e := range kb {
			if mentions(e.Title + " " + e.Text) {
				backed = true
				break
			}
		}
		if !backed {
			out = append(out, c.name)
		}
	}
	return out
}
