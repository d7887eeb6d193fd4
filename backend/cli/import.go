package cli

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels/fileimport"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/ingest"
)

// maxReported is how many bad rows are listed one by one before the rest is counted.
const maxReported = 100

func runImport(ctx context.Context, env Env, args []string) int {
	fs := newFlagSet(env, "import", "FILE")
	db := dbFlag(fs)
	format := fs.String("format", "auto", "file format: csv, jsonl, or auto (by extension)")
	mapping := addMappingFlags(fs)
	pos, err := parseInterspersed(fs, args)
	if err == nil && len(pos) != 1 {
		err = fmt.Errorf("want exactly one FILE, got %d arguments", len(pos))
	}
	if err != nil {
		return usageError(env, fs, err)
	}
	path := pos[0]

	ch, m, err := mapping(path)
	if err != nil {
		return usageError(env, fs, err)
	}
	if *format == "auto" {
		*format = formatByExtension(path)
	}
	if *format != "csv" && *format != "jsonl" {
		return usageError(env, fs, fmt.Errorf("unknown format %q (want csv, jsonl or auto)", *format))
	}

	f, err := os.Open(path)
	if err != nil {
		fmt.Fprintf(env.Stderr, "stormdesk import: %v\n", err)
		return ExitFailure
	}
	defer f.Close()
	ws, code := openWorkspace(ctx, env, *db)
	if ws == nil {
		return code
	}
	defer ws.Close()

	w := ws.Pipeline.NewWriter()
	lines := map[string]int{} // external id -> line, to report rejections by line
	emit := func(r fileimport.Row) error {
		name := r.Account
		if name == "" {
			name = m.DefaultAccount
		}
		before := len(w.Result().Rejections)
		if err := w.Add(ctx, inbox.Account{Channel: ch, Name: name, Brand: name}, r.Item); err != nil {
			return err
		}
		if len(w.Result().Rejections) > before {
			lines[r.Item.ExternalID] = r.Line
		}
		if n := w.Result().Received; n%100000 == 0 {
			fmt.Fprintf(env.Stderr, "… %d rows read\n", n)
		}
		return nil
	}
	var rep fileimport.Report
	if *format == "jsonl" {
		rep, err = fileimport.ReadJSONLines(ctx, f, m.DefaultAccount, emit)
	} else {
		rep, err = fileimport.ReadCSV(ctx, f, m, emit)
	}
	res, closeErr := w.Close(ctx)
	if err == nil {
		err = closeErr
	}
	printImportReport(env, path, rep, res, lines)
	if err != nil {
		fmt.Fprintf(env.Stderr, "stormdesk import: %v\n", err)
		return ExitFailure
	}
	if len(rep.Errors) > 0 || len(res.Rejections) > 0 {
		return ExitPartial
	}
	return ExitOK
}

func formatByExtension(path string) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".jsonl", ".ndjson", ".json":
		return "jsonl"
	}
	return "csv"
}

func printImportReport(env Env, path string, rep fileimport.Report, res ingest.Result, lines map[string]int) {
	fmt.Fprintf(env.Stdout, "%s: %d rows read, %d new messages, %d duplicates, %d new conversations\n",
		path, rep.Rows, res.Inserted, res.Duplicates, res.Conversations)
	bad := len(rep.Errors) + len(res.Rejections)
	if bad == 0 {
		return
	}
	fmt.Fprintf(env.Stderr, "%d rows were not imported:\n", bad)
	n := 0
	for _, e := range rep.Errors {
		if n == maxReported {
			break
		}
		fmt.Fprintf(env.Stderr, "  line %d: %s\n", e.Line, e.Reason)
		n++
	}
	for _, r := range res.Rejections {
		if n == maxReported {
			break
		}
		fmt.Fprintf(env.Stderr, "  line %d: %s\n", lines[r.ExternalID], r.Reason)
		n++
	}
	if bad > n {
		fmt.Fprintf(env.Stderr, "  … and %d more\n", bad-n)
	}
}

// addMappingFlags registers the channel, account and CSV column flags shared by
// import and detect; the returned function builds the mapping for the file at
// path once the flags are parsed (the account defaults to the file's name).
func addMappingFlags(fs *flag.FlagSet) func(path string) (inbox.ChannelKind, fileimport.Mapping, error) {
	var m fileimport.Mapping
	channel := fs.String("channel", string(inbox.ChannelImport), "channel the rows came from (of the accounts they go to)")
	account := fs.String("account", "", "account for rows without an account column (default: the file name)")
	fs.StringVar(&m.ID, "id-column", "id", "CSV column with the message's unique id")
	fs.StringVar(&m.Text, "text-column", "text", "CSV column with the message text")
	fs.StringVar(&m.Time, "time-column", "", "CSV column with the message time")
	fs.StringVar(&m.TimeLayout, "time-layout", "", "Go time layout of the time column (default: RFC 3339, 2006-01-02 15:04:05, 1/2/2006 15:04, unix seconds)")
	zone := fs.String("time-zone", "UTC", "time zone of times without one (IANA name)")
	fs.BoolVar(&m.SnowflakeTime, "snowflake-time", false, "take the time from the Twitter snowflake id in the id column")
	fs.StringVar(&m.Account, "account-column", "", "CSV column naming the brand account of each row")
	fs.StringVar(&m.Author, "author-column", "", "CSV column with the author's handle")
	fs.StringVar(&m.AuthorName, "author-name-column", "", "CSV column with the author's display name")
	fs.StringVar(&m.Reach, "reach-column", "", "CSV column with the author's follower count")
	fs.StringVar(&m.Thread, "thread-column", "", "CSV column grouping rows into conversations (default: one per row)")
	fs.StringVar(&m.Subject, "subject-column", "", "CSV column with a subject")
	fs.StringVar(&m.Sentiment, "sentiment-column", "", "CSV column with a negative/neutral/positive label")
	fs.StringVar(&m.Kind, "kind-column", "", "CSV column with comment/dm/mail")
	fs.StringVar(&m.Direction, "direction-column", "", "CSV column with in/out")
	fs.StringVar(&m.Tags, "tags-column", "", "CSV column with tags (separated by , or ;)")
	kind := fs.String("kind", string(inbox.KindComment), "message kind for rows without a kind column: comment, dm or mail")
	return func(path string) (inbox.ChannelKind, fileimport.Mapping, error) {
		ch, err := inbox.ParseChannelKind(*channel)
		if err != nil {
			return "", m, err
		}
		m.DefaultKind = inbox.MessageKind(*kind)
		if !m.DefaultKind.Valid() {
			return ch, m, fmt.Errorf("unknown kind %q (want comment, dm or mail)", *kind)
		}
		loc, err := time.LoadLocation(*zone)
		if err != nil {
			return ch, m, fmt.Errorf("unknown time zone %q: %w", *zone, err)
		}
		m.TimeZone = loc
		m.DefaultAccount = *account
		if m.DefaultAccount == "" {
			m.DefaultAccount = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
		}
		return ch, m, nil
	}
}
