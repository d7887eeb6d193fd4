// Package fileimport reads messages from files: CSV with a column mapping, and
// JSON lines. It never touches the store: every good record becomes an
// inbox.Item handed to an emit callback, and the ingest pipeline normalizes,
// dedupes and stores it. Bad records are reported with their 1-based physical
// line number and skipped, so one broken row never loses the rest of a file.
package fileimport

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// MaxReportedErrors caps Report.Errors and Report.Warnings so that a file of
// garbage cannot grow the report without bound. Report.Rejected and
// Report.Warned are always the true counts.
const MaxReportedErrors = 1000

// MaxRecordBytes is the default cap on one CSV record (so on any one field) and
// on one JSON line. A longer record is rejected with its line number and read
// over without being kept, so memory stays bounded whatever the file holds.
const MaxRecordBytes = 16 << 20

// MaxRecordLines is the default cap on the physical lines one CSV record may
// span. A quoted field running longer is taken for an unterminated quote, and
// reading resumes at the line after the record's start.
const MaxRecordLines = 10000

// UnknownAuthor is the author handle and external id used when a file does not
// say who wrote a message.
const UnknownAuthor = "unknown"

// Row is one accepted record: the account it belongs to and the item.
type Row struct {
	Line    int // 1-based physical line number where the record starts
	EndLine int // physical line where it ends (a quoted field can span lines)
	Account string
	Item    inbox.Item
}

// RowError says why the record starting at Line was skipped, or why a stored
// row deserves a look (Report.Warnings). EndLine is the last line of the record
// or broken span, Line when it is one line.
type RowError struct {
	Line    int    `json:"line"`
	EndLine int    `json:"endLine"`
	Reason  string `json:"reason"` // in English, for the CLI and logs
	// Code and Params word the reason in the app's language; Code is empty
	// for a reason that has none (then the app shows Reason).
	Code   string            `json:"code"`
	Params map[string]string `json:"params"`
}

// String gives "line 7: reason", or "lines 11–14: reason" for a span.
func (e RowError) String() string {
	if e.EndLine > e.Line {
		return fmt.Sprintf("lines %d–%d: %s", e.Line, e.EndLine, e.Reason)
	}
	return fmt.Sprintf("line %d: %s", e.Line, e.Reason)
}

// Report sums up one import. Rows counts data records (header and blank lines
// excluded; a broken span of lines counts as one), Accepted those handed to emit
// without error and Rejected the skipped ones; when reading ends without an
// error, Rows = Accepted + Rejected. Errors lists the first MaxReportedErrors
// skipped records in file order. Warned counts the accepted rows stored with a
// caveat (a time that could not be read) and Warnings lists the first of them.
type Report struct {
	Rows     int
	Accepted int
	Rejected int
	Errors   []RowError
	Warned   int
	Warnings []RowError
}

func (r *Report) reject(line, end int, reason error) {
	r.Rejected++
	if len(r.Errors) < MaxReportedErrors {
		r.Errors = append(r.Errors, rowErrorOf(line, end, reason))
	}
}

func (r *Report) warn(line, end int, warning *problem) {
	r.Warned++
	if len(r.Warnings) < MaxReportedErrors {
		r.Warnings = append(r.Warnings, rowErrorOf(line, end, warning))
	}
}

// Option changes a limit or default of ReadCSV and ReadJSONLines.
type Option func(*options)

type options struct {
	maxRecordBytes int
	maxRecordLines int
	importTime     time.Time
}

func newOptions(opts []Option) options {
	o := options{maxRecordBytes: MaxRecordBytes, maxRecordLines: MaxRecordLines, importTime: time.Now().UTC()}
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

// WithMaxRecordBytes sets the cap on one CSV record or JSON line (default
// MaxRecordBytes); n <= 0 keeps the default.
func WithMaxRecordBytes(n int) Option {
	return func(o *options) {
		if n > 0 {
			o.maxRecordBytes = n
		}
	}
}

// WithMaxRecordLines sets the cap on the physical lines of one CSV record
// (default MaxRecordLines); n <= 0 keeps the default.
func WithMaxRecordLines(n int) Option {
	return func(o *options) {
		if n > 0 {
			o.maxRecordLines = n
		}
	}
}

// WithImportTime sets the time given as Item.ReceivedAt to rows without a
// usable time of their own (default: when reading starts), so that ingest can
// order them by when they arrived.
func WithImportTime(t time.Time) Option {
	return func(o *options) {
		if !t.IsZero() {
			o.importTime = t.UTC()
		}
	}
}

// undated marks an item without a usable time of its own: SentAt stays zero,
// ingest orders it by ReceivedAt, and the flag says its date is not the
// sender's. It returns claimed, the warning for the report (nil when nothing
// was claimed: an empty time cell).
func undated(it *inbox.Item, importTime time.Time, claimed *problem) *problem {
	it.SentAt = time.Time{}
	it.ReceivedAt = importTime
	it.Flags = addTag(it.Flags, inbox.FlagSuspiciousDate)
	return claimed
}

// validUTF8 returns s with every invalid byte replaced by U+FFFD (as encoding/json
// does) and whether it had to repair anything.
func validUTF8(s string) (string, bool) {
	if utf8.ValidString(s) {
		return s, false
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteRune(utf8.RuneError)
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String(), true
}

// repairer repairs strings and remembers whether any needed it.
type repairer struct{ bad bool }

func (r *repairer) fix(s string) string {
	s, bad := validUTF8(s)
	r.bad = r.bad || bad
	return s
}

// snowflakeEpochMS is Twitter's snowflake epoch (2010-11-04T01:42:54.657Z) in Unix ms.
const snowflakeEpochMS = 1288834974657

// snowflakeTime returns the creation time encoded in a Twitter snowflake id.
func snowflakeTime(id string) (time.Time, error) {
	n, err := strconv.ParseUint(id, 10, 64)
	if err != nil || n < 1<<22 {
		return time.Time{}, fmt.Errorf("id %q is not a Twitter snowflake id", id)
	}
	return time.UnixMilli(int64(n>>22) + snowflakeEpochMS).UTC(), nil
}

// Layouts tried, in order, when Mapping.TimeLayout is empty (after RFC 3339,
// which carries its own offset, and before Unix seconds).
var zonelessLayouts = []string{
	"2006-01-02 15:04:05",
	"2006-01-02T15:04:05",
	"1/2/2006 15:04",
	"1/2/2006 15:04:05",
}

// parseTime reads a time value. layout "" means: RFC 3339, then zoneless layouts
// in loc, then Unix seconds (or milliseconds, for 13+ digit values).
func parseTime(v, layout string, loc *time.Location) (time.Time, error) {
	if loc == nil {
		loc = time.UTC
	}
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, errors.New("empty time")
	}
	if layout != "" {
		t, err := time.ParseInLocation(layout, v, loc)
		if err != nil {
			return time.Time{}, fmt.Errorf("cannot parse time %q with layout %q", v, layout)
		}
		return t.UTC(), nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t.UTC(), nil
	}
	for _, l := range zonelessLayouts {
		if t, err := time.ParseInLocation(l, v, loc); err == nil {
			return t.UTC(), nil
		}
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n >= 1e12 || n <= -1e12 {
			return time.UnixMilli(n).UTC(), nil
		}
		return time.Unix(n, 0).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("cannot parse time %q (want RFC 3339, 2006-01-02 15:04:05, m/d/yyyy hh:mm or Unix seconds)", v)
}

// parseSentiment maps a label to a sentiment and a score. Labels it does not
// know (RuSentiTweet's "skip" and "speech", for example) give SentimentUnknown.
func parseSentiment(v string) (inbox.Sentiment, float64) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "negative", "neg", "-1":
		return inbox.SentimentNegative, -1
	case "neutral", "neu", "0":
		return inbox.SentimentNeutral, 0
	case "positive", "pos", "1", "+1":
		return inbox.SentimentPositive, 1
	}
	return inbox.SentimentUnknown, 0
}

// parseKind reads a message kind; "" gives def.
func parseKind(v string, def inbox.MessageKind) (inbox.MessageKind, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "":
		return def, nil
	case "comment", "comments", "post", "reply", "mention":
		return inbox.KindComment, nil
	case "dm", "direct", "private", "message", "pm":
		return inbox.KindDM, nil
	case "mail", "email", "e-mail":
		return inbox.KindMail, nil
	}
	return "", rowProblem("unknownKind", "value", v)
}

// parseDirection reads a direction; "" means in.
func parseDirection(v string) (inbox.Direction, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "", "in", "inbound", "incoming", "received":
		return inbox.DirectionIn, nil
	case "out", "outbound", "outgoing", "sent":
		return inbox.DirectionOut, nil
	}
	return "", rowProblem("unknownDirection", "value", v)
}

// parseReach reads an audience size: "1234", "1,234", "12.5k", "1.2M". Empty is 0.
func parseReach(v string) (int64, error) {
	s := strings.TrimSpace(v)
	if s == "" {
		return 0, nil
	}
	s = strings.NewReplacer(",", "", "_", "", " ", "", "\u00a0", "").Replace(s)
	mult := 1.0
	switch {
	case strings.HasSuffix(s, "k") || strings.HasSuffix(s, "K"):
		mult, s = 1e3, s[:len(s)-1]
	case strings.HasSuffix(s, "m") || strings.HasSuffix(s, "M"):
		mult, s = 1e6, s[:len(s)-1]
	}
	if mult == 1 {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil && n >= 0 {
			return n, nil
		}
		return 0, rowProblem("badReach", "value", v)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f*mult > 1e15 {
		return 0, rowProblem("badReach", "value", v)
	}
	return int64(f*mult + 0.5), nil
}

// splitTags splits on ',' and ';', trims, and drops empty and repeated tags.
func splitTags(v string) []string {
	var tags []string
	for _, t := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' }) {
		tags = addTag(tags, t)
	}
	return tags
}

func addTag(tags []string, t string) []string {
	t = strings.TrimSpace(t)
	if t == "" {
		return tags
	}
	for _, have := range tags {
		if have == t {
			return tags
		}
	}
	return append(tags, t)
}

// author builds an import author from a handle and display name.
func author(handle, name string, reach int64) inbox.Author {
	handle = strings.TrimSpace(handle)
	if handle == "" {
		handle = UnknownAuthor
	}
	return inbox.Author{
		Channel:     inbox.ChannelImport,
		ExternalID:  handle,
		Handle:      handle,
		DisplayName: strings.TrimSpace(name),
		Reach:       reach,
	}
}

// bom is the UTF-8 byte order mark that spreadsheet exports like to put first.
const bom = "\ufeff"

// skipBOM drops a leading UTF-8 BOM.
func skipBOM(br *bufio.Reader) error {
	b, err := br.Peek(len(bom))
	if string(b) == bom {
		_, err = br.Discard(len(bom))
		return err
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	return nil
}

// FormatByExtension is "jsonl" for a .jsonl, .ndjson or .json file and "csv"
// for anything else.
func FormatByExtension(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".jsonl", ".ndjson", ".json":
		return "jsonl"
	}
	return "csv"
}

// AccountName is the account a file's rows go to when it names none: the
// file's name without its folder and extension.
func AccountName(name string) string {
	base := filepath.Base(name)
	return strings.TrimSuffix(base, filepath.Ext(base))
}
