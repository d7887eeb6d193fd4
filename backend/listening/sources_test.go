package listening_test

import (
	"slices"
	"testing"

	"github.com/stormdesk/stormdesk/backend/listening"
	"github.com/stormdesk/stormdesk/backend/listening/query"
)

// The query package keeps its own list of source names (it cannot import
// this package); source: must accept exactly the sources there are.
func TestQuerySourcesAreTheSources(t *testing.T) {
	want := []string{
		listening.SourceMastodon, listening.SourceBluesky, listening.SourceReddit, listening.SourceHN,
		listening.SourceYouTube, listening.SourceVK, listening.SourceRSS,
	}
	if got := query.Sources(); !slices.Equal(got, want) {
		t.Fatalf("query.Sources() = %q; want %q", got, want)
	}
}
