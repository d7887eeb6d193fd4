package drafts

import (
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// Canned is a saved reply with {{variables}}.
type Canned struct {
	ID    string   `json:"id"`
	Title string   `json:"title"`
	Lang  string   `json:"lang"`
	Body  string   `json:"body"`
	Tags  []string `json:"tags"`
}

var varPattern = regexp.MustCompile(`\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}`)

// Render fills {{name}} variables in c.Body from vars. Variables with no
// value (absent or blank) are left in the text as {{name}} and listed in
// missing, so the composer can highlight them instead of sending a blank.
func Render(c Canned, vars map[string]string) (text string, missing []string) {
	return renderTemplate(c.Body, vars)
}

func renderTemplate(body string, vars map[string]string) (string, []string) {
	var missing []string
	seen := map[string]bool{}
	out := varPattern.ReplaceAllStringFunc(body, func(m string) string {
		name := varPattern.FindStringSubmatch(m)[1]
		if v := strings.TrimSpace(vars[name]); v != "" {
			return v
		}
		if !seen[name] {
			seen[name] = true
			missing = append(missing, name)
		}
		return m
	})
	return out, missing
}

// Variables lists the variable names used in body, in order of first use.
func Variables(body string) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range varPattern.FindAllStringSubmatch(body, -1) {
		if !seen[m[1]] {
			seen[m[1]] = true
			out = append(out, m[1])
		}
	}
	return out
}

// Search ranks canned replies for a keyboard query. Every query word must
// match somewhere (title, tags or body); matches score, best first:
// title starts with the word (100), a title word starts with it (60), a tag
// starts with it (40), title contains it (30), a body word starts with it
// (15), body contains it (8), title contains its letters in order (fuzzy,
// 5, for typos like "rfnd"). Ties keep title order. An empty query returns
// the list sorted by title.
func Search(list []Canned, query string) []Canned {
	qs := strings.Fields(strings.ToLower(query))
	type hit struct {
		c     Canned
		score int
	}
	var hits []hit
	for _, c := range list {
		title := strings.ToLower(c.Title)
		body := strings.ToLower(c.Body)
		titleWords, bodyWords := words(title), words(body)
		total := 0
		for _, q := range qs {
			s := 0
			switch {
			case strings.HasPrefix(title, q):
				s = 100
			case anyPrefix(titleWords, q):
				s = 60
			case anyPrefix(lowerAll(c.Tags), q):
				s = 40
			case strings.Contains(title, q):
				s = 30
			case anyPrefix(bodyWords, q):
				s = 15
			case strings.Contains(body, q):
				s = 8
			case utf8.RuneCountInString(q) >= 3 && subsequence(title, q):
				s = 5
			}
			if s == 0 {
				total = 0
				break
			}
			total += s
		}
		if total > 0 || len(qs) == 0 {
			hits = append(hits, hit{c, total})
		}
	}
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].score != hits[j].score {
			return hits[i].score > hits[j].score
		}
		return strings.ToLower(hits[i].c.Title) < strings.ToLower(hits[j].c.Title)
	})
	out := make([]Canned, len(hits))
	for i, h := range hits {
		out[i] = h.c
	}
	return out
}

func anyPrefix(ws []string, q string) bool {
	for _, w := range ws {
		if strings.HasPrefix(w, q) {
			return true
		}
	}
	return false
}

func lowerAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strings.ToLower(s)
	}
	return out
}

// subsequence reports whether q's runes appear in s in order.
func subsequence(s, q string) bool {
	qr := []rune(q)
	i := 0
	for _, r := range s {
		if i < len(qr) && r == qr[i] {
			i++
		}
	}
	return i == len(qr)
}
