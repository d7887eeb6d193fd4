package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/store"
)

// reportFixture stores two closed conversations on Monday 2026-03-02 (UTC):
// a mail answered by Ann after 1h and closed after 3h (within the mail policy), and
// a public comment answered by Bob after 2h (the 1h first-response target missed)
// and closed after 2h30m. It returns the database path and the comment's id.
func reportFixture(t *testing.T) (string, int64) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "report.db")
	s, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	day := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	now := day.Add(8 * time.Hour)
	s.SetClock(func() time.Time { return now })
	at := func(h, m int) time.Time { return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute) }
	customer := inbox.Author{ExternalID: "c1", Handle: "@cust"}
	conv := func(acct inbox.Account, kind inbox.MessageKind, thread, agent string, reply time.Time) int64 {
		a, err := s.EnsureAccount(ctx, acct)
		if err != nil {
			t.Fatal(err)
		}
		items := []inbox.Item{
			{ExternalID: thread + "-q", ThreadKey: thread, Kind: kind, Direction: inbox.DirectionIn, Author: customer, Text: "where is it?", SentAt: at(9, 0)},
			{ExternalID: thread + "-a", ThreadKey: thread, Kind: kind, Direction: inbox.DirectionOut, Author: inbox.Author{ExternalID: agent, DisplayName: agent}, Text: "here", SentAt: reply},
		}
		if _, err := s.SaveItems(ctx, a.ID, items); err != nil {
			t.Fatal(err)
		}
		id, err := s.ConversationIDByThreadKey(ctx, a.ID, thread)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	mail := conv(inbox.Account{Name: "acme-mail", Channel: inbox.ChannelMail}, inbox.KindMail, "m", "Ann", at(10, 0))
	comment := conv(inbox.Account{Name: "acme-vk", Channel: inbox.ChannelVK}, inbox.KindComment, "c", "Bob", at(11, 0))
	now = at(11, 30)
	if err := s.SetStatus(ctx, comment, inbox.StatusClosed); err != nil {
		t.Fatal(err)
	}
	now = at(12, 0)
	if err := s.SetStatus(ctx, mail, inbox.StatusClosed); err != nil {
		t.Fatal(err)
	}
	return path, comment
}

func TestReportSLAWritesCSV(t *testing.T) {
	db, comment := reportFixture(t)
	now := func() time.Time { return time.Date(2026, 3, 2, 13, 0, 0, 0, time.UTC) }
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"summary", []string{"sla", "--from", "2026-03-01", "--to", "2026-03-07", "--tz", "Europe/Berlin", "--db", db}, `dimension,key,conversations,first_response_count,first_response_p50_s,first_response_p90_s,resolution_count,resolution_p50_s,resolution_p90_s,with_sla,within_sla,within_sla_pct,warnings
all,all,2,2,3600,7200,2,9000,10800,2,1,50.0,0
channel,mail,1,1,3600,3600,1,10800,10800,1,1,100.0,0
channel,vk,1,1,7200,7200,1,9000,9000,1,0,0.0,0
agent,Ann,1,1,3600,3600,1,10800,10800,1,1,100.0,0
agent,Bob,1,1,7200,7200,1,9000,9000,1,0,0.0,0
week,2026-W10,2,2,3600,7200,2,9000,10800,2,1,50.0,0
`},
		{"one account", []string{"sla", "--from", "2026-03-02", "--to", "2026-03-02", "--tz", "UTC", "--account", "acme-mail", "--db", db}, `dimension,key,conversations,first_response_count,first_response_p50_s,first_response_p90_s,resolution_count,resolution_p50_s,resolution_p90_s,with_sla,within_sla,within_sla_pct,warnings
all,all,1,1,3600,3600,1,10800,10800,1,1,100.0,0
channel,mail,1,1,3600,3600,1,10800,10800,1,1,100.0,0
agent,Ann,1,1,3600,3600,1,10800,10800,1,1,100.0,0
week,2026-W10,1,1,3600,3600,1,10800,10800,1,1,100.0,0
`},
		{"breaches", []string{"sla", "--db", db, "--breaches", "--from", "2026-03-02", "--to", "2026-03-02", "--tz", "UTC"},
			fmt.Sprintf("conversation_id,channel,agent,policy,target,due_at\n%d,vk,Bob,public-comment,first_response,2026-03-02T10:00:00Z\n", comment)},
		{"period before the fixture", []string{"sla", "--from", "2026-02-01", "--to", "2026-03-01", "--tz", "UTC", "--db", db, "--breaches"},
			"conversation_id,channel,agent,policy,target,due_at\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := runReport(context.Background(), Env{Stdout: &out, Stderr: &errb, Now: now}, tt.args)
			if code != ExitOK {
				t.Fatalf("exit %d, stderr %s", code, errb.String())
			}
			if got := strings.ReplaceAll(out.String(), "\r\n", "\n"); got != tt.want {
				t.Fatalf("stdout:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestReportSLARejectsBadInput(t *testing.T) {
	db := filepath.Join(t.TempDir(), "never-created.db")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"bad date", []string{"sla", "--from", "2026-13-01", "--to", "2026-03-07", "--db", db}, `--from "2026-13-01" is not a date`},
		{"european date", []string{"sla", "--from", "2026-03-01", "--to", "07.03.2026", "--db", db}, `--to "07.03.2026" is not a date`},
		{"missing --to", []string{"sla", "--from", "2026-03-01", "--db", db}, "--to is required"},
		{"unknown zone", []string{"sla", "--from", "2026-03-01", "--to", "2026-03-07", "--tz", "Europe/Atlantis", "--db", db}, `--tz "Europe/Atlantis" is not a known time zone`},
		{"reversed period", []string{"sla", "--from", "2026-03-07", "--to", "2026-03-01", "--db", db}, "is not after --from"},
		{"unknown report", []string{"csat", "--from", "2026-03-01", "--to", "2026-03-07", "--db", db}, `unknown report "csat"`},
		{"no report", []string{"--from", "2026-03-01", "--to", "2026-03-07", "--db", db}, "name the report"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := runReport(context.Background(), Env{Stdout: &out, Stderr: &errb, Now: time.Now}, tt.args)
			if code != ExitUsage || !strings.Contains(errb.String(), tt.want) || out.Len() != 0 {
				t.Fatalf("exit %d, stderr %q, stdout %q; want exit 2 and %q", code, errb.String(), out.String(), tt.want)
			}
		})
	}
	// Bad input is rejected before the database is opened (or created).
	if _, err := os.Stat(db); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("database touched by a rejected command: %v", err)
	}
}

// TestReportSLACountsWarnings adds a DM answered after 3h30m: within the default DM
// target of 4h but past its 80% warning share (3h12m), so a warning and no breach.
func TestReportSLACountsWarnings(t *testing.T) {
	db, _ := reportFixture(t)
	ctx := context.Background()
	s, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.EnsureAccount(ctx, inbox.Account{Name: "acme-tg", Channel: inbox.ChannelTelegram})
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	// Stored as it happens, not as history (older than the SLA history horizon when stored).
	s.SetClock(func() time.Time { return day.Add(5 * time.Hour) })
	if _, err := s.SaveItems(ctx, a.ID, []inbox.Item{
		{ExternalID: "d-q", ThreadKey: "d", Kind: inbox.KindDM, Direction: inbox.DirectionIn, Author: inbox.Author{ExternalID: "c2"}, Text: "hi", SentAt: day},
		{ExternalID: "d-a", ThreadKey: "d", Kind: inbox.KindDM, Direction: inbox.DirectionOut, Author: inbox.Author{ExternalID: "Cid", DisplayName: "Cid"}, Text: "hello", SentAt: day.Add(3*time.Hour + 30*time.Minute)},
	}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	var out, errb bytes.Buffer
	now := func() time.Time { return time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC) }
	code := runReport(ctx, Env{Stdout: &out, Stderr: &errb, Now: now},
		[]string{"sla", "--from", "2026-03-02", "--to", "2026-03-02", "--tz", "UTC", "--db", db})
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(strings.ReplaceAll(out.String(), "\r\n", "\n")), "\n")
	want := map[string]string{"all,all": "2,1", "channel,telegram": "1,1", "channel,vk": "0,0", "agent,Cid": "1,1"}
	for _, l := range lines[1:] {
		f := strings.Split(l, ",")
		key := f[0] + "," + f[1]
		if w, ok := want[key]; ok {
			within, warnings := f[10], f[12]
			if within+","+warnings != w {
				t.Errorf("%s: within_sla,warnings = %s,%s, want %s", key, within, warnings, w)
			}
			delete(want, key)
		}
	}
	if len(want) != 0 {
		t.Errorf("rows missing: %v\n%s", want, out.String())
	}

	out.Reset()
	errb.Reset()
	code = runReport(ctx, Env{Stdout: &out, Stderr: &errb, Now: now},
		[]string{"sla", "--from", "2026-03-02", "--to", "2026-03-02", "--account", "nope", "--db", db})
	if code != ExitFailure || !strings.Contains(errb.String(), `--account "nope"`) {
		t.Errorf("unknown account: exit %d, stderr %q", code, errb.String())
	}
}
