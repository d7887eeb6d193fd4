package fileimport

import (
	"errors"
	"fmt"
	"maps"
	"strconv"
	"strings"
)

// problem is why a record is skipped, or stored with a warning. Its code and
// params let the app word it in the user's language (import.reason.<code> in
// the frontend's dictionaries; reasonCodes.json lists the codes and a test
// keeps it current); Error is the English sentence the CLI prints and logs.
type problem struct {
	code   string
	params map[string]string
}

// problemText is each code's English sentence; {name} is filled from params.
var problemText = map[string]string{
	"fieldCount":       `wrong number of fields: got {got}, want {want}`,
	"fieldCountSpan":   `wrong number of fields: got {got}, want {want} in a record spanning lines {line}–{end} (unterminated quote?)`,
	"emptyIdColumn":    `empty id in column {column}`,
	"idNotUTF8Column":  `invalid UTF-8 in id column {column}`,
	"noAccountColumn":  `empty account in column {column} and no default account`,
	"missingId":        `missing or empty id`,
	"idNotUTF8":        `invalid UTF-8 in id`,
	"noAccount":        `no account and no default account`,
	"unknownKind":      `unknown kind {value} (want comment, dm or mail)`,
	"unknownDirection": `unknown direction {value} (want in or out)`,
	"badReach":         `bad reach {value} (want a non-negative number)`,
	"notObject":        `not a JSON object`,
	"badJSON":          `bad JSON: {detail}`,
	"lineTooLong":      `line longer than {max} bytes`,
	"recordTooLong":    `record longer than {max} bytes`,
	"quoteToEnd":       `unterminated quote: the quoted field runs to the end of the file`,
	"quoteOrOversized": `unterminated quote or oversized field: the record is longer than {max} bytes`,
	"quotePastLines":   `unterminated quote: the quoted field runs past {max} lines`,
	"bareQuoteSpan":    `bad quoting: bare " on line {line} after a quoted field that spans lines (unterminated quote?)`,
	"bareQuote":        `bad quoting: bare " in a field that does not start with one (column {column})`,
	"textAfterQuote":   `bad quoting: the quoted field that starts here closes on line {line} and text follows the quote (unterminated quote?)`,
	"badQuote":         `bad quoting: extraneous or missing " in a quoted field (column {column})`,
	"undatedSnowflake": `id {id} is not a Twitter snowflake id, so it has no time; stored with the import time, flagged suspicious-date`,
	"undatedTime":      `time {value} not understood; stored with the import time, flagged suspicious-date`,
	"undatedSentAt":    `sent_at {value} not understood (want RFC 3339); stored with the import time, flagged suspicious-date`,
}

// rowProblem makes a problem from a code and name, value pairs. A string
// value is quoted as Go quotes it (%q), so an invalid byte or a control
// character in a cell reads as an escape, never as a broken character.
func rowProblem(code string, kv ...any) *problem {
	p := &problem{code: code, params: map[string]string{}}
	for i := 0; i+1 < len(kv); i += 2 {
		v := fmt.Sprint(kv[i+1])
		if s, ok := kv[i+1].(string); ok {
			v = strconv.Quote(s)
		}
		p.params[fmt.Sprint(kv[i])] = v
	}
	return p
}

func (p *problem) Error() string {
	s := problemText[p.code]
	for k, v := range p.params {
		s = strings.ReplaceAll(s, "{"+k+"}", v)
	}
	return s
}

// rowErrorOf lists err against lines line..end, with its code when it has one.
func rowErrorOf(line, end int, err error) RowError {
	e := RowError{Line: line, EndLine: max(line, end), Reason: err.Error(), Params: map[string]string{}}
	var p *problem
	if errors.As(err, &p) {
		e.Code, e.Params = p.code, maps.Clone(p.params)
	}
	return e
}
