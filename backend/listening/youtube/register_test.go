package youtube_test

import (
	"encoding/json"
	"testing"

	yt "github.com/stormdesk/stormdesk/backend/channels/youtube"
	"github.com/stormdesk/stormdesk/backend/channels/youtube/youtubefake"
	"github.com/stormdesk/stormdesk/backend/listening"
	"github.com/stormdesk/stormdesk/backend/listening/listeningtest"
	"github.com/stormdesk/stormdesk/backend/listening/youtube"
)

func TestOpenerSharesTheQuota(t *testing.T) {
	fake := youtubefake.New("UCbrand", []string{key}, nil)
	t.Cleanup(fake.Close)
	fake.AddVideo(youtubefake.Video{ID: "v1", Title: "acme", PublishedAt: t0})
	quota := yt.NewQuota(0, nil)
	open := youtube.Opener(quota)
	src, err := open(listening.Setup{Name: "yt", Settings: json.RawMessage(`{"baseUrl": "` + fake.BaseURL() + `", "watchVideos": 1}`),
		Secrets: map[string]string{"api-key": key}, HTTP: fake.Client()})
	if err != nil {
		t.Fatal(err)
	}
	if p := listeningtest.Search(t, src, listening.Request{Terms: []string{"acme"}}); len(p.Mentions) != 1 {
		t.Fatalf("mentions = %v", p.Mentions)
	}
	if quota.Used() != fake.Units() || quota.Used() < 100 {
		t.Errorf("shared quota counted %d units, the fake %d", quota.Used(), fake.Units())
	}
	if _, err := open(listening.Setup{Name: "yt", Settings: json.RawMessage(`{"channel": "x"}`), Secrets: map[string]string{"api-key": key}}); err == nil {
		t.Error("an unknown setting was accepted")
	}
}
