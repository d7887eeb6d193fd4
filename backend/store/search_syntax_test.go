package store

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// Latin diacritics never matter, on either engine, for words, phrases and
// prefixes; and query text that looks like SQL or index syntax (quotes,
// backslashes, placeholders, operators) is only ever searched for.
func TestSearchDiacriticsAndOddCharacters(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	a := mustAccount(t, s, "acme-tg", inbox.ChannelTelegram)
	texts := []string{
		"Café déjà vu at 10:30",                  // 1
		`It's O'Brien's \ backslash ?1 $1 & | !`, // 2
		"A naïve approach to the résumé",         // 3
		"Plain cafe and resume",                  // 4
	}
	for i, text := range texts {
		mustSave(t, s, a.ID, item(fmt.Sprint("m", i+1), fmt.Sprint("th", i+1), inbox.DirectionIn, i, text))
	}
	for _, tt := range []struct {
		query string
		want  []int64
	}{
		{"cafe", []int64{4, 1}},
		{"café", []int64{4, 1}},
		{"naive", []int64{3}},
		{`"deja vu"`, []int64{1}},
		{`"déjà vu"`, []int64{1}},
		{"resu*", []int64{4, 3}},
		{"résu*", []int64{4, 3}},
		{"O'Brien's", []int64{2}},
		{`"o brien"`, []int64{2}},
		{`\`, []int64{}},
		{"?1", []int64{2}}, // the word 1
		{"$1", []int64{2}},
		{"backslash & | !", []int64{2}},
		{`' OR 1=1 --`, []int64{2}}, // 1 OR 1 = 1
		{`"unbalanced`, []int64{}},
		{"*", []int64{}},
	} {
		hits, err := s.Search(ctx, SearchQuery{Text: tt.query})
		if err != nil {
			t.Errorf("Search(%q): %v", tt.query, err)
			continue
		}
		if got := hitIDs(hits); !slices.Equal(got, tt.want) {
			t.Errorf("Search(%q) = %v; want %v", tt.query, got, tt.want)
		}
	}
}
