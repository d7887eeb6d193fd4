package ingest

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// unsafeHTML returns why sanitized HTML could run script or load something
// remote in the webview, or nil. It reads the output the way a browser's
// tokenizer does, so text that merely mentions "javascript:" or "onclick="
// is not mistaken for markup.
func unsafeHTML(h string, allowRemote bool) error {
	if !utf8.ValidString(h) {
		return errors.New("not valid UTF-8")
	}
	if strings.Contains(strings.ToLower(h), "<script") {
		return errors.New("contains <script")
	}
	z := html.NewTokenizer(strings.NewReader(h))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			if errors.Is(z.Err(), io.EOF) {
				return nil
			}
			return z.Err()
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken && tt != html.EndTagToken {
			continue
		}
		tok := z.Token()
		switch tok.Data {
		case "script", "style", "iframe", "frame", "object", "embed", "svg", "math", "base", "link", "meta",
			"form", "input", "picture", "source", "video", "audio", "image":
			return fmt.Errorf("element <%s> kept", tok.Data)
		}
		for _, a := range tok.Attr {
			key := strings.ToLower(a.Key)
			val := strings.ToLower(strings.Map(func(r rune) rune {
				if r <= ' ' || r == 0x7f {
					return -1 // browsers ignore these inside a URL scheme
				}
				return r
			}, a.Val))
			switch {
			case strings.HasPrefix(key, "on"):
				return fmt.Errorf("event handler %s=%q kept", a.Key, a.Val)
			case key == "style" || key == "srcset" || key == "background" || key == "poster" || key == "lowsrc" || key == "dynsrc":
				return fmt.Errorf("attribute %s=%q kept on <%s>", a.Key, a.Val, tok.Data)
			case strings.Contains(val, "javascript:") || strings.Contains(val, "vbscript:"):
				return fmt.Errorf("script URL %s=%q kept on <%s>", a.Key, a.Val, tok.Data)
			case key == "src" && tok.Data != "img":
				return fmt.Errorf("src kept on <%s>", tok.Data)
			case key == "src" && strings.HasPrefix(val, "data:"):
				if !inlineRaster(val) || len(a.Val) > maxDataURIBytes+5 {
					return fmt.Errorf("data URI %.40q kept", a.Val)
				}
			case key == "src" && !allowRemote:
				return fmt.Errorf("remote image %q kept", a.Val)
			case key == "src" && !(strings.HasPrefix(val, "http://") || strings.HasPrefix(val, "https://") || strings.HasPrefix(val, "//")):
				return fmt.Errorf("image source %q kept", a.Val)
			}
		}
	}
}

func inlineRaster(val string) bool {
	for _, typ := range []string{"png", "jpeg", "gif", "webp"} {
		if strings.HasPrefix(val, "data:image/"+typ+";base64,") {
			return true
		}
	}
	return false
}

// checkSanitized applies the properties every sanitized output must have.
func checkSanitized(t *testing.T, s *Sanitizer, in string, allowRemote bool) string {
	t.Helper()
	out := s.Sanitize(in, allowRemote)
	if err := unsafeHTML(out, allowRemote); err != nil {
		t.Fatalf("Sanitize(%q, remote=%v) = %q: %v", in, allowRemote, out, err)
	}
	if again := s.Sanitize(out, allowRemote); again != out {
		t.Fatalf("sanitizing again changed the output:\nin:    %q\nonce:  %q\ntwice: %q", in, out, again)
	}
	return out
}

// pixel is an inline PNG as the mail parser makes it from a cid: part.
const pixel = "data:image/png;base64,iVBORw0KGgowMDAwSUhEUg=="

func TestSanitizeRemoteImages(t *testing.T) {
	s := NewSanitizer()
	tests := []struct {
		name string
		in   string
		gone string // must not appear in the strict output
	}{
		{"https img", `<p>Hi<img src="https://t.example/p.gif" alt="logo"></p>`, "t.example"},
		{"http img upper case", `<IMG SRC="HTTP://t.example/p.gif">`, "t.example"},
		{"protocol-relative img", `<img src="//t.example/p.gif">`, "t.example"},
		{"spaced scheme", `<img src="  https://t.example/p.gif">`, "t.example"},
		{"srcset", `<img srcset="https://t.example/a.png 1x, https://t.example/b.png 2x" src="` + pixel + `">`, "t.example"},
		{"css url in style", `<div style="background:url(https://t.example/bg.png)">x</div>`, "t.example"},
		{"css escaped url", `<div style="background:u\72l('//t.example/bg.png')">x</div>`, "t.example"},
		{"background attribute", `<table background="https://t.example/bg.png"><tr><td background="//t.example/c.png">x</td></tr></table>`, "t.example"},
		{"picture and source", `<picture><source srcset="https://t.example/a.webp"><img src="https://t.example/a.png"></picture>`, "t.example"},
		{"video poster", `<video poster="https://t.example/p.png" src="https://t.example/v.mp4"></video>`, "t.example"},
		{"svg image", `<svg><image href="https://t.example/i.png"/></svg>`, "t.example"},
		{"style element import", `<style>@import url(https://t.example/s.css); body{background:url(//t.example/b.png)}</style><p>x</p>`, "t.example"},
		{"link stylesheet", `<link rel="stylesheet" href="https://t.example/s.css">`, "t.example"},
		{"input image", `<input type="image" src="https://t.example/i.png">`, "t.example"},
		{"cid left by the parser", `<img src="cid:logo@x">`, "cid:"},
		{"relative src", `<img src="track.gif?u=1">`, "track.gif"},
		{"svg data URI", `<img src="data:image/svg+xml;base64,` + base64.StdEncoding.EncodeToString([]byte(`<svg onload="alert(1)"/>`)) + `">`, "svg"},
		{"data URI not base64", `<img src="data:image/png,%89PNG">`, "data:"},
		{"data URI html", `<img src="data:text/html;base64,PHNjcmlwdD4=">`, "data:"},
		{"data URI broken base64", `<img src="data:image/png;base64,@@@@">`, "data:"},
		{"oversized data URI", `<img src="data:image/png;base64,` + strings.Repeat("QUFB", maxDataURIBytes/4+1) + `">`, "data:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := checkSanitized(t, s, tt.in, false)
			if strings.Contains(out, tt.gone) {
				t.Fatalf("%q survived: %.200s", tt.gone, out)
			}
		})
	}
}

func TestSanitizeKeepsWhatIsSafe(t *testing.T) {
	s := NewSanitizer()
	tests := []struct {
		name        string
		in          string
		allowRemote bool
		want        string
	}{
		{"inline png", `<img src="` + pixel + `" alt="logo">`, false, `src="` + pixel + `"`},
		{"inline jpeg upper-case type", `<img src="data:IMAGE/JPEG;base64,/9j/4AAQ">`, false, `/9j/4AAQ`},
		{"remote kept when allowed", `<img src="https://cdn.example/logo.png">`, true, `src="https://cdn.example/logo.png"`},
		{"protocol-relative kept when allowed", `<img src="//cdn.example/logo.png">`, true, `src="//cdn.example/logo.png"`},
		{"links keep working", `<a href="https://shop.example/order/1">order</a>`, false, `href="https://shop.example/order/1"`},
		{"mailto link", `<a href="mailto:help@shop.example">mail</a>`, false, `href="mailto:help@shop.example"`},
		{"formatting", `<p>Hi <b>there</b></p><ul><li>one</li></ul>`, false, `<p>Hi <b>there</b></p><ul><li>one</li></ul>`},
		{"alt text of a stripped image", `<img src="https://t.example/p.gif" alt="Company logo">`, false, `alt="Company logo"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := checkSanitized(t, s, tt.in, tt.allowRemote)
			if !strings.Contains(out, tt.want) {
				t.Fatalf("want %q in %q", tt.want, out)
			}
		})
	}
	// Allowing remote images must not let anything else through.
	for _, in := range []string{`<img src="javascript:alert(1)">`, `<img src="cid:x">`, `<img src="track.gif">`, `<img src="ftp://x/p.gif">`} {
		checkSanitized(t, s, in, true)
		if out := s.Sanitize(in, true); strings.Contains(out, "src=") {
			t.Errorf("allow-remote kept a non-http source: %q -> %q", in, out)
		}
	}
}

// FuzzSanitize feeds hostile HTML (seeds in testdata/fuzz/FuzzSanitize) to
// both policies: the output is valid UTF-8, runs no script, loads nothing
// remote unless allowed, and is a fixed point.
func FuzzSanitize(f *testing.F) {
	f.Add(`<p onclick="x()">hi<script>alert(1)</script></p>`, false)
	f.Add(`<img src="https://t.example/p.gif"><img src="`+pixel+`">`, false)
	f.Add(`<a href="java&#x09;script:alert(1)">x</a>`, true)
	s := NewSanitizer()
	f.Fuzz(func(t *testing.T, in string, allowRemote bool) {
		checkSanitized(t, s, in, allowRemote)
	})
}

// BenchmarkSanitize measures a marketing-style mail body (tables, links, a
// tracking pixel per block), the input that costs most per message in a sync.
func BenchmarkSanitize(b *testing.B) {
	h := strings.Repeat(`<table><tr><td><p>Dear customer, <b>your order</b> <a href="https://shop.example/o/1">#1</a> has shipped.</p>`+
		`<img src="https://t.example/p.gif"><img src="`+pixel+`"></td></tr></table>`, 100)
	s := NewSanitizer()
	b.SetBytes(int64(len(h)))
	for b.Loop() {
		s.Sanitize(h, false)
	}
}
