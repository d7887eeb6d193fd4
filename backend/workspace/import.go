package workspace

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/channels/fileimport"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/store"
)

// MaxListedProblems is how many skipped rows (and, separately, warnings) an
// import lists one by one; the counts are always exact.
const MaxListedProblems = 100

// ProgressEvery is how many rows an import reads between progress reports.
const ProgressEvery = 1000

// ImportOptions says how to read one file: the command line's flags and the
// window's import form both fill it.
type ImportOptions struct {
	// Name is the file's name: the default account and, with Format "auto"
	// or "", the format (by extension).
	Name    string
	Format  string // csv, jsonl, or auto
	Channel inbox.ChannelKind
	Mapping fileimport.Mapping
	// Historical stores every row as history: no SLA clock starts.
	Historical bool
	// Now is the import time, given to rows without a usable time of their own.
	Now time.Time
	// Progress, when set, hears the rows read so far every ProgressEvery rows.
	Progress func(rows int)
}

// ImportResult sums up one import for a person: what was stored, what was
// already there, and which rows were skipped and why (by line).
type ImportResult struct {
	File          string                `json:"file"`
	Rows          int                   `json:"rows"`
	Imported      int                   `json:"imported"`
	Duplicates    int                   `json:"duplicates"`
	Conversations int                   `json:"conversations"`
	Skipped       int                   `json:"skipped"`
	SkippedRows   []fileimport.RowError `json:"skippedRows"` // the first MaxListedProblems
	Warned        int                   `json:"warned"`
	Warnings      []fileimport.RowError `json:"warnings"` // the first MaxListedProblems
	Historical    bool                  `json:"historical"`
}

// Import reads one CSV or JSON-lines file from r and stores its rows through
// the ingest pipeline. A file that cannot be read as asked (no header, a
// mapped column missing) is an apperr.ImportUnreadable error and stores
// nothing more; a bad row is skipped and listed. With an error the result
// holds what was stored before it.
func (w *Workspace) Import(ctx context.Context, r io.Reader, o ImportOptions) (ImportResult, error) {
	res := ImportResult{File: o.Name, Historical: o.Historical, SkippedRows: []fileimport.RowError{}, Warnings: []fileimport.RowError{}}
	format, err := ImportFormat(o.Format, o.Name)
	if err != nil {
		return res, apperr.InvalidInput("format", err)
	}
	m := o.Mapping
	if m.DefaultAccount == "" {
		m.DefaultAccount = fileimport.AccountName(o.Name)
	}
	ch := o.Channel
	if ch == "" {
		ch = inbox.ChannelImport
	}
	if o.Historical {
		ctx = store.AsHistory(ctx)
	}
	wr := w.Pipeline.NewWriter()
	lines := map[string]int{} // external id -> line, to list rejections by line
	var storeErr error
	emit := func(row fileimport.Row) error {
		name := row.Account
		if name == "" {
			name = m.DefaultAccount
		}
		before := len(wr.Result().Rejections)
		if err := wr.Add(ctx, inbox.Account{Channel: ch, Name: name, Brand: name}, row.Item); err != nil {
			storeErr = err
			return err
		}
		if len(wr.Result().Rejections) > before {
			lines[row.Item.ExternalID] = row.Line
		}
		if n := wr.Result().Received; o.Progress != nil && n%ProgressEvery == 0 {
			o.Progress(n)
		}
		return nil
	}
	var rep fileimport.Report
	started := fileimport.WithImportTime(o.Now)
	if format == "jsonl" {
		rep, err = fileimport.ReadJSONLines(ctx, r, m.DefaultAccount, emit, started)
	} else {
		rep, err = fileimport.ReadCSV(ctx, r, m, emit, started)
	}
	stored, closeErr := wr.Close(ctx)
	res.Rows, res.Imported, res.Duplicates, res.Conversations = rep.Rows, stored.Inserted, stored.Duplicates, stored.Conversations
	res.Skipped = rep.Rejected + len(stored.Rejections)
	res.SkippedRows = append(res.SkippedRows, rep.Errors[:min(len(rep.Errors), MaxListedProblems)]...)
	for _, rj := range stored.Rejections {
		if len(res.SkippedRows) == MaxListedProblems {
			break
		}
		res.SkippedRows = append(res.SkippedRows, fileimport.RowError{Line: lines[rj.ExternalID], EndLine: lines[rj.ExternalID], Reason: rj.Reason, Params: map[string]string{}})
	}
	res.Warned = rep.Warned
	res.Warnings = append(res.Warnings, rep.Warnings[:min(len(rep.Warnings), MaxListedProblems)]...)
	if o.Progress != nil {
		o.Progress(rep.Rows)
	}
	switch {
	case err != nil && storeErr == nil && ctx.Err() == nil:
		// The reader gave up on the file itself, not on the database.
		return res, apperr.ImportUnreadable(o.Name, fmt.Errorf("import %s: %w", o.Name, err))
	case err != nil:
		return res, fmt.Errorf("import %s: %w", o.Name, err)
	case closeErr != nil:
		return res, fmt.Errorf("import %s: %w", o.Name, closeErr)
	}
	return res, nil
}

// ImportFormat is the format to read a file in: format itself when given,
// else by the name's extension.
func ImportFormat(format, name string) (string, error) {
	switch format {
	case "", "auto":
		return fileimport.FormatByExtension(name), nil
	case "csv", "jsonl":
		return format, nil
	}
	return "", fmt.Errorf("unknown format %q (want csv, jsonl or auto)", format)
}
