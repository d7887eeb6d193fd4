package workspace

import (
	"slices"
	"testing"

	"github.com/stormdesk/stormdesk/backend/listening/query"
)

func TestListeningKindInfos(t *testing.T) {
	infos := ListeningKindInfos()
	var kinds []string
	for _, in := range infos {
		kinds = append(kinds, in.Kind)
	}
	want := query.Sources()
	slices.Sort(kinds)
	slices.Sort(want)
	if !slices.Equal(kinds, want) {
		t.Fatalf("kinds %v, want every source %v", kinds, want)
	}
	field := func(kind, name string) (ListeningSettingField, bool) {
		for _, in := range infos {
			if in.Kind != kind {
				continue
			}
			for _, f := range in.Fields {
				if f.Name == name {
					return f, true
				}
			}
		}
		return ListeningSettingField{}, false
	}
	tests := []struct {
		kind, name, typ string
		optional        bool
	}{
		{"rss", "url", "text", true},
		{"mastodon", "baseUrl", "text", false},
		{"mastodon", "hashtags", "list", true},
		{"reddit", "subreddits", "list", true},
		{"youtube", "maxPages", "number", true},
		{"bluesky", "identifier", "text", false},
	}
	for _, tt := range tests {
		f, ok := field(tt.kind, tt.name)
		if !ok || f.Type != tt.typ || f.Optional != tt.optional {
			t.Errorf("%s.%s = %+v (found %v), want type %s optional %v", tt.kind, tt.name, f, ok, tt.typ, tt.optional)
		}
	}
	for _, in := range infos {
		if in.Kind == "bluesky" && (len(in.Secrets) != 1 || in.Secrets[0].Name != "app-password" || !in.Secrets[0].Required) {
			t.Errorf("bluesky secrets %+v", in.Secrets)
		}
	}
}
