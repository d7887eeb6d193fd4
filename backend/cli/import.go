package cli

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels/fileimport"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/workspace"
)

// maxReported is how many bad rows (and, separately, warnings) are listed one
// by one before the rest is counted.
const maxReported = workspace.MaxListedProblems

// importHelp explains what happens to bad rows, and the exit codes scripts rely on.
const importHelp = `Imports a CSV file (columns chosen by the flags below) or a JSON-lines file.
Every good row is stored. Rows that cannot be imported are listed on stderr with
their line numbers; a broken span of lines, e.g. after an unterminated quote, is
listed as one range ("lines 11–14: unterminated quote"), and reading resumes at
the first well-formed row after it. A record (or JSON line) longer than 16 MiB
is rejected. A row whose time is empty or cannot be read is stored with the
import time and flagged suspicious-date; unreadable times are listed as warnings.

Rows older than the SLA policies' history horizon (7 days unless Settings say
otherwise) are history: they start no SLA clock and show as historical.
--historical makes every row of the file history, however recent.

Exit codes:
  0  done: every row was stored (warnings do not count)
  1  failed: the file or the database could not be read or written
  2  wrong command line
  3  done, but some rows were not imported (listed on stderr, with the exact count)
`

func runImport(ctx context.Context, env Env, args []string) int {
	fs := newFlagSet(env, "import", "FILE")
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "Usage: stormdesk import [flags] FILE\n\n%s\nFlags:\n", importHelp)
		fs.PrintDefaults()
	}
	db := dbFlag(fs)
	format := fs.String("format", "auto", "file format: csv, jsonl, or auto (by extension)")
	mapping := addMappingFlags(fs)
	historical := fs.Bool("historical", false, "store every row as history: no SLA clock starts, however recent the row")
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
	if _, err := workspace.ImportFormat(*format, path); err != nil {
		return usageError(env, fs, err)
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

	res, err := ws.Import(ctx, f, workspace.ImportOptions{
		Name: path, Format: *format, Channel: ch, Mapping: m, Historical: *historical, Now: env.Now(),
		Progress: func(n int) {
			if n > 0 && n%100000 == 0 {
				fmt.Fprintf(env.Stderr, "… %d rows read\n", n)
			}
		},
	})
	printImportReport(env, path, res)
	if err != nil {
		fmt.Fprintf(env.Stderr, "stormdesk import: %v\n", err)
		return ExitFailure
	}
	return importExitCode(res)
}

// importExitCode is ExitPartial when any row was not stored; warnings are rows
// that were stored, so they leave it at ExitOK.
func importExitCode(res workspace.ImportResult) int {
	if res.Skipped > 0 {
		return ExitPartial
	}
	return ExitOK
}

// printImportReport prints the summary, then the rows that were not imported
// and the rows stored with a warning, each with the exact count and the first
// of them one by one.
func printImportReport(env Env, path string, res workspace.ImportResult) {
	fmt.Fprintf(env.Stdout, "%s: %d rows read, %d new messages, %d duplicates, %d new conversations\n",
		path, res.Rows, res.Imported, res.Duplicates, res.Conversations)
	if res.Skipped > 0 {
		fmt.Fprintf(env.Stderr, "%s not imported:\n", rowsWere(res.Skipped))
		// Rows beyond the listed ones are counted, not listed.
		if listed := printRowErrors(env, res.SkippedRows, maxReported); res.Skipped > listed {
			fmt.Fprintf(env.Stderr, "  … and %d more\n", res.Skipped-listed)
		}
	}
	if res.Warned > 0 {
		fmt.Fprintf(env.Stderr, "%s stored with a warning:\n", rowsWere(res.Warned))
		if listed := printRowErrors(env, res.Warnings, maxReported); res.Warned > listed {
			fmt.Fprintf(env.Stderr, "  … and %d more\n", res.Warned-listed)
		}
	}
}

// printRowErrors lists at most limit entries and says how many it listed.
func printRowErrors(env Env, errs []fileimport.RowError, limit int) int {
	n := min(len(errs), limit)
	for _, e := range errs[:n] {
		fmt.Fprintf(env.Stderr, "  %s\n", e)
	}
	return n
}

func rowsWere(n int) string {
	if n == 1 {
		return "1 row was"
	}
	return fmt.Sprintf("%d rows were", n)
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
			m.DefaultAccount = fileimport.AccountName(path)
		}
		return ch, m, nil
	}
}
