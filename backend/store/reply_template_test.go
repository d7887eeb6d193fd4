package store

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/drafts"
)

// A template reply keeps its template, language and ordered values through
// every read the app makes of it: the reply itself, the approval queue and
// the outbox, on both engines (STORMDESK_TEST_ENGINE=postgres).
func TestReplyTemplateRoundTrip(t *testing.T) {
	ctx := context.Background()
	s, conv := replyFixture(t)
	tpl := drafts.ReplyTemplate{Name: "order_update", Language: "de", Header: []string{}, Body: []string{"Jörg", "Mittwoch", "{{2}} literal"},
		Buttons: []channels.TemplateButton{{Index: 1, Text: "A-1?x=1&y=2"}},
		Media:   channels.TemplateMedia{Format: "document", Link: "https://example.com/invoice.pdf", Filename: "Rechnung A-1.pdf"}}
	d := drafts.Draft{Text: "Hallo Jörg, Ihr Paket kommt Mittwoch.", Lang: "de", Source: drafts.SourceTemplate}
	r, e, err := drafts.NewReply("rt-1", conv, d, agent, false, rt0)
	if err != nil {
		t.Fatal(err)
	}
	r.Template = tpl
	if err := s.CreateReply(ctx, r, e); err != nil {
		t.Fatal(err)
	}
	plain := newStoredReply(t, s, "rt-2", conv, false)

	got, err := s.ReplyByID(ctx, "rt-1")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Template, tpl) || got.Source != drafts.SourceTemplate {
		t.Fatalf("stored template %+v (source %q), want %+v", got.Template, got.Source, tpl)
	}
	if p, _ := s.ReplyByID(ctx, plain.ID); p.IsTemplate() || p.Template.Header == nil || p.Template.Body == nil {
		t.Fatalf("plain reply reads as template %+v (values must be empty lists, not null, for the page)", p.Template)
	}

	step := func(who drafts.Actor, a drafts.Action, at time.Time) {
		t.Helper()
		if _, err := s.ApplyReplyStep(ctx, "rt-1", func(r drafts.Reply) (drafts.Reply, drafts.AuditEntry, error) {
			return drafts.Apply(r, who, drafts.Step{Action: a, Text: r.Text}, at)
		}); err != nil {
			t.Fatalf("%s: %v", a, err)
		}
	}
	step(agent, drafts.ActionSubmit, rt0.Add(time.Minute))
	queue, err := s.PendingApprovals(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(queue) != 1 || !reflect.DeepEqual(queue[0].Reply.Template, tpl) {
		t.Fatalf("approval queue %+v, want the template reply with its template", queue)
	}
	step(approver, drafts.ActionApprove, rt0.Add(2*time.Minute))
	step(approver, drafts.ActionQueue, rt0.Add(3*time.Minute))
	due, err := s.ClaimOutbox(ctx, rt0.Add(4*time.Minute), 10, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if len(due) != 1 || !reflect.DeepEqual(due[0].Reply.Template, tpl) {
		t.Fatalf("outbox %+v, want the template reply with its template", due)
	}
}

// The text of a template reply cannot be edited: the template is what goes out.
func TestReplyTemplateTextIsFixed(t *testing.T) {
	r, _, err := drafts.NewReply("x", 1, drafts.Draft{Text: "Hallo", Source: drafts.SourceTemplate}, agent, false, rt0)
	if err != nil {
		t.Fatal(err)
	}
	r.Template = drafts.ReplyTemplate{Name: "hello", Language: "de"}
	if _, _, err := drafts.Apply(r, agent, drafts.Step{Action: drafts.ActionEdit, Text: "Hallo!"}, rt0); err == nil {
		t.Fatal("edited a template reply's text")
	}
	for _, a := range drafts.Allowed(r, agent, drafts.ModeSingle) {
		if a == drafts.ActionEdit {
			t.Fatal("edit offered on a template reply")
		}
	}
}

// A template reply stored before buttons and media were kept has only
// {"header", "body"} in template_params: it reads as a template with no
// buttons and no media (empty lists, not null), so the outbox sends it as
// it was approved.
func TestReplyTemplateOldStoredShape(t *testing.T) {
	ctx := context.Background()
	s, conv := replyFixture(t)
	r, e, err := drafts.NewReply("rt-old", conv, drafts.Draft{Text: "Booking AB12", Lang: "en", Source: drafts.SourceTemplate}, agent, false, rt0)
	if err != nil {
		t.Fatal(err)
	}
	r.Template = drafts.ReplyTemplate{Name: "refund_update", Language: "en_US", Header: []string{"x"}, Body: []string{"y"}}
	if err := s.CreateReply(ctx, r, e); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE replies SET template_params = '{"header":["AB12"],"body":["Olga","€120"]}' WHERE id = 'rt-old'`); err != nil {
		t.Fatal(err)
	}
	got, err := s.ReplyByID(ctx, "rt-old")
	if err != nil {
		t.Fatal(err)
	}
	want := drafts.ReplyTemplate{Name: "refund_update", Language: "en_US", Header: []string{"AB12"}, Body: []string{"Olga", "€120"}, Buttons: []channels.TemplateButton{}}
	if !reflect.DeepEqual(got.Template, want) {
		t.Fatalf("old stored template reads as %+v, want %+v", got.Template, want)
	}
}

// A reply stored with URL buttons and a media header but before buttons
// had a type ({"index","text"}) and places were kept reads with an empty
// type, sent as sub_type url, and a place of zero values; one stored now
// keeps a copy code's type and a location header's place.
func TestReplyTemplateButtonTypeAndPlaceStored(t *testing.T) {
	ctx := context.Background()
	s, conv := replyFixture(t)
	for i, tc := range []struct {
		params string
		tpl    drafts.ReplyTemplate
	}{
		{`{"header":[],"body":["Olga"],"buttons":[{"index":1,"text":"AB12"}],"media":{"format":"document","link":"https://cdn.example/a.pdf","filename":"a.pdf"}}`,
			drafts.ReplyTemplate{Name: "t", Language: "en", Header: []string{}, Body: []string{"Olga"}, Buttons: []channels.TemplateButton{{Index: 1, Text: "AB12"}},
				Media: channels.TemplateMedia{Format: "document", Link: "https://cdn.example/a.pdf", Filename: "a.pdf"}}},
		{"", drafts.ReplyTemplate{Name: "t", Language: "en", Header: []string{}, Body: []string{"Olga"}, Buttons: []channels.TemplateButton{{Index: 0, Type: "copy_code", Text: "SPRING20"}},
			Media: channels.TemplateMedia{Format: "location", Latitude: -33.8688, Longitude: 151.2093, Name: "Sydney desk", Address: "Airport Dr"}}},
	} {
		id := fmt.Sprintf("rt-shape-%d", i)
		r, e, err := drafts.NewReply(id, conv, drafts.Draft{Text: "x", Lang: "en", Source: drafts.SourceTemplate}, agent, false, rt0)
		if err != nil {
			t.Fatal(err)
		}
		r.Template = tc.tpl
		if err := s.CreateReply(ctx, r, e); err != nil {
			t.Fatal(err)
		}
		if tc.params != "" {
			if _, err := s.db.ExecContext(ctx, `UPDATE replies SET template_params = '`+tc.params+`' WHERE id = '`+id+`'`); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.ReplyByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.Template, tc.tpl) {
			t.Fatalf("%s reads as %+v, want %+v", id, got.Template, tc.tpl)
		}
		if b := got.Template.Buttons[0]; tc.params != "" && b.SubType() != "url" {
			t.Fatalf("an untyped stored button is sent as %q, want url", b.SubType())
		}
	}
}
