package listening

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestSetupDecodeSettings(t *testing.T) {
	var st struct {
		BaseURL string `json:"baseUrl"`
	}
	s := Setup{Name: "news", Settings: json.RawMessage(`{"baseUrl": "u"}`)}
	if err := s.DecodeSettings(&st); err != nil || st.BaseURL != "u" {
		t.Fatalf("%v %v", st, err)
	}
	s.Settings = json.RawMessage(`{"baseUri": "u"}`)
	if err := s.DecodeSettings(&st); err == nil || !strings.Contains(err.Error(), "news") {
		t.Fatalf("unknown field: %v; want an error naming the source", err)
	}
	s.Settings = nil
	if err := s.DecodeSettings(&st); err != nil || st.BaseURL != "u" {
		t.Fatalf("empty settings: %v %v; want v left as it was", st, err)
	}
}
