package notify

import (
	"strings"
	"unicode"
)

// ToastText makes a notification's title or body safe for the Windows toast
// path the Wails runtime takes (go-toast): the text goes into the toast's XML
// inside CDATA, and when the WinRT call fails that XML is pasted into a
// PowerShell script, inside a double-quoted here-string, and run. There "$(…)"
// runs code and a line starting with `"@` ends the string, after which the
// rest runs as commands: a customer's subject in an SLA notification would run
// on the user's machine. So the text becomes one line, "$" and the escape
// character "`" become look-alikes (＄, ˋ) that PowerShell does not read, "]]>"
// cannot end the CDATA, and characters XML refuses are dropped.
func ToastText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r == '$':
			r = '＄'
		case r == '`':
			r = 'ˋ'
		case unicode.IsSpace(r):
			r = ' '
		case r < 0x20 || r == 0xFFFE || r == 0xFFFF || (r >= 0x7F && r < 0xA0):
			continue // not allowed in XML 1.0, or control characters
		}
		if r == ' ' {
			if space {
				continue
			}
			space = true
		} else {
			space = false
		}
		b.WriteRune(r)
	}
	return strings.ReplaceAll(strings.TrimSpace(b.String()), "]]>", "]] >")
}
