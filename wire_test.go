package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/cli"
	"github.com/stormdesk/stormdesk/backend/drafts"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/store"
	"github.com/stormdesk/stormdesk/backend/workspace"
)

// The UI reads what Go sends as it is (docs/architecture.md, "The boundary
// between Go and the UI"): every slice an array, every map an object, an unset
// time null (a nil *time.Time), never the zero time, and durations as named
// millisecond integers. TestBoundAnswersAreWhatTheUIReads calls every bound
// method that returns data, on an empty workspace and on the demo, and checks
// each answer's JSON against its Go type.
func TestBoundAnswersAreWhatTheUIReads(t *testing.T) {
	a := NewApp(slog.New(slog.DiscardHandler), cli.BuildInfo{}, filepath.Join(t.TempDir(), "stormdesk.db"), false)
	a.emit = func(context.Context, string, ...any) {}
	ctx, cancel := context.WithCancel(context.Background())
	a.startup(ctx)
	t.Cleanup(func() { cancel(); a.shutdown(context.Background()) })
	if _, err := a.workspace(); err != nil {
		t.Fatalf("workspace: %v", err)
	}

	t.Run("empty", func(t *testing.T) { checkAnswers(t, a) })
	if ok, err := (&AppService{app: a}).LoadDemo(); err != nil || !ok {
		t.Fatalf("LoadDemo = %v, %v", ok, err)
	}
	// The demo's burst raises a crisis alert once the monitor has scanned
	// it; only then are the alert's own answers (BurstGroups) checked.
	deadline := time.Now().Add(90 * time.Second)
	for {
		alerts, err := (&CrisisService{app: a}).Alerts()
		if err == nil && len(alerts) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the demo raised no crisis alert (err %v)", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Run("demo", func(t *testing.T) { checkAnswers(t, a) })
}

// checkAnswers calls every bound method that answers with data, with
// arguments taken from what the workspace holds, and checks each answer.
func checkAnswers(t *testing.T, a *App) {
	inboxSvc, appSvc, accounts := &InboxService{app: a}, &AppService{app: a}, &AccountsService{app: a}
	crisisSvc, compose, library := &CrisisService{app: a}, &ComposeService{app: a}, &ReplyLibraryService{app: a}
	models, sla, authors := &ModelSettingsService{app: a}, &SLAService{app: a}, &AuthorsService{app: a}
	analytics, classify := &AnalyticsService{app: a}, &ClassifyService{app: a}

	check := func(name string, v any, err error) {
		t.Helper()
		if err != nil {
			t.Errorf("%s: %v", name, err)
			return
		}
		checkWire(t, name, v)
	}
	checkTypes(t)

	page, err := inboxSvc.Conversations(ConversationQuery{Limit: 100})
	check("InboxService.Conversations", page, err)
	var convID, authorID int64
	var account string
	for _, c := range page.Items {
		convID, authorID = c.ID, c.Author.ID
	}
	accs, err := inboxSvc.Accounts()
	check("InboxService.Accounts", accs, err)
	for _, ac := range accs {
		account = ac.Name
	}
	v, err := inboxSvc.Search(SearchRequest{Text: "order", Limit: 50})
	check("InboxService.Search", v, err)
	stats, err := inboxSvc.Stats()
	check("InboxService.Stats", stats, err)
	tags, err := inboxSvc.Tags()
	check("InboxService.Tags", tags, err)
	views, err := inboxSvc.SavedViews()
	check("InboxService.SavedViews", views, err)
	people, err := inboxSvc.Assignees()
	check("InboxService.Assignees", people, err)
	mentioned, err := inboxSvc.Mentions()
	check("InboxService.Mentions", mentioned, err)
	info, err := appSvc.Info()
	check("AppService.Info", info, err)
	list, err := accounts.List()
	check("AccountsService.List", list, err)
	check("AccountsService.Channels", accounts.Channels(), nil)
	states, err := crisisSvc.States()
	check("CrisisService.States", states, err)
	alerts, err := crisisSvc.Alerts()
	check("CrisisService.Alerts", alerts, err)
	in, err := crisisSvc.InCrisis()
	check("CrisisService.InCrisis", in, err)
	check("CrisisService.Groups", crisisSvc.Groups(nil), nil)
	queue, err := compose.ApprovalQueue()
	check("ComposeService.ApprovalQueue", queue, err)
	policy, err := compose.ApprovalPolicy()
	check("ComposeService.ApprovalPolicy", policy, err)
	check("ComposeService.Me", compose.Me(), nil)
	canned, err := library.Canned("")
	check("ReplyLibraryService.Canned", canned, err)
	kb, err := library.KB("")
	check("ReplyLibraryService.KB", kb, err)
	brands, err := library.Brands()
	check("ReplyLibraryService.Brands", brands, err)
	llm, err := models.LLM()
	check("ModelSettingsService.LLM", llm, err)
	sm, err := models.SentimentModel()
	check("ModelSettingsService.SentimentModel", sm, err)
	pol, err := sla.Policies()
	check("SLAService.Policies", pol, err)
	req := workspace.AnalyticsRequest{Days: 30, TimeZone: "UTC"}
	over, err := analytics.Overview(req)
	check("AnalyticsService.Overview", over, err)
	span, err := analytics.Span(0, "UTC")
	check("AnalyticsService.Span", span, err)
	status, err := classify.Status()
	check("ClassifyService.Status", status, err)
	members, err := (&TeamService{app: a}).Members()
	check("TeamService.Members", members, err)

	for _, st := range states {
		series, err := crisisSvc.Series(st.Key.Account, st.Key.Channel)
		check("CrisisService.Series", series, err)
	}
	for _, al := range alerts {
		groups, err := crisisSvc.BurstGroups(al.Key.Account, al.Start.Format(time.RFC3339), al.DetectedAt.Format(time.RFC3339), al.WindowMs)
		check("CrisisService.BurstGroups", groups, err)
	}
	if account != "" {
		tl, err := crisisSvc.Timeline(account)
		check("CrisisService.Timeline", tl, err)
		ids, err := crisisSvc.SampleConversations(account, nil)
		check("CrisisService.SampleConversations", ids, err)
	}
	for _, c := range page.Items {
		replies, err := compose.Replies(c.ID)
		check("ComposeService.Replies", replies, err)
		for _, r := range replies {
			audit, err := compose.Audit(r.ID)
			check("ComposeService.Audit", audit, err)
		}
	}
	if convID != 0 {
		// A fresh draft (the offline template: no LLM is configured) and its
		// submission put a reply in every state the queue shows.
		r, err := compose.Draft(convID, "")
		check("ComposeService.Draft", r, err)
		if err == nil {
			r, err = compose.Step(ComposeStep{ReplyID: r.ID, Action: "submit"})
			check("ComposeService.Step", r, err)
			queue, err := compose.ApprovalQueue()
			check("ComposeService.ApprovalQueue", queue, err)
			audit, err := compose.Audit(r.ID)
			check("ComposeService.Audit", audit, err)
		}
		// A WhatsApp conversation of the demo: its templates, and a template reply.
		wa, err := inboxSvc.Conversations(ConversationQuery{Limit: 1, Channel: inbox.ChannelWhatsApp})
		check("InboxService.Conversations", wa, err)
		for _, c := range wa.Items {
			tpls, err := compose.Templates(c.ID)
			check("ComposeService.Templates", tpls, err)
			for _, tp := range tpls[:min(1, len(tpls))] {
				vals := func(n int) []string { return slices.Repeat([]string{"x"}, n) }
				r, err := compose.DraftTemplate(c.ID, drafts.ReplyTemplate{Name: tp.Name, Language: tp.Language, Header: vals(tp.HeaderVars), Body: vals(tp.BodyVars)})
				check("ComposeService.DraftTemplate", r, err)
			}
		}
		out, err := authors.Moderate(workspace.AuthorModeration{AuthorID: authorID, Kind: "warning", Reason: "wire check"})
		check("AuthorsService.Moderate", out, err)
		th, err := inboxSvc.Thread(convID)
		check("InboxService.Thread", th, err)
		c, err := inboxSvc.AddTag(convID, "wire-check")
		check("InboxService.AddTag", c, err)
		c, err = inboxSvc.RemoveTag(convID, "wire-check")
		check("InboxService.RemoveTag", c, err)
		tr, err := inboxSvc.Triage([]int64{convID}, TriageRequest{Action: "pending"})
		check("InboxService.Triage", tr, err)
		undone, err := inboxSvc.Undo(tr.UndoID)
		check("InboxService.Undo", undone, err)
		note, err := inboxSvc.AddNote(convID, "checked")
		check("InboxService.AddNote", note, err)
		if err == nil {
			_ = inboxSvc.DeleteNote(note.ID)
		}
		view, err := inboxSvc.SaveView("wire "+fmt.Sprint(convID), store.ViewFilters{Base: "all", Order: store.OrderNewest})
		check("InboxService.SaveView", view, err)
		if err == nil {
			_ = inboxSvc.DeleteView(view.ID)
		}
	}
	if authorID != 0 {
		p, err := authors.Profile(authorID)
		check("AuthorsService.Profile", p, err)
	}
}

// checkTypes fails for a time.Duration anywhere in what a bound method
// returns: the UI counts milliseconds, so Go names them (fooMs int64).
func checkTypes(t *testing.T) {
	t.Helper()
	a := NewApp(slog.New(slog.DiscardHandler), cli.BuildInfo{}, "", false)
	seen := map[reflect.Type]bool{}
	var walk func(path string, ty reflect.Type)
	walk = func(path string, ty reflect.Type) {
		if ty == reflect.TypeFor[time.Duration]() {
			t.Errorf("%s is a time.Duration; send milliseconds in an int64 field named …Ms", path)
		}
		if seen[ty] {
			return
		}
		seen[ty] = true
		switch ty.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
			walk(path+"[]", ty.Elem())
		case reflect.Struct:
			for f := range wireFields(ty) {
				walk(path+"."+f.name, f.Type)
			}
		}
	}
	for _, s := range a.services() {
		ty := reflect.TypeOf(s)
		for i := range ty.NumMethod() {
			m := ty.Method(i)
			for o := range m.Type.NumOut() {
				walk(ty.Elem().Name()+"."+m.Name, m.Type.Out(o))
			}
		}
	}
}

type wireField struct {
	reflect.StructField
	name string
}

// wireFields yields the fields encoding/json writes for ty, with their JSON
// names; embedded structs' fields are yielded as their own.
func wireFields(ty reflect.Type) func(yield func(wireField) bool) {
	return func(yield func(wireField) bool) {
		for i := range ty.NumField() {
			f := ty.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" || (!f.IsExported() && !f.Anonymous) {
				continue
			}
			if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
				for g := range wireFields(f.Type) {
					if !yield(g) {
						return
					}
				}
				continue
			}
			if name == "" {
				name = f.Name
			}
			if !yield(wireField{f, name}) {
				return
			}
		}
	}
}

// checkWire marshals v as the bridge does and walks the JSON along v's type.
func checkWire(t *testing.T, name string, v any) {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Errorf("%s: marshal: %v", name, err)
		return
	}
	var doc any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Errorf("%s: unmarshal: %v", name, err)
		return
	}
	for _, p := range wireProblems(name, reflect.TypeOf(v), doc) {
		t.Error(p)
	}
}

var (
	timeType = reflect.TypeFor[time.Time]()
	rawType  = reflect.TypeFor[json.RawMessage]()
)

// wireProblems lists where the JSON doc, marshalled from a value of type ty,
// is not what the UI reads.
func wireProblems(path string, ty reflect.Type, doc any) []string {
	switch {
	case ty == timeType:
		if s, _ := doc.(string); strings.HasPrefix(s, "0001-01-01") {
			return []string{path + ": the zero time; an unset time is a nil *time.Time (null)"}
		}
		return nil
	case ty == rawType:
		return nil
	}
	switch ty.Kind() {
	case reflect.Pointer:
		if doc == nil {
			if ty.Elem() == timeType {
				return nil
			}
			return []string{path + ": null for a pointer to " + ty.Elem().String()}
		}
		return wireProblems(path, ty.Elem(), doc)
	case reflect.Interface:
		return nil
	case reflect.Slice, reflect.Array:
		if ty.Elem().Kind() == reflect.Uint8 {
			return nil
		}
		list, ok := doc.([]any)
		if !ok {
			return []string{fmt.Sprintf("%s: %v for a %s; send an empty list", path, doc, ty)}
		}
		var out []string
		for i, e := range list {
			out = append(out, wireProblems(fmt.Sprintf("%s[%d]", path, i), ty.Elem(), e)...)
		}
		return out
	case reflect.Map:
		m, ok := doc.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: %v for a %s; send an empty object", path, doc, ty)}
		}
		var out []string
		for k, e := range m {
			out = append(out, wireProblems(path+"."+k, ty.Elem(), e)...)
		}
		return out
	case reflect.Struct:
		m, ok := doc.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: %v for a %s", path, doc, ty)}
		}
		var out []string
		for f := range wireFields(ty) {
			e, present := m[f.name]
			if !present {
				out = append(out, path+"."+f.name+": missing (omitempty); send every field")
				continue
			}
			out = append(out, wireProblems(path+"."+f.name, f.Type, e)...)
		}
		return out
	}
	return nil
}
