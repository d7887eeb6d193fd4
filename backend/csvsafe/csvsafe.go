// Package csvsafe keeps text from the outside world (a web author's display
// name, a customer's words, a team member's name) from running as a formula
// when an exported CSV is opened in a spreadsheet program: Excel, LibreOffice
// and Google Sheets read a cell that begins with =, +, - or @ (or a tab or
// carriage return before one) as a formula, and =HYPERLINK or DDE calls in a
// display name would run on the PR lead's machine (OWASP, "CSV Injection").
package csvsafe

import (
	"strconv"
	"strings"
)

// Cell returns s so that a spreadsheet reads it as text: one that would
// start a formula gets a leading apostrophe (OWASP's advice; the cell then
// shows the text, apostrophe and all, instead of running it). Numbers,
// negative ones included, are left as they are.
func Cell(s string) string {
	if s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return s
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return s
	}
	return "'" + s
}

// Row applies Cell to every cell of rec, in place, and returns it.
func Row(rec []string) []string {
	for i, c := range rec {
		rec[i] = Cell(c)
	}
	return rec
}
