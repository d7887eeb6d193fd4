package rss_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stormdesk/stormdesk/backend/listening"
	"github.com/stormdesk/stormdesk/backend/listening/listeningtest"
	"github.com/stormdesk/stormdesk/backend/listening/rss"
	"github.com/stormdesk/stormdesk/backend/listening/rss/rssfake"
)

func TestOpen(t *testing.T) {
	fake := rssfake.New()
	t.Cleanup(fake.Close)
	fake.SetFeed("/public", rssfake.Feed{Body: feed(item("p1", "https://news.example/p1", "public"))})
	fake.SetFeed("/private", rssfake.Feed{Body: feed(item("s1", "https://news.example/s1", "private"))})
	setup := func(settings string, secrets map[string]string) listening.Setup {
		return listening.Setup{Name: "news", Settings: json.RawMessage(settings), Secrets: secrets, HTTP: fake.Client()}
	}
	for _, c := range []struct {
		name, settings string
		secrets        map[string]string
		want           string
	}{
		{"address in the settings", `{"url": "` + fake.URL + `/public"}`, nil, "#p1"},
		{"private address as a secret", `{}`, map[string]string{"url": fake.URL + "/private?key=s3cret"}, "#s1"},
	} {
		src, err := rss.Open(setup(c.settings, c.secrets))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		p := listeningtest.Search(t, src, listening.Request{})
		if ids := listeningtest.IDs(p.Mentions); len(ids) != 1 || !strings.HasSuffix(ids[0], c.want) || src.Name() != listening.SourceRSS {
			t.Errorf("%s: %v", c.name, ids)
		}
	}
	_, err := rss.Open(setup(`{"url": "https://x.example/feed", "interval": 5}`, nil))
	if err == nil || !strings.Contains(err.Error(), "news") || !strings.Contains(err.Error(), "interval") {
		t.Errorf("unknown setting: %v", err)
	}
	_, err = rss.Open(setup(`{}`, map[string]string{"url": "ftp://x.example/feed?key=s3cret"}))
	if err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("bad secret address: %v, want an error that does not show the token", err)
	}
}
