package fileimport

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"slices"
)

// This file splits CSV input into records. encoding/csv cannot be used: after
// an unterminated quote it reads the rest of the file as one field (or reports
// one error and drops every line up to the next stray quote), and it buffers a
// whole field however large it is. The splitter below reads physical lines,
// keeps the lines of the record being read so that it can go back to the line
// after a broken record's start, and streams over lines longer than the record
// cap without keeping them. The quoting rules are those of encoding/csv with
// LazyQuotes off: a field is quoted only if its first byte is '"', "" is a quote
// inside a quoted field, \r\n is read as \n, and empty lines between records are
// skipped.

// csvLine is one physical line without its line end.
type csvLine struct {
	no    int
	data  []byte
	long  bool       // longer than the record cap; data is nil and sum describes it
	sum   lineResult // for a long line: the line read on its own as a record
	blank bool
}

// lineStatus is how reading a line left a record.
type lineStatus int

const (
	lineDone      lineStatus = iota // the record ends with this line
	lineOpen                        // a quoted field goes on past the line end
	lineBareQuote                   // '"' inside a field that does not start with one
	lineBadQuote                    // a closing '"' followed by something other than ',' or the line end
)

// lineResult is what reading one line did to the record; col is the 1-based
// byte column of a quoting error.
type lineResult struct {
	status lineStatus
	fields int // fields the line ended (for a long line: fields of the record)
	col    int
}

// recordParser holds the record being read: field bytes back to back and where
// each field ends, so that the record costs one string allocation.
type recordParser struct {
	buf     []byte
	ends    []int
	inQuote bool
}

func (p *recordParser) reset() {
	p.buf, p.ends, p.inQuote = p.buf[:0], p.ends[:0], false
}

// scan reads one stored line into the record.
func (p *recordParser) scan(line []byte) lineResult {
	pos := 0
	if p.inQuote {
		goto quoted
	}
field:
	if pos < len(line) && line[pos] == '"' {
		p.inQuote = true
		pos++
		goto quoted
	}
	{
		end := bytes.IndexByte(line[pos:], ',')
		if end < 0 {
			end = len(line)
		} else {
			end += pos
		}
		if q := bytes.IndexByte(line[pos:end], '"'); q >= 0 {
			return lineResult{status: lineBareQuote, col: pos + q + 1}
		}
		p.buf = append(p.buf, line[pos:end]...)
		p.ends = append(p.ends, len(p.buf))
		if end == len(line) {
			return lineResult{status: lineDone}
		}
		pos = end + 1
		goto field
	}
quoted:
	for {
		q := bytes.IndexByte(line[pos:], '"')
		if q < 0 {
			p.buf = append(p.buf, line[pos:]...)
			p.buf = append(p.buf, '\n')
			return lineResult{status: lineOpen}
		}
		q += pos
		p.buf = append(p.buf, line[pos:q]...)
		switch {
		case q+1 < len(line) && line[q+1] == '"':
			p.buf = append(p.buf, '"')
			pos = q + 2
		case q+1 == len(line):
			p.inQuote = false
			p.ends = append(p.ends, len(p.buf))
			return lineResult{status: lineDone}
		case line[q+1] == ',':
			p.inQuote = false
			p.ends = append(p.ends, len(p.buf))
			pos = q + 2
			goto field
		default:
			return lineResult{status: lineBadQuote, col: q + 2}
		}
	}
}

// streamScanner applies the same rules as recordParser.scan to a line fed in
// pieces, keeping nothing but counts: it reads lines too long to keep.
type streamScanner struct {
	state  int // 0 field start, 1 unquoted, 2 quoted, 3 quote seen in quoted, 4 finished
	col    int
	res    lineResult
	fields int
}

func (s *streamScanner) feed(b []byte) {
	for i := 0; i < len(b) && s.state != 4; {
		switch s.state {
		case 0:
			if b[i] == '"' {
				s.state = 2
				i++
				s.col++
				continue
			}
			s.state = 1
		case 1:
			var ok bool
			if i, ok = s.skipPast(b, i, ",\""); !ok {
				return
			}
			if b[i-1] == '"' {
				s.res, s.state = lineResult{status: lineBareQuote, col: s.col}, 4
				return
			}
			s.fields++
			s.state = 0
		case 2:
			var ok bool
			if i, ok = s.skipPast(b, i, "\""); !ok {
				return
			}
			s.state = 3
		case 3:
			switch b[i] {
			case '"':
				s.state = 2
			case ',':
				s.fields++
				s.state = 0
			default:
				s.res, s.state = lineResult{status: lineBadQuote, col: s.col + 1}, 4
				return
			}
			i++
			s.col++
		}
	}
}

// skipPast moves past the next byte of b[i:] that is in set, or to the end of
// b when there is none.
func (s *streamScanner) skipPast(b []byte, i int, set string) (int, bool) {
	j := bytes.IndexAny(b[i:], set)
	if j < 0 {
		s.col += len(b) - i
		return len(b), false
	}
	s.col += j + 1
	return i + j + 1, true
}

// end is the line end.
func (s *streamScanner) end() lineResult {
	switch s.state {
	case 4:
	case 2:
		s.res = lineResult{status: lineOpen}
	default:
		s.res = lineResult{status: lineDone}
		s.fields++
	}
	s.res.fields = s.fields
	return s.res
}

// lineSource reads physical lines, keeping those of at most max bytes.
type lineSource struct {
	br  *bufio.Reader
	max int
	no  int
	eof bool
	// free holds the buffers of consumed lines for reuse: a record's fields
	// are copied into one string before its lines are dropped, so nothing
	// points into them any more, and a fresh buffer per line would double
	// the allocations of an import.
	free [][]byte
}

// recycle keeps a consumed line's buffer unless it is large.
func (s *lineSource) recycle(b []byte) {
	if cap(b) > 0 && cap(b) <= 64<<10 && len(s.free) < 64 {
		s.free = append(s.free, b[:0])
	}
}

// next returns the next line, or io.EOF after the last one.
func (s *lineSource) next(ctx context.Context) (csvLine, error) {
	if s.eof {
		return csvLine{}, io.EOF
	}
	var data []byte
	if n := len(s.free); n > 0 {
		data, s.free = s.free[n-1], s.free[:n-1]
	}
	var stream *streamScanner
	// A line longer than the read buffer is kept as separate pieces and
	// joined at its end: a growing slice would hold its old and new arrays
	// at once, twice the cap, for a line that may be read over anyway.
	var more [][]byte
	size := 0
	put := func(b []byte) {
		if stream == nil && size+len(b) > s.max {
			stream = &streamScanner{}
			stream.feed(data)
			for _, p := range more {
				stream.feed(p)
			}
			data, more = nil, nil
		}
		if stream != nil {
			stream.feed(b)
			return
		}
		size += len(b)
		if len(more) == 0 && (len(data) == 0 || cap(data)-len(data) >= len(b)) {
			data = append(data, b...)
			return
		}
		more = append(more, bytes.Clone(b))
	}
	// A '\r' that ends a piece is held back until the next piece shows
	// whether it is part of the line end: encoding/csv reads \r\n as \n and
	// drops a \r just before EOF, and so does this.
	pendingCR := false
	add := func(b []byte) {
		if pendingCR {
			put([]byte{'\r'})
			pendingCR = false
		}
		if n := len(b); n > 0 && b[n-1] == '\r' {
			b, pendingCR = b[:n-1], true
		}
		put(b)
	}
	for {
		chunk, err := s.br.ReadSlice('\n')
		last := !errors.Is(err, bufio.ErrBufferFull)
		if err != nil && last && !errors.Is(err, io.EOF) {
			return csvLine{}, err
		}
		if errors.Is(err, io.EOF) {
			s.eof = true
			if len(chunk) == 0 && len(data) == 0 && stream == nil && !pendingCR {
				s.recycle(data)
				return csvLine{}, io.EOF
			}
		}
		if !last {
			add(chunk)
			if err := ctx.Err(); err != nil {
				return csvLine{}, err
			}
			continue
		}
		if chunk = bytes.TrimSuffix(chunk, []byte("\n")); len(chunk) > 0 {
			add(chunk)
		}
		break
	}
	s.no++
	if stream != nil {
		return csvLine{no: s.no, long: true, sum: stream.end()}, nil
	}
	if len(more) > 0 {
		data = slices.Concat(append([][]byte{data}, more...)...)
	}
	return csvLine{no: s.no, data: data, blank: len(data) == 0}, nil
}

// csvItem is what the splitter yields: a record, or a rejected span of lines.
type csvItem struct {
	fields     []string // nil for a line too long to keep
	count      int      // number of fields
	line, end  int
	reject     *problem // non-nil: lines line..end are rejected for this reason
	wellFormed bool     // the record was read without quoting errors
}

// csvSplitter turns lines into records. win holds the lines read but not yet
// consumed; win[0] is where the next record starts.
type csvSplitter struct {
	src      lineSource
	win      []csvLine
	maxBytes int
	maxLines int
	want     int // the header's field count; 0 while reading the header
	p        recordParser
	// fields is reused for every record, as encoding/csv's ReuseRecord: a
	// record's fields are valid until the next call of next.
	fields []string
}

func newCSVSplitter(br *bufio.Reader, maxBytes, maxLines int) *csvSplitter {
	return &csvSplitter{src: lineSource{br: br, max: maxBytes}, maxBytes: maxBytes, maxLines: maxLines}
}

// line returns win[i], reading lines as needed; ok is false after the last line.
func (s *csvSplitter) line(ctx context.Context, i int) (csvLine, bool, error) {
	for len(s.win) <= i {
		l, err := s.src.next(ctx)
		if errors.Is(err, io.EOF) {
			return csvLine{}, false, nil
		}
		if err != nil {
			return csvLine{}, false, err
		}
		s.win = append(s.win, l)
	}
	return s.win[i], true, nil
}

// drop consumes the first n lines of the window.
func (s *csvSplitter) drop(n int) {
	for _, l := range s.win[:n] {
		s.src.recycle(l.data)
	}
	k := copy(s.win, s.win[n:])
	clear(s.win[k:])
	s.win = s.win[:k]
}

// parsed is one attempt to read a record starting at win[0].
type parsed struct {
	item   csvItem
	next   int  // lines to consume when the attempt is accepted
	broken bool // the record ran past its first line and went wrong there
}

// parse reads the record starting at win[0], which is not blank.
func (s *csvSplitter) parse(ctx context.Context) (parsed, error) {
	first := s.win[0]
	if first.long {
		r := first.sum
		if r.status == lineOpen {
			return parsed{item: csvItem{line: first.no, end: first.no,
				reject: rowProblem("quoteOrOversized", "max", s.maxBytes)},
				next: 1, broken: true}, nil
		}
		return parsed{item: csvItem{line: first.no, end: first.no, wellFormed: r.status == lineDone,
			count: r.fields, reject: rowProblem("recordTooLong", "max", s.maxBytes)}, next: 1}, nil
	}
	s.p.reset()
	size, i := 0, 0
	brokenAt := func(code string, kv ...any) (parsed, error) {
		return parsed{item: csvItem{line: first.no, end: first.no, reject: rowProblem(code, kv...)}, next: min(i+1, len(s.win)), broken: i > 0}, nil
	}
	for ; ; i++ {
		l, ok, err := s.line(ctx, i)
		if err != nil {
			return parsed{}, err
		}
		switch {
		case !ok:
			return brokenAt("quoteToEnd")
		case l.long:
			return brokenAt("quoteOrOversized", "max", s.maxBytes)
		case i >= s.maxLines:
			return brokenAt("quotePastLines", "max", s.maxLines)
		}
		size += len(l.data)
		if i > 0 {
			size++ // the line break inside the quoted field
		}
		if size > s.maxBytes {
			return brokenAt("quoteOrOversized", "max", s.maxBytes)
		}
		r := s.p.scan(l.data)
		switch r.status {
		case lineOpen:
			continue
		case lineBareQuote:
			if i > 0 {
				return brokenAt("bareQuoteSpan", "line", l.no)
			}
			return brokenAt("bareQuote", "column", r.col)
		case lineBadQuote:
			if i > 0 {
				return brokenAt("textAfterQuote", "line", l.no)
			}
			return brokenAt("badQuote", "column", r.col)
		}
		rec := string(s.p.buf)
		fields := s.fields[:0]
		start := 0
		for _, e := range s.p.ends {
			fields = append(fields, rec[start:e])
			start = e
		}
		s.fields = fields
		it := csvItem{fields: fields, count: len(fields), line: first.no, end: l.no, wellFormed: true}
		if s.want > 0 && len(fields) != s.want {
			it.reject = rowProblem("fieldCount", "got", len(fields), "want", s.want)
			if i > 0 {
				it.reject = rowProblem("fieldCountSpan", "got", len(fields), "want", s.want, "line", first.no, "end", l.no)
				it.end = first.no
				return parsed{item: it, next: 1, broken: true}, nil
			}
		}
		return parsed{item: it, next: i + 1}, nil
	}
}

// next returns the next record or rejected span; io.EOF after the last.
//
// A record that goes wrong after its first line (a quote error on a later line,
// EOF or the line or byte cap inside a quoted field, or a field count other than
// the header's) most likely started with an unterminated quote that swallowed
// the lines after it. Those lines may be good rows, so reading goes back to the
// line after the record's start and tries each following line until one starts
// a well-formed record with the header's field count; everything in between is
// reported as one rejected span.
func (s *csvSplitter) next(ctx context.Context) (csvItem, error) {
	var span *csvItem
	for {
		if err := ctx.Err(); err != nil {
			return csvItem{}, err
		}
		l, ok, err := s.line(ctx, 0)
		if err != nil {
			return csvItem{}, err
		}
		if !ok {
			if span != nil {
				return *span, nil
			}
			return csvItem{}, io.EOF
		}
		if l.blank {
			s.drop(1)
			continue
		}
		p, err := s.parse(ctx)
		if err != nil {
			return csvItem{}, err
		}
		if span != nil {
			if !p.item.wellFormed || p.item.count != s.want {
				span.end = l.no
				s.drop(1)
				continue
			}
			// p is not consumed: it is read again on the next call.
			return *span, nil
		}
		if p.broken && s.want > 0 {
			span = &p.item
			s.drop(1)
			continue
		}
		if p.item.reject != nil {
			p.item.end = s.win[p.next-1].no
		}
		s.drop(p.next)
		return p.item, nil
	}
}
