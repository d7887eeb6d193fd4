package workspace

import (
	"context"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/demo"
	"github.com/stormdesk/stormdesk/backend/drafts"
)

func TestDemoSeedsBrandVoicesWithDomains(t *testing.T) {
	ctx := context.Background()
	ws := openWS(t)
	// A profile the user saved before the demo arrived stays theirs.
	mine := drafts.Brand{Name: "Aurora Air", Tone: "my own tone"}
	if err := ws.SaveBrand(mine); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.SeedDemoIfEmpty(ctx, time.Now(), "me"); err != nil {
		t.Fatal(err)
	}
	got := map[string]drafts.Brand{}
	list, err := ws.Brands(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range list {
		got[b.Name] = b
	}
	if b := got[demo.BurstBrand]; b.Domain != drafts.DomainTelecom || b.DefaultLang != drafts.LangRU || b.Tone == "" {
		t.Errorf("%s profile = %+v, want a Russian telecom voice", demo.BurstBrand, b)
	}
	if b := got["Nordlicht Bahn"]; b.Domain != drafts.DomainTravel || b.DefaultLang != drafts.LangDE {
		t.Errorf("Nordlicht Bahn profile = %+v, want a German travel voice", b)
	}
	if b := got["Aurora Air"]; b.Tone != mine.Tone || b.Domain != "" {
		t.Errorf("the user's own profile was replaced: %+v", b)
	}
	if err := ws.SaveBrand(drafts.Brand{Name: "Acme", Domain: "banking"}); err == nil {
		t.Error("an unknown brand domain was accepted")
	}
}
