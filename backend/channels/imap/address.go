package imap

import (
	"mime"
	"strings"

	"github.com/emersion/go-message/charset"
	"github.com/emersion/go-message/mail"
)

// maxAddressBytes bounds an extracted address; anything longer is not an
// address a person has, and it becomes the author's id.
const maxAddressBytes = 320

// extractAddress returns the sender's address and the name a mail client
// would show for one From / Sender / Reply-To value. Well-formed values go
// through go-message; for the rest (unbalanced quotes or brackets, leading
// dots, several @, "user@host (Name)", bare addresses beside a name) it looks
// for the most plausible addr-spec itself. ok is false when the value holds
// no address at all.
func extractAddress(v string) (addr, name string, ok bool) {
	if addrs, err := mail.ParseAddressList(v); err == nil && len(addrs) > 0 && addrs[0].Address != "" {
		return addrs[0].Address, cleanName(addrs[0].Name, addrs[0].Address), true
	}
	s := strings.Join(strings.Fields(v), " ")
	s, comment := cutComments(s)
	if i, j := angleAddress(s); i >= 0 {
		addr = cleanAddress(s[i+1 : j])
		rest := s[:i]
		if j < len(s) {
			rest += " " + s[j+1:]
		}
		name = rest
	} else {
		for _, tok := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(" ,;\"'<>[]", r) }) {
			if a := cleanAddress(tok); a != "" {
				addr = a
				name = strings.Replace(s, tok, " ", 1)
				break
			}
		}
	}
	if addr == "" {
		return "", "", false
	}
	if name = strings.Trim(name, " ,;"); name == "" {
		name = comment
	}
	return addr, cleanName(unquote(name), addr), true
}

// angleAddress finds the last <…> holding an @, so a bracketed address inside
// a broken quoted name loses to the real one after it; a missing ">" ends at
// the next "<" or the end of the value. i is the index of "<", j of what ends it.
func angleAddress(s string) (i, j int) {
	i, j = -1, -1
	for k := range len(s) {
		if s[k] != '<' {
			continue
		}
		e := len(s)
		if end := strings.IndexAny(s[k+1:], "<>"); end >= 0 {
			e = k + 1 + end
		}
		if strings.Contains(s[k+1:e], "@") {
			i, j = k, e
		}
	}
	return i, j
}

// cutComments removes parenthesised comments and returns the first one's text:
// in "user@host (Name)" it is the name.
func cutComments(s string) (rest, first string) {
	// Byte-wise: the text may still be in an 8-bit charset that decode8bit
	// reads later, and parentheses are ASCII in every charset mail uses.
	var b, c strings.Builder
	depth, n := 0, 0
	for k := range len(s) {
		switch r := s[k]; {
		case r == '(':
			if depth == 0 {
				n++
			}
			depth++
		case r == ')' && depth > 0:
			depth--
		case depth == 0:
			b.WriteByte(r)
		case n == 1:
			c.WriteByte(r)
		}
	}
	return b.String(), strings.TrimSpace(c.String())
}

// cleanAddress trims what surrounds an addr-spec in broken headers (quotes,
// "mailto:", stray punctuation) and picks local@domain when a gateway left
// several @. It returns "" when tok holds no plausible address.
func cleanAddress(tok string) string {
	tok = strings.Trim(strings.Join(strings.Fields(tok), ""), "\"'`,;:<>[]")
	if len(tok) > 7 && strings.EqualFold(tok[:7], "mailto:") {
		tok = tok[7:]
	}
	for strings.Contains(tok, "@@") {
		tok = strings.ReplaceAll(tok, "@@", "@")
	}
	parts := strings.Split(tok, "@")
	if len(parts) < 2 {
		return ""
	}
	// "john@company.com@gateway" (X.400 and list gateways): the first
	// local@domain with a dotted domain is the person.
	local, domain := parts[0], parts[len(parts)-1]
	for k := 1; k < len(parts); k++ {
		if strings.Contains(parts[k], ".") {
			local, domain = parts[k-1], parts[k]
			break
		}
	}
	domain = strings.TrimRight(domain, ".")
	if local == "" || domain == "" || len(local)+len(domain)+1 > maxAddressBytes {
		return ""
	}
	return local + "@" + domain
}

// cleanName is the display name as a mail client shows it: encoded words
// decoded, whitespace collapsed; "" when it only repeats the address.
func cleanName(name, addr string) string {
	dec := &mime.WordDecoder{CharsetReader: charset.Reader}
	if d, err := dec.DecodeHeader(name); err == nil {
		name = d
	}
	name = strings.Trim(strings.Join(strings.Fields(name), " "), " ',;")
	if strings.EqualFold(name, addr) {
		return ""
	}
	return name
}

// unquote removes the quotes of a display name whose quoting may be broken,
// and resolves backslash escapes. Byte-wise for the same reason as cutComments.
func unquote(name string) string {
	var b strings.Builder
	esc := false
	for k := range len(name) {
		switch c := name[k]; {
		case esc:
			b.WriteByte(c)
			esc = false
		case c == '\\':
			esc = true
		case c == '"':
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func sameAddress(a, b string) bool {
	return a != "" && strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}
