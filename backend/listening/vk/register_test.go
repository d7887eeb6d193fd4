package vk_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stormdesk/stormdesk/backend/channels/vk/vkfake"
	"github.com/stormdesk/stormdesk/backend/listening"
	"github.com/stormdesk/stormdesk/backend/listening/listeningtest"
	"github.com/stormdesk/stormdesk/backend/listening/vk"
)

func TestOpen(t *testing.T) {
	fake := vkfake.New(1, token)
	t.Cleanup(fake.Close)
	fake.AddNewsPost(vkfake.NewsPost{ID: 1, OwnerID: 5, Date: t0, Text: "acme"})
	src, err := vk.Open(listening.Setup{Name: "vk", Settings: json.RawMessage(`{"baseUrl": "` + fake.BaseURL() + `", "pageSize": 50}`),
		Secrets: map[string]string{"token": token}, HTTP: fake.Client()})
	if err != nil {
		t.Fatal(err)
	}
	if p := listeningtest.Search(t, src, listening.Request{Terms: []string{"acme"}}); len(p.Mentions) != 1 {
		t.Fatalf("mentions = %v", p.Mentions)
	}
	if _, err := vk.Open(listening.Setup{Name: "vk", Secrets: map[string]string{}}); err == nil || !strings.Contains(err.Error(), "token") {
		t.Errorf("no token: %v", err)
	}
}
