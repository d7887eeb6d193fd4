package drafts

import (
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Problem markers for facts a draft states that nothing approved backs. The
// marker is "<code>:<what was found, as written>", e.g.
// "unlisted-phone:+1 800 555 0199": a made-up hotline, link or deadline
// reads like a promise from the brand, so a person must see it before
// approving.
const (
	ProblemUnlistedURL       = "unlisted-url"       // a link whose host and path no KB entry or brand field has
	ProblemUnlistedEmail     = "unlisted-email"     // an e-mail address no KB entry or brand field has
	ProblemUnlistedPhone     = "unlisted-phone"     // a phone number no KB entry or brand field has
	ProblemUnbackedDeadline  = "unbacked-deadline"  // "by Friday", "within 24 hours", a date no KB entry states
	ProblemUnbackedAmount    = "unbacked-amount"    // "$50", "500 рублей" - an amount no KB entry names
	ProblemSettingsInjection = "settings-injection" // "settings-injection:<field>" - a brand field or KB entry reads like instructions to the model
)

// claim is a contact, deadline or amount found in a text.
type claim struct {
	kind string // one of the Problem codes above
	text string // as written
	key  string // normalized for comparison: URL host+path, lower-case e-mail, phone digits, currency+amount, day.month
}

// claimScanner finds claims. It is built once per check; its expressions
// are compiled there rather than kept in package state.
type claimScanner struct {
	email, url, bareURL *regexp.Regexp
	money               []*regexp.Regexp
	dates               []dateRule
	deadlines           []*regexp.Regexp
	phone               *regexp.Regexp
	phoneCue, orderCue  *regexp.Regexp
	yearRange           *regexp.Regexp
	morningCue          *regexp.Regexp
	months              map[string]int
}

type dateRule struct {
	re         *regexp.Regexp
	day, month int // the rule's own group numbers of the day and the month
	named      bool
}

// word wraps expr in letter boundaries that also work next to Cyrillic and
// umlauts (Go's \b only knows ASCII); the claim is submatch 1.
func word(expr string) *regexp.Regexp {
	return regexp.MustCompile(`(?i)(?:^|[^\p{L}\p{N}])(` + expr + `)(?:[^\p{L}\p{N}]|$)`)
}

const (
	amountExpr = `\d{1,3}(?:[ \x{00a0}\x{202f}.,']\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?`
	monthsEN   = `january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec`
	monthsRU   = `января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря`
	monthsDE   = `januar|jänner|februar|märz|maerz|april|mai|juni|juli|august|september|oktober|november|dezember`
	weekdaysEN = `monday|tuesday|wednesday|thursday|friday|saturday|sunday`
	weekdaysDE = `montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag`
	unitsEN    = `minutes?|hours?|days?|weeks?|months?`
	countsEN   = `\d+|an?|one|two|three|four|five|six|seven|ten|twelve|fourteen|twenty-four|forty-eight|a\s+few|a\s+couple\s+of`
)

func newClaimScanner() *claimScanner {
	return &claimScanner{
		email:   regexp.MustCompile(`(?i)[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,}`),
		url:     regexp.MustCompile(`(?i)\b(?:https?://|www\.)[^\s<>"'()\[\]{}]+`),
		bareURL: regexp.MustCompile(`(?i)\b[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?)*\.(?:com|net|org|info|biz|io|co|app|shop|store|help|support|eu|de|at|ch|ru|su|uk|us)(?:/[^\s<>"'()\[\]{}]*)?\b/?`),
		money: []*regexp.Regexp{
			word(`(?:us\$|\$|€|£|₽)\s?(?:` + amountExpr + `)`),
			word(`(?:` + amountExpr + `)\s?(?:€|₽|\$|£|eur|euros?|usd|dollars?|gbp|pounds?|rub|rubles?|roubles?|руб\.?|рублей|рубля|рубль|р\.|евро|доллар(?:ов|а)?|фунт(?:ов|а)?|cents?|копеек|копейки|копейка)`),
		},
		dates: []dateRule{
			{re: word(`\d{4}-(\d{1,2})-(\d{1,2})`), day: 2, month: 1},
			{re: word(`(\d{1,2})[./](\d{1,2})[./](?:\d{4}|\d{2})`), day: 1, month: 2},
			{re: word(`(\d{1,2})\.(\d{1,2})\.`), day: 1, month: 2},
			{re: word(`(` + monthsEN + `)\.?\s+(\d{1,2})(?:st|nd|rd|th)?`), day: 2, month: 1, named: true},
			{re: word(`(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(` + monthsEN + `)`), day: 1, month: 2, named: true},
			{re: word(`(\d{1,2})\s+(` + monthsRU + `)`), day: 1, month: 2, named: true},
			{re: word(`(\d{1,2})\.\s*(` + monthsDE + `)`), day: 1, month: 2, named: true},
		},
		deadlines: []*regexp.Regexp{
			// English
			word(`by\s+(?:the\s+end\s+of\s+(?:the\s+)?(?:day|week|month)|end\s+of\s+(?:day|week|month|business)|(?:next\s+)?(?:` + weekdaysEN + `)|tomorrow|tonight|noon|midnight|\d{1,2}(?::\d{2})?\s*(?:am|pm))`),
			word(`within\s+(?:the\s+next\s+)?(?:` + countsEN + `)\s+(?:business\s+|working\s+|calendar\s+)?(?:` + unitsEN + `)`),
			word(`in\s+(?:\d+|two|three|a\s+few|a\s+couple\s+of)\s+(?:business\s+|working\s+)?(?:hours|days|weeks)`),
			word(`tomorrow|tonight|next\s+(?:week|month|` + weekdaysEN + `)`),
			// Russian
			word(`до\s+(?:понедельника|вторника|среды|четверга|пятницы|субботы|воскресенья|завтра|вечера|обеда|конца\s+(?:дня|недели|месяца)|\d{1,2}:\d{2})`),
			word(`в\s+течение\s+(?:(?:\d+|одного|одной|двух|трёх|трех|пяти|семи|десяти|нескольких)\s+(?:рабочих\s+|календарных\s+)?(?:минут|часов|часа|дней|дня|суток|недель|недели|месяцев|месяца)|суток|дня|часа|недели|месяца|рабочего\s+дня)`),
			word(`через\s+(?:\d+\s+|пару\s+|несколько\s+|два\s+|две\s+|три\s+)?(?:минут[уы]?|час(?:а|ов)?|дн(?:я|ей)|день|суток|недел(?:ю|и|ь)|месяц(?:а|ев)?)`),
			word(`послезавтра|завтра|на\s+следующей\s+неделе|к\s+(?:понедельнику|вторнику|среде|четвергу|пятнице|субботе|воскресенью|концу\s+(?:дня|недели|месяца))`),
			// German
			word(`bis\s+(?:(?:` + weekdaysDE + `)|morgen|übermorgen|heute\s+abend|ende\s+(?:der|dieser|nächster)\s+woche|ende\s+des\s+monats|spätestens\s+\S+|\d{1,2}(?::\d{2})?\s*uhr)`),
			word(`innerhalb\s+(?:von\s+|der\s+nächsten\s+)?(?:\d+|einer|eines|einem|zwei|drei|vier|fünf|sieben|zehn|weniger)\s+(?:stunde|stunden|tag|tage|tagen|werktag|werktage|werktagen|woche|wochen|monat|monate|monaten|minuten)`),
			word(`in\s+(?:\d+|zwei|drei|wenigen|ein\s+paar)\s+(?:stunden|tagen|werktagen|wochen)`),
			word(`übermorgen|morgen|nächste\s+woche|nächsten\s+(?:` + weekdaysDE + `)`),
		},
		phone:      regexp.MustCompile(`\+?\(?\d[\d \x{00a0}().\-]{5,20}\d`),
		phoneCue:   regexp.MustCompile(`(?i)(tel|phone|call|hotline|whatsapp|fax|телефон|тел\.|звон|позвон|номер|telefon|anruf|rufen)\S*(\s+\S+){0,3}?\s*:?\s*$`),
		orderCue:   regexp.MustCompile(`(?i)(#|№|no\.|nr\.?|order|ticket|case|invoice|заказ\S*|заявк\S*|счёт|счет|bestellung|rechnung|vorgang)\s*:?\s*$`),
		yearRange:  regexp.MustCompile(`^\d{4}\s*[-/]\s*\d{4}$`),
		morningCue: regexp.MustCompile(`(?i)(guten|am|heute|jeden|gestern|diesen|den)\s+$`),
		months:     monthNumbers(),
	}
}

// scan returns the claims in text, by kind (e-mail addresses, links,
// amounts, dates, deadlines, phone numbers), each kind in text order. Each
// span is blanked once claimed, so the digits of a date or an amount are not
// read again as a phone number and an e-mail's domain is not read as a link.
func (s *claimScanner) scan(text string) []claim {
	work := []byte(text)
	var out []claim
	blank := func(a, b int) {
		for i := a; i < b; i++ {
			work[i] = ' '
		}
	}
	for _, loc := range s.email.FindAllIndex(work, -1) {
		t := text[loc[0]:loc[1]]
		out = append(out, claim{ProblemUnlistedEmail, t, strings.ToLower(t)})
		blank(loc[0], loc[1])
	}
	for _, re := range []*regexp.Regexp{s.url, s.bareURL} {
		for _, loc := range re.FindAllIndex(work, -1) {
			t := strings.TrimRight(text[loc[0]:loc[1]], ".,;:!?")
			if k := urlKey(t); k != "" {
				out = append(out, claim{ProblemUnlistedURL, t, k})
			}
			blank(loc[0], loc[1])
		}
	}
	for _, re := range s.money {
		for _, m := range re.FindAllSubmatchIndex(work, -1) {
			t := text[m[2]:m[3]]
			out = append(out, claim{ProblemUnbackedAmount, t, moneyKey(t)})
			blank(m[2], m[3])
		}
	}
	for _, d := range s.dates {
		for _, m := range d.re.FindAllSubmatchIndex(work, -1) {
			// Submatch 1 is the whole claim (see word), so the rule's own groups are one further on.
			day, month := text[m[2*d.day+2]:m[2*d.day+3]], text[m[2*d.month+2]:m[2*d.month+3]]
			k, ok := s.dateKey(day, month, d.named)
			if !ok {
				continue
			}
			out = append(out, claim{ProblemUnbackedDeadline, text[m[2]:m[3]], k})
			blank(m[2], m[3])
		}
	}
	for _, re := range s.deadlines {
		for _, m := range re.FindAllSubmatchIndex(work, -1) {
			t := text[m[2]:m[3]]
			lower := strings.ToLower(t)
			if lower == "morgen" && s.morningCue.Match(tail(work[:m[2]], 16)) {
				continue // "Guten Morgen", "am Morgen": a greeting or a time of day, not a deadline
			}
			out = append(out, claim{ProblemUnbackedDeadline, t, collapse(lower)})
			blank(m[2], m[3])
		}
	}
	for _, loc := range s.phone.FindAllIndex(work, -1) {
		t := balancedPhone(text[loc[0]:loc[1]])
		if c, ok := s.phoneClaim(t, tail(work[:loc[0]], 48)); ok {
			out = append(out, c)
		}
	}
	return out
}

// phoneClaim decides whether a run of digits is a phone number: 7 to 15
// digits, not a year range, not after "order"/"#"/"№", and either written
// with "+" or separators or right after a word like "call" or "Telefon".
// A bare run of digits is more often an order or tracking number.
func (s *claimScanner) phoneClaim(t string, before []byte) (claim, bool) {
	digits := onlyDigits(t)
	if len(digits) < 7 || len(digits) > 15 || s.yearRange.MatchString(t) || s.orderCue.Match(before) {
		return claim{}, false
	}
	cued := s.phoneCue.Match(before)
	separated := strings.ContainsAny(t, " \u00a0-().")
	if !cued && !separated && !strings.HasPrefix(t, "+") {
		return claim{}, false
	}
	return claim{ProblemUnlistedPhone, t, digits}, true
}

// balancedPhone cuts a phone number before an unclosed "(": in
// "800 555 0199 (24/7)" the bracket starts a remark, not an area code.
func balancedPhone(t string) string {
	if i := strings.LastIndex(t, "("); i > 0 && !strings.Contains(t[i:], ")") {
		t = t[:i]
	}
	return strings.TrimRight(strings.TrimSpace(t), " .-(")
}

// tail is the last n bytes of b: the cue words before a number are close to it.
func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

func onlyDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// urlKey is host+path, lower-case host without "www.", no scheme, query,
// fragment or trailing slash: "https://WWW.Acme.com/help/?x=1" -> "acme.com/help".
func urlKey(raw string) string {
	s := raw
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return ""
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	return host + strings.TrimRight(u.EscapedPath(), "/")
}

// urlBacked: a known link backs the same host with the same path or a path
// below it ("acme.com/help" backs "acme.com/help/refunds", not "acme.com/helpdesk").
func urlBacked(key string, known []string) bool {
	for _, k := range known {
		if key == k || strings.HasPrefix(key, k+"/") {
			return true
		}
	}
	return false
}

// phoneBacked compares digits, allowing for a country code or trunk prefix
// written one way in the KB and another in the draft ("+49 30 1234567" and
// "030 1234567"; "+7 800 555-35-35" and "8 800 555 35 35").
func phoneBacked(digits string, known []string) bool {
	a := strings.TrimLeft(digits, "0")
	for _, k := range known {
		b := strings.TrimLeft(k, "0")
		short, long := a, b
		if len(short) > len(long) {
			short, long = long, short
		}
		switch {
		case a == b:
			return true
		case len(short) >= 7 && strings.HasSuffix(long, short):
			return true
		case len(a) >= 11 && len(b) >= 11 && a[len(a)-10:] == b[len(b)-10:]:
			return true
		case len(b) >= 7 && strings.Contains(a, b):
			// A number run into the digits after it ("0199 24 hours a day").
			return true
		}
	}
	return false
}

// moneyKey is "<currency> <amount>" with the grouping removed and a decimal
// point, so "€50", "50 Euro" and "50,00 €" compare equal.
func moneyKey(t string) string {
	lower := strings.ToLower(t)
	cur := ""
	for _, c := range []struct{ code, marks string }{
		{"usd", "$ usd dollar доллар"},
		{"eur", "€ eur евро"},
		{"gbp", "£ gbp pound фунт"},
		{"rub", "₽ rub rouble руб р."},
		{"cent", "cent копе"},
	} {
		for _, m := range strings.Fields(c.marks) {
			if strings.Contains(lower, m) {
				cur = c.code
			}
		}
		if cur != "" {
			break
		}
	}
	num := strings.Map(func(r rune) rune {
		if unicode.IsDigit(r) || r == '.' || r == ',' {
			return r
		}
		return -1
	}, lower)
	return cur + " " + normalizeAmount(num)
}

// normalizeAmount turns "1.000,50", "1,000.50", "1 000" (already without
// spaces) and "50,00" into "1000.5", "1000.5", "1000", "50": a separator
// followed by exactly three digits groups thousands, one followed by one or
// two digits at the end is the decimal point.
func normalizeAmount(s string) string {
	intPart, frac := s, ""
	if i := strings.LastIndexAny(s, ".,"); i >= 0 && len(s)-i-1 <= 2 {
		intPart, frac = s[:i], s[i+1:]
	}
	intPart = strings.TrimLeft(strings.NewReplacer(".", "", ",", "").Replace(intPart), "0")
	frac = strings.TrimRight(frac, "0")
	if intPart == "" {
		intPart = "0"
	}
	if frac == "" {
		return intPart
	}
	return intPart + "." + frac
}

// monthNumbers maps the month names the date expressions know to 1..12.
func monthNumbers() map[string]int {
	m := map[string]int{}
	for i, names := range [][]string{
		{"january", "jan", "января", "januar", "jänner"},
		{"february", "feb", "февраля", "februar"},
		{"march", "mar", "марта", "märz", "maerz"},
		{"april", "apr", "апреля"},
		{"may", "мая", "mai"},
		{"june", "jun", "июня", "juni"},
		{"july", "jul", "июля", "juli"},
		{"august", "aug", "августа"},
		{"september", "sept", "sep", "сентября"},
		{"october", "oct", "октября", "oktober"},
		{"november", "nov", "ноября"},
		{"december", "dec", "декабря", "dezember"},
	} {
		for _, n := range names {
			m[n] = i + 1
		}
	}
	return m
}

// dateKey is "day.month", so the same date compares equal in any format or
// language; it rejects what cannot be a date (a 32nd, a 13th month).
func (s *claimScanner) dateKey(day, month string, named bool) (string, bool) {
	d := atoiSmall(day)
	var mo int
	if named {
		mo = s.months[strings.ToLower(month)]
	} else {
		mo = atoiSmall(month)
	}
	if d < 1 || d > 31 || mo < 1 || mo > 12 {
		return "", false
	}
	return itoaSmall(d) + "." + itoaSmall(mo), true
}

func atoiSmall(s string) int {
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' || n > 1000 {
			return -1
		}
		n = n*10 + int(r-'0')
	}
	return n
}

func itoaSmall(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return string(rune('0'+n/10)) + string(rune('0'+n%10))
}

// backing is what a draft may state: the contacts, amounts, dates and
// deadline phrases of the KB entries and brand fields it was given.
type backing struct {
	keys  map[string]map[string]bool // kind -> keys
	urls  []string
	phone []string
	text  string // KB and brand text, lower-case, spaces collapsed, for deadline phrases
}

func (s *claimScanner) backing(kb []KBEntry, brand Brand) backing {
	b := backing{keys: map[string]map[string]bool{}}
	var all []string
	for _, e := range kb {
		all = append(all, e.Title, e.Text)
	}
	all = append(all, brand.Name, brand.Signature, brand.Tone)
	for _, t := range all {
		for _, c := range s.scan(t) {
			if b.keys[c.kind] == nil {
				b.keys[c.kind] = map[string]bool{}
			}
			b.keys[c.kind][c.key] = true
			switch c.kind {
			case ProblemUnlistedURL:
				b.urls = append(b.urls, c.key)
			case ProblemUnlistedPhone:
				b.phone = append(b.phone, c.key)
			}
		}
	}
	b.text = collapse(strings.ToLower(strings.Join(all, " \n ")))
	return b
}

func (b backing) backs(c claim) bool {
	switch c.kind {
	case ProblemUnlistedURL:
		return urlBacked(c.key, b.urls)
	case ProblemUnlistedPhone:
		return phoneBacked(c.key, b.phone)
	case ProblemUnbackedDeadline:
		return b.keys[c.kind][c.key] || strings.Contains(b.text, c.key)
	}
	return b.keys[c.kind][c.key]
}

// UnbackedClaims returns a problem marker for every link, e-mail address,
// phone number, deadline, date and amount of money in text that no KB entry
// and no brand field (name, tone, signature) contains, compared normalized:
// link host+path prefix, lower-case e-mail, phone digits, currency and
// amount, day and month. Each is listed once, as first written.
func UnbackedClaims(text string, kb []KBEntry, brand Brand) []string {
	return newClaimScanner().unbacked(text, kb, brand)
}

func (s *claimScanner) unbacked(text string, kb []KBEntry, brand Brand) []string {
	b := s.backing(kb, brand)
	var out []string
	seen := map[string]bool{}
	for _, c := range s.scan(text) {
		if seen[c.kind+c.key] || b.backs(c) {
			continue
		}
		seen[c.kind+c.key] = true
		out = append(out, c.kind+":"+clipMarker(strings.TrimSpace(c.text)))
	}
	return out
}

// clipMarker keeps a marker readable and valid UTF-8 whatever the draft held.
func clipMarker(s string) string {
	s = strings.ToValidUTF8(collapse(s), "\uFFFD")
	if utf8.RuneCountInString(s) > 80 {
		return string([]rune(s)[:80]) + "…"
	}
	return s
}
