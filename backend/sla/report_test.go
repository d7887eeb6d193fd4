package sla

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// reportSet is hand-computed: first responses 10..50 min, three resolutions, one breach.
func reportSet() []ReportInput {
	w23 := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	w24 := time.Date(2026, 6, 8, 9, 0, 0, 0, time.UTC)
	conv := func(id int64, ch inbox.ChannelKind, agent, responder string, opened time.Time, frt time.Duration, res time.Duration, breaches ...Breach) ReportInput {
		r := Result{Policy: "p", OpenedAt: opened, FirstResponseAt: tp(opened.Add(frt)), FirstResponseTime: frt, FirstResponder: responder, HasTarget: true, Breaches: breaches}
		if res > 0 {
			r.ResolvedAt, r.ResolutionTime = tp(opened.Add(res)), res
		}
		return ReportInput{ConversationID: id, Channel: ch, Agent: agent, Result: r}
	}
	warned := func(in ReportInput) ReportInput { in.Warned = true; return in }
	return []ReportInput{
		conv(1, inbox.ChannelVK, "anna", "anna", w23, 10*m, h),
		warned(conv(2, inbox.ChannelVK, "anna", "anna", w23.Add(h), 20*m, 3*h)),
		conv(3, inbox.ChannelVK, "", "boris", w23.Add(2*h), 30*m, 0),
		conv(4, inbox.ChannelMail, "", "", w23.Add(3*h), 40*m, 2*h),
		// Warned and breached: the breach wins, so it is no warning.
		warned(conv(5, inbox.ChannelMail, "anna", "anna", w24, 50*m, 0, Breach{Target: TargetFirstResponse, At: w24.Add(30 * m)})),
		// Opened before the period: left out.
		conv(6, inbox.ChannelMail, "anna", "anna", w23.Add(-48*time.Hour), 5*h, 0, Breach{Target: TargetFirstResponse, At: w23}),
	}
}

func TestBuildReport(t *testing.T) {
	from, to := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 6, 15, 0, 0, 0, 0, time.UTC)
	r := BuildReport(reportSet(), from, to)
	// n=5: p50 is rank ceil(2.5)=3, p90 rank ceil(4.5)=5.
	if r.Total.Conversations != 5 || r.Total.FirstResponse != (Stats{5, 30 * m, 50 * m}) || r.Total.Resolution != (Stats{3, 2 * h, 3 * h}) {
		t.Errorf("total %+v", r.Total)
	}
	if r.Total.Warnings != 1 || r.Total.Breached() != 1 {
		t.Errorf("warnings %d, breached %d; want 1 and 1", r.Total.Warnings, r.Total.Breached())
	}
	if r.Total.WithinPct() != 80 {
		t.Errorf("within %.1f%%, want 80%%", r.Total.WithinPct())
	}
	wantCh := []Group{
		{Dimension: "channel", Key: "mail", Conversations: 2, FirstResponse: Stats{2, 40 * m, 50 * m}, Resolution: Stats{1, 2 * h, 2 * h}, WithSLA: 2, WithinSLA: 1},
		{Dimension: "channel", Key: "vk", Conversations: 3, FirstResponse: Stats{3, 20 * m, 30 * m}, Resolution: Stats{2, h, 3 * h}, WithSLA: 3, WithinSLA: 3, Warnings: 1},
	}
	if len(r.ByChannel) != 2 || r.ByChannel[0] != wantCh[0] || r.ByChannel[1] != wantCh[1] {
		t.Errorf("by channel %+v", r.ByChannel)
	}
	var keys []string
	for _, g := range r.ByAgent {
		keys = append(keys, g.Key)
	}
	if len(keys) != 3 || keys[0] != "(none)" || keys[1] != "anna" || keys[2] != "boris" {
		t.Errorf("agents %v", keys)
	}
	if len(r.ByWeek) != 2 || r.ByWeek[0].Key != "2026-W23" || r.ByWeek[0].Conversations != 4 || r.ByWeek[1].Key != "2026-W24" {
		t.Errorf("weeks %+v", r.ByWeek)
	}
	if len(r.Breaches) != 1 || r.Breaches[0].ConversationID != 5 || r.Breaches[0].Agent != "anna" {
		t.Errorf("breaches %+v", r.Breaches)
	}
}

func TestWriteCSV(t *testing.T) {
	r := BuildReport(reportSet(), time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 6, 15, 0, 0, 0, 0, time.UTC))
	var buf bytes.Buffer
	if err := WriteCSV(&buf, r); err != nil {
		t.Fatal(err)
	}
	want := `dimension,key,conversations,first_response_count,first_response_p50_s,first_response_p90_s,resolution_count,resolution_p50_s,resolution_p90_s,with_sla,within_sla,within_sla_pct,warnings
all,all,5,5,1800,3000,3,7200,10800,5,4,80.0,1
channel,mail,2,2,2400,3000,1,7200,7200,2,1,50.0,0
channel,vk,3,3,1200,1800,2,3600,10800,3,3,100.0,1
agent,(none),1,1,2400,2400,1,7200,7200,1,1,100.0,0
agent,anna,3,3,1200,3000,2,3600,10800,3,2,66.7,1
agent,boris,1,1,1800,1800,0,0,0,1,1,100.0,0
week,2026-W23,4,4,1200,2400,3,7200,10800,4,4,100.0,1
week,2026-W24,1,1,3000,3000,0,0,0,1,0,0.0,0
`
	if buf.String() != want {
		t.Errorf("csv:\n%s\nwant:\n%s", buf.String(), want)
	}
	buf.Reset()
	if err := WriteBreachesCSV(&buf, r); err != nil {
		t.Fatal(err)
	}
	if want := "conversation_id,channel,agent,policy,target,due_at\n5,mail,anna,p,first_response,2026-06-08T09:30:00Z\n"; buf.String() != want {
		t.Errorf("breaches csv:\n%s\nwant:\n%s", buf.String(), want)
	}
	if err := WriteCSV(failWriter{}, r); err == nil {
		t.Error("write error was swallowed")
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// TestEngineWarned replays conversations under the "fast" policy (first response 1h,
// resolution 4h, warning at 80%: 48m and 3h12m) and the "crisis" policy (15m, 2h,
// warning at 50%).
func TestEngineWarned(t *testing.T) {
	e := mustEngine(t, testSet())
	t0 := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	comment := func(evs ...Event) Conversation {
		return Conversation{Channel: inbox.ChannelVK, Kind: inbox.KindComment, Status: inbox.StatusOpen, Events: evs}
	}
	closed := func(c Conversation) Conversation { c.Status = inbox.StatusClosed; return c }
	tests := []struct {
		name string
		conv Conversation
		now  time.Time
		want bool
	}{
		{"answered early, closed early", closed(comment(in(t0), out(t0.Add(10*m)), status(t0.Add(h), inbox.StatusClosed))), t0.Add(5 * h), false},
		{"answered at 50m: past 48m, within 1h", comment(in(t0), out(t0.Add(50*m))), t0.Add(2 * h), true},
		{"answered exactly at 48m", comment(in(t0), out(t0.Add(48*m))), t0.Add(time.Hour), false},
		{"answered late: a breach, not a warning", comment(in(t0), out(t0.Add(70*m))), t0.Add(2 * h), false},
		{"resolved at 3h30m", closed(comment(in(t0), out(t0.Add(5*m)), status(t0.Add(3*h+30*m), inbox.StatusClosed))), t0.Add(5 * h), true},
		{"waiting, 55m in: warning now", comment(in(t0)), t0.Add(55 * m), true},
		{"waiting, 30m in", comment(in(t0)), t0.Add(30 * m), false},
		{"crisis: answered at 10m of 15m, warn share 50%", func() Conversation {
			c := comment(in(t0), out(t0.Add(10*m)))
			c.Crisis = true
			return c
		}(), t0.Add(h), true},
		{"no inbound message", comment(out(t0)), t0.Add(h), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.Evaluate(tt.conv, tt.now)
			if got := e.Warned(r); got != tt.want {
				t.Errorf("Warned = %v, want %v (result %+v)", got, tt.want, r)
			}
		})
	}
}
