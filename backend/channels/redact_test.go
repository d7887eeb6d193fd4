package channels

import "testing"

func TestRedact(t *testing.T) {
	tests := []struct {
		in      string
		secrets []string
		want    string
	}{
		{`Get "https://lp.vk.com/wh1?act=a_check&key=SECRET&ts=5": dial tcp: refused`, nil, `Get "https://lp.vk.com/wh1?…": dial tcp: refused`},
		{`Get https://www.googleapis.com/youtube/v3/channels?key=K`, nil, `Get https://www.googleapis.com/youtube/v3/channels?…`},
		{`Post "http://127.0.0.1:9/bot7:AAH-x/getMe": EOF`, []string{"7:AAH-x"}, `Post "http://127.0.0.1:9/bot<token>/getMe": EOF`},
		{"no url here", []string{""}, "no url here"},
	}
	for _, tt := range tests {
		if got := Redact(tt.in, tt.secrets...); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
