package fileimport

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// Mapping says which CSV column (by header name) holds what. Empty = not present.
// Every column it names must be in the header (a typo would otherwise drop data
// silently); ID and Text are always required.
type Mapping struct {
	ID   string // external id column (required); Item.ExternalID is its raw value (surrounding spaces trimmed)
	Text string // required
	// Time is the time column, parsed with TimeLayout (a Go layout) or, if TimeLayout
	// is "", tried as RFC 3339, "2006-01-02 15:04:05", "1/2/2006 15:04" (US m/d/y)
	// and Unix seconds. With neither Time nor SnowflakeTime, or when a row's
	// time is empty or cannot be read, SentAt stays zero (unknown), ReceivedAt
	// is the import time and ingest decides.
	Time       string
	TimeLayout string
	TimeZone   *time.Location // for layouts without a zone; default UTC
	// SnowflakeTime takes the time from a Twitter snowflake id in the ID column:
	// ms = (id >> 22) + 1288834974657, UTC. It takes precedence over Time.
	SnowflakeTime bool
	// Account is the column naming the brand/account each row belongs to (e.g.
	// "airline"); empty = all rows go to DefaultAccount, which then must be set.
	// Rows whose account cell is empty also go to DefaultAccount.
	Account        string
	DefaultAccount string
	// Author is the author handle column; empty means the author is unknown:
	// Author{ExternalID: "unknown", Handle: "unknown"}.
	Author string
	// Optional columns. Tags are split on ',' or ';'. Sentiment labels are
	// normalized: negative/neg/-1, neutral/0, positive/pos/1 (case-insensitive);
	// any other label (e.g. RuSentiTweet's "skip"/"speech") gives SentimentUnknown.
	AuthorName, Reach, Thread, Subject, Sentiment, Kind, Direction, Tags string
	DefaultKind                                                          inbox.MessageKind // default KindComment
}

// csvColumns holds the header index of each mapped column, -1 when not mapped.
type csvColumns struct {
	n                                                  int
	id, text, time, account, author, authorName, reach int
	thread, subject, sentiment, kind, direction, tags  int
}

func (m *Mapping) check() error {
	if strings.TrimSpace(m.ID) == "" {
		return errors.New("fileimport: Mapping.ID (the external id column) is required")
	}
	if strings.TrimSpace(m.Text) == "" {
		return errors.New("fileimport: Mapping.Text (the text column) is required")
	}
	if m.Account == "" && strings.TrimSpace(m.DefaultAccount) == "" {
		return errors.New("fileimport: set Mapping.Account (an account column) or Mapping.DefaultAccount")
	}
	if m.DefaultKind != "" && !m.DefaultKind.Valid() {
		return fmt.Errorf("fileimport: Mapping.DefaultKind %q is not comment, dm or mail", m.DefaultKind)
	}
	return nil
}

// resolve finds the mapped columns in the header. Exact names win; otherwise a
// case-insensitive match is accepted. A missing column is fatal.
func (m *Mapping) resolve(header []string) (*csvColumns, error) {
	names := make([]string, len(header))
	for i, h := range header {
		names[i] = strings.TrimSpace(h)
	}
	find := func(col string) int {
		col = strings.TrimSpace(col)
		for i, h := range names {
			if h == col {
				return i
			}
		}
		for i, h := range names {
			if strings.EqualFold(h, col) {
				return i
			}
		}
		return -1
	}
	var missing []string
	idx := func(field, col string) int {
		if col == "" {
			return -1
		}
		i := find(col)
		if i < 0 {
			missing = append(missing, fmt.Sprintf("%q (Mapping.%s)", col, field))
		}
		return i
	}
	c := &csvColumns{
		n:          len(header),
		id:         idx("ID", m.ID),
		text:       idx("Text", m.Text),
		time:       idx("Time", m.Time),
		account:    idx("Account", m.Account),
		author:     idx("Author", m.Author),
		authorName: idx("AuthorName", m.AuthorName),
		reach:      idx("Reach", m.Reach),
		thread:     idx("Thread", m.Thread),
		subject:    idx("Subject", m.Subject),
		sentiment:  idx("Sentiment", m.Sentiment),
		kind:       idx("Kind", m.Kind),
		direction:  idx("Direction", m.Direction),
		tags:       idx("Tags", m.Tags),
	}
	if len(missing) > 0 {
		quoted := make([]string, len(names))
		for i, h := range names {
			quoted[i] = strconv.Quote(h)
		}
		return nil, fmt.Errorf("fileimport: CSV header has no column %s; the header's columns are: %s",
			strings.Join(missing, ", no column "), strings.Join(quoted, ", "))
	}
	return c, nil
}

// ReadCSV streams the rows of a CSV file with a header line to emit, in file
// order. A bad row (wrong field count, bad quoting, a record longer than the cap,
// invalid UTF-8 in the id, empty id, an unknown kind or direction, a bad reach)
// is reported with its line number and skipped, and reading continues. A record
// that goes wrong only after its first line (typically an unterminated quote)
// is reported as one span of lines, and reading resumes at the first line after
// its start that begins a well-formed record with the header's field count, so
// the rows an open quote swallowed are not lost. A row whose time is empty or
// cannot be read is stored without one (see undated) and a time that cannot be
// read is listed in Report.Warnings. Invalid UTF-8 elsewhere (the text included)
// is repaired with U+FFFD and the item gets inbox.FlagInvalidUTF8. A leading BOM
// and CRLF line ends are fine. A missing mapped column in the header is a fatal
// error naming the column and listing the header's columns. Errors from emit and
// ctx cancellation stop reading and are returned with the report so far; so are
// read errors from r.
func ReadCSV(ctx context.Context, r io.Reader, m Mapping, emit func(Row) error, opts ...Option) (Report, error) {
	var rep Report
	if err := m.check(); err != nil {
		return rep, err
	}
	if m.DefaultKind == "" {
		m.DefaultKind = inbox.KindComment
	}
	o := newOptions(opts)
	br := bufio.NewReaderSize(r, 64<<10)
	if err := skipBOM(br); err != nil {
		return rep, fmt.Errorf("fileimport: reading CSV: %w", err)
	}
	sp := newCSVSplitter(br, o.maxRecordBytes, o.maxRecordLines)

	header, err := sp.next(ctx)
	if errors.Is(err, io.EOF) {
		return rep, errors.New("fileimport: empty CSV file: no header line")
	}
	if err != nil {
		return rep, fmt.Errorf("fileimport: reading CSV header: %w", err)
	}
	if header.reject != nil {
		return rep, fmt.Errorf("fileimport: reading CSV header: line %d: %w", header.line, header.reject)
	}
	cols, err := m.resolve(header.fields)
	if err != nil {
		return rep, err
	}
	sp.want = cols.n

	for {
		rec, err := sp.next(ctx)
		if errors.Is(err, io.EOF) {
			return rep, nil
		}
		if err != nil {
			if ctx.Err() != nil {
				return rep, err
			}
			return rep, fmt.Errorf("fileimport: reading CSV after line %d: %w", sp.src.no, err)
		}
		rep.Rows++
		if rec.reject != nil {
			rep.reject(rec.line, rec.end, rec.reject)
			continue
		}
		row, warning, err := m.row(cols, rec.fields, o.importTime)
		if err != nil {
			rep.reject(rec.line, rec.end, err)
			continue
		}
		row.Line, row.EndLine = rec.line, rec.end
		if err := emit(row); err != nil {
			return rep, fmt.Errorf("fileimport: line %d: %w", rec.line, err)
		}
		rep.Accepted++
		if warning != nil {
			rep.warn(rec.line, rec.end, warning)
		}
	}
}

// row turns one record into a Row, or says why it cannot. A time that cannot be
// read does not lose the row: it is stored undated and the warning says so.
func (m *Mapping) row(c *csvColumns, rec []string, importTime time.Time) (Row, *problem, error) {
	if len(rec) != c.n {
		return Row{}, nil, rowProblem("fieldCount", "got", len(rec), "want", c.n)
	}
	get := func(i int) string {
		if i < 0 {
			return ""
		}
		return rec[i]
	}
	var fix repairer

	id := strings.TrimSpace(rec[c.id])
	if id == "" {
		return Row{}, nil, rowProblem("emptyIdColumn", "column", m.ID)
	}
	if !utf8.ValidString(id) {
		return Row{}, nil, rowProblem("idNotUTF8Column", "column", m.ID)
	}

	account := strings.TrimSpace(fix.fix(get(c.account)))
	if account == "" {
		account = strings.TrimSpace(m.DefaultAccount)
	}
	if account == "" {
		return Row{}, nil, rowProblem("noAccountColumn", "column", m.Account)
	}

	// A row without a usable time is kept, never rejected: ingest orders it by
	// when it was imported. An empty cell claims nothing, so it is flagged but
	// not listed as a warning (claim stays "").
	var sentAt time.Time
	timeOK := true
	var claim *problem
	switch {
	case m.SnowflakeTime:
		t, err := snowflakeTime(id)
		if err != nil {
			timeOK, claim = false, rowProblem("undatedSnowflake", "id", id)
		}
		sentAt = t
	case c.time >= 0:
		v := strings.TrimSpace(get(c.time))
		t, err := parseTime(v, m.TimeLayout, m.TimeZone)
		switch {
		case v == "":
			timeOK = false
		case err != nil || !utf8.ValidString(v):
			timeOK, claim = false, rowProblem("undatedTime", "value", v)
		}
		sentAt = t
	}

	kind, err := parseKind(get(c.kind), m.DefaultKind)
	if err != nil {
		return Row{}, nil, err
	}
	dir, err := parseDirection(get(c.direction))
	if err != nil {
		return Row{}, nil, err
	}
	reach, err := parseReach(get(c.reach))
	if err != nil {
		return Row{}, nil, err
	}
	sent, score := parseSentiment(get(c.sentiment))

	thread := strings.TrimSpace(fix.fix(get(c.thread)))
	if thread == "" {
		thread = id // each message is its own conversation
	}
	it := inbox.Item{
		ExternalID:     id,
		ThreadKey:      thread,
		Kind:           kind,
		Direction:      dir,
		Author:         author(fix.fix(get(c.author)), fix.fix(get(c.authorName)), reach),
		Subject:        strings.TrimSpace(fix.fix(get(c.subject))),
		Text:           fix.fix(rec[c.text]),
		SentAt:         sentAt,
		Sentiment:      sent,
		SentimentScore: score,
		Tags:           splitTags(fix.fix(get(c.tags))),
	}
	if fix.bad {
		it.Flags = []string{inbox.FlagInvalidUTF8}
	}
	var warning *problem
	switch {
	case !timeOK:
		warning = undated(&it, importTime, claim)
	case sentAt.IsZero():
		it.ReceivedAt = importTime // no time column: ingest decides, by arrival
	}
	return Row{Account: account, Item: it}, warning, nil
}
