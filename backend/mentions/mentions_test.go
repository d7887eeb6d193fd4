package mentions

import (
	"reflect"
	"testing"
)

func TestFind(t *testing.T) {
	team := []string{"Ann", "Ann Lee", "Pete Lee", "Jörg", "Дарья", "x"}
	tests := []struct {
		name string
		text string
		want []Span
	}{
		{"none", "no mention here", nil},
		{"plain", "@Ann please look", []Span{{"Ann", 0, 4}}},
		{"longest wins", "ask @Ann Lee today", []Span{{"Ann Lee", 4, 12}}},
		{"shorter when the longer does not follow", "ask @Ann Leeds", []Span{{"Ann", 4, 8}}},
		{"any case", "@pete lee and @ANN", []Span{{"Pete Lee", 0, 9}, {"Ann", 14, 18}}},
		{"not a longer word", "@Annabel is not a member", nil},
		{"punctuation ends a name", "thanks, @Ann!", []Span{{"Ann", 8, 12}}},
		{"unknown names are text", "@Bob and @ann", []Span{{"Ann", 9, 13}}},
		{"e-mail address", "write to ann@Ann.example", nil},
		{"umlaut, other case", "@JÖRG hier", []Span{{"Jörg", 0, 6}}},
		{"cyrillic", "@дарья, посмотри", []Span{{"Дарья", 0, 11}}},
		{"at the end", "cc @Pete Lee", []Span{{"Pete Lee", 3, 12}}},
		{"lone at", "@ @", nil},
		{"twice", "@Ann @Ann", []Span{{"Ann", 0, 4}, {"Ann", 5, 9}}},
		{"one-letter name", "@x y", []Span{{"x", 0, 2}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Find(tc.text, team)
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("Find(%q) = %v, want %v", tc.text, got, tc.want)
			}
			for _, s := range got {
				if tc.text[s.Start] != '@' {
					t.Errorf("span %v does not start at its @", s)
				}
			}
		})
	}
}

func TestNamesOnceInOrder(t *testing.T) {
	got := Names("@Pete Lee, @ann and @Pete lee again", []string{"Ann", "Pete Lee"})
	if want := []string{"Pete Lee", "Ann"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("Names = %v, want %v", got, want)
	}
	if got := Names("@Ann", nil); got != nil {
		t.Fatalf("Names without a team = %v, want none", got)
	}
}
