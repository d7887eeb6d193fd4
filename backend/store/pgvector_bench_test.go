package store

import (
	"testing"

	"github.com/stormdesk/stormdesk/backend/textsearch"
)

// BenchmarkPGVector is the Go side of a message's search column on
// PostgreSQL: folding and building the tsvector of a typical message.
func BenchmarkPGVector(b *testing.B) {
	an := textsearch.NewAnalyzer()
	subj := "Re: Where is my refund for booking XK7Q2?"
	text := "Hello, my flight SU1402 was delayed by 5 hours and I still have no refund. Wo ist meine Rückerstattung? Где мои деньги? Please answer today, this is the third time I write."
	stems := pgFoldCase(messageStems(an, subj, text))
	fs, ft := pgFoldWords(subj), pgFoldWords(text)
	var v pgVectorBuilder
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := v.build(fs, ft, stems); !ok {
			b.Fatal("declined")
		}
	}
}
