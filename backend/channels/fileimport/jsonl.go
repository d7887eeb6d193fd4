package fileimport

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// flexString is a JSON string or number (kept as its exact literal, so a 64-bit
// id does not go through float64). Invalid UTF-8 inside a string is noted.
type flexString struct {
	s       string
	set     bool
	badUTF8 bool
}

func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case string(b) == "null":
		*f = flexString{}
		return nil
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexString{s: s, set: true, badUTF8: !utf8.Valid(b)}
		return nil
	case len(b) > 0 && (b[0] == '-' || (b[0] >= '0' && b[0] <= '9')):
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return err
		}
		*f = flexString{s: string(b), set: true}
		return nil
	}
	return fmt.Errorf("want a string or a number, got %s", b)
}

type jsonAuthor struct {
	ID     flexString `json:"id"`
	Handle string     `json:"handle"`
	Name   string     `json:"name"`
	Reach  flexString `json:"reach"`
}

type jsonItem struct {
	ID        flexString  `json:"id"`
	Account   string      `json:"account"`
	Thread    flexString  `json:"thread"`
	Kind      string      `json:"kind"`
	Direction string      `json:"direction"`
	Author    *jsonAuthor `json:"author"`
	Subject   string      `json:"subject"`
	Text      string      `json:"text"`
	HTML      string      `json:"html"`
	SentAt    string      `json:"sent_at"`
	Sentiment string      `json:"sentiment"`
	Tags      []string    `json:"tags"`
}

// ReadJSONLines reads one JSON object per line with the fields id (string or
// number), account, thread, kind, direction, author{id,handle,name,reach},
// subject, text, html, sent_at (RFC 3339; absent = zero, unknown), sentiment and
// tags[]. Unknown fields are ignored; blank lines are skipped and not counted.
// Rows without an account go to defaultAccount. Bad lines, and lines longer than
// the record cap (read over, not kept), are reported with their line number and
// skipped, like ReadCSV; invalid UTF-8 outside the id is repaired with U+FFFD and
// flagged. A sent_at that is not RFC 3339 does not lose the row: it is stored
// undated and listed in Report.Warnings. Errors from emit and ctx cancellation
// stop reading and are returned with the report so far.
func ReadJSONLines(ctx context.Context, r io.Reader, defaultAccount string, emit func(Row) error, opts ...Option) (Report, error) {
	var rep Report
	o := newOptions(opts)
	br := bufio.NewReaderSize(r, 64<<10)
	if err := skipBOM(br); err != nil {
		return rep, fmt.Errorf("fileimport: reading JSON lines: %w", err)
	}
	defaultAccount = strings.TrimSpace(defaultAccount)
	for lineNo := 1; ; lineNo++ {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		line, tooLong, readErr := readLine(br, o.maxRecordBytes)
		if readErr != nil && !errors.Is(readErr, io.EOF) {
			return rep, fmt.Errorf("fileimport: reading JSON lines: line %d: %w", lineNo, readErr)
		}
		trimmed := bytes.TrimSpace(line)
		switch {
		case tooLong:
			rep.Rows++
			rep.reject(lineNo, lineNo, rowProblem("lineTooLong", "max", o.maxRecordBytes))
		case len(trimmed) > 0:
			rep.Rows++
			row, warning, err := jsonRow(trimmed, defaultAccount, o.importTime)
			if err != nil {
				rep.reject(lineNo, lineNo, err)
				break
			}
			row.Line, row.EndLine = lineNo, lineNo
			if err := emit(row); err != nil {
				return rep, fmt.Errorf("fileimport: line %d: %w", lineNo, err)
			}
			rep.Accepted++
			if warning != nil {
				rep.warn(lineNo, lineNo, warning)
			}
		}
		if readErr != nil { // io.EOF
			return rep, nil
		}
	}
}

// readLine reads up to and including '\n'. Beyond max bytes it keeps reading to
// the end of the line but returns tooLong and not the data.
func readLine(br *bufio.Reader, max int) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong && len(line)+len(chunk) <= max {
			line = append(line, chunk...)
		} else {
			tooLong, line = true, nil
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return line, tooLong, err
	}
}

func jsonRow(b []byte, defaultAccount string, importTime time.Time) (Row, *problem, error) {
	if b[0] != '{' {
		return Row{}, nil, rowProblem("notObject")
	}
	var j jsonItem
	if err := json.Unmarshal(b, &j); err != nil {
		return Row{}, nil, rowProblem("badJSON", "detail", err)
	}
	id := strings.TrimSpace(j.ID.s)
	if id == "" {
		return Row{}, nil, rowProblem("missingId")
	}
	if j.ID.badUTF8 {
		return Row{}, nil, rowProblem("idNotUTF8")
	}
	account := strings.TrimSpace(j.Account)
	if account == "" {
		account = defaultAccount
	}
	if account == "" {
		return Row{}, nil, rowProblem("noAccount")
	}
	var sentAt time.Time
	var claim *problem
	if s := strings.TrimSpace(j.SentAt); s != "" {
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			sentAt = t.UTC()
		} else {
			claim = rowProblem("undatedSentAt", "value", s)
		}
	}
	kind, err := parseKind(j.Kind, inbox.KindComment)
	if err != nil {
		return Row{}, nil, err
	}
	dir, err := parseDirection(j.Direction)
	if err != nil {
		return Row{}, nil, err
	}
	var a inbox.Author
	if j.Author == nil {
		a = author("", "", 0)
	} else {
		reach, err := parseReach(j.Author.Reach.s)
		if err != nil {
			return Row{}, nil, err
		}
		handle := strings.TrimSpace(j.Author.Handle)
		extID := strings.TrimSpace(j.Author.ID.s)
		if handle == "" {
			handle = extID
		}
		a = author(handle, j.Author.Name, reach)
		if extID != "" {
			a.ExternalID = extID
		}
	}
	thread := strings.TrimSpace(j.Thread.s)
	if thread == "" {
		thread = id
	}
	sent, score := parseSentiment(j.Sentiment)
	var tags []string
	for _, t := range j.Tags {
		tags = addTag(tags, t)
	}
	it := inbox.Item{
		ExternalID:     id,
		ThreadKey:      thread,
		Kind:           kind,
		Direction:      dir,
		Author:         a,
		Subject:        strings.TrimSpace(j.Subject),
		Text:           j.Text,
		HTML:           j.HTML,
		SentAt:         sentAt,
		Sentiment:      sent,
		SentimentScore: score,
		Tags:           tags,
	}
	// encoding/json has already replaced invalid bytes with U+FFFD.
	if !utf8.Valid(b) {
		it.Flags = []string{inbox.FlagInvalidUTF8}
	}
	var warning *problem
	switch {
	case claim != nil:
		warning = undated(&it, importTime, claim)
	case sentAt.IsZero():
		it.ReceivedAt = importTime // no sent_at: ingest decides, by arrival
	}
	return Row{Account: account, Item: it}, warning, nil
}
