package ingest

import (
	"bytes"
	"encoding/base64"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
)

// maxDataURIBytes bounds one inline image: a data: URI is stored in the
// message row and sent to the UI with every thread, so a large one costs on
// every read, and mail rarely inlines more than a logo or a signature.
const maxDataURIBytes = 256 << 10

// Sanitizer is the one way HTML enters the store: every channel and the
// importer pass message HTML through it (Normalizer.Normalize calls it).
//
// It keeps formatting and drops scripts, event handlers, forms, frames,
// styles, SVG and every URL scheme but http, https, mailto and inline raster
// images. Remote images (tracking pixels) are removed unless the item allows
// them: an img src must then be a data:image/png|jpeg|gif|webp;base64 URI of
// at most maxDataURIBytes. Only img src can load anything: srcset, style
// attributes (CSS url()), background, <picture>/<source>, <video poster> and
// the like are not in the policy at all, so there is no second path to check.
// A cid: reference left by the mail parser cannot resolve in the UI and is
// dropped with the other non-data sources.
type Sanitizer struct {
	policy *bluemonday.Policy
}

// NewSanitizer builds the policy; it is safe for concurrent use.
func NewSanitizer() *Sanitizer {
	// Mail HTML is shown in a webview: keep formatting, drop scripts, handlers, forms and frames.
	p := bluemonday.UGCPolicy()
	p.AllowStyling()
	p.RequireNoReferrerOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	p.AllowURLSchemeWithCustomPolicy("data", inlineImageURI)
	return &Sanitizer{policy: p}
}

// inlineImageURI reports whether a data: URL is a bounded base64 raster image.
func inlineImageURI(u *url.URL) bool {
	if u.RawQuery != "" || u.Fragment != "" || len(u.Opaque) > maxDataURIBytes {
		return false
	}
	// Base64 raster formats only: a webview decodes them without running
	// anything, while SVG can carry script.
	head := strings.ToLower(u.Opaque[:min(len(u.Opaque), 24)])
	for _, typ := range []string{"png", "jpeg", "gif", "webp"} {
		prefix := "image/" + typ + ";base64,"
		if strings.HasPrefix(head, prefix) {
			_, err := base64.StdEncoding.DecodeString(u.Opaque[len(prefix):])
			return err == nil
		}
	}
	return false
}

// Sanitize returns safe HTML; remote images stay only when allowRemote is
// set (the account chose to load them). The result is valid UTF-8, and
// sanitizing it again returns it unchanged.
func (s *Sanitizer) Sanitize(h string, allowRemote bool) string {
	if !utf8.ValidString(h) {
		h = strings.ToValidUTF8(h, "\uFFFD")
	}
	// bluemonday's output is not always a fixed point: it re-serializes some
	// URLs into markup that parses differently (src=//" becomes src="//"#34;"),
	// and the next pass reads that anew. Passes repeat until the output stops
	// changing, so what is stored reads the same when sanitized again; input
	// that never settles is kept as escaped text, which always does.
	out := s.pass(h, allowRemote)
	if out == h {
		return out // already a fixed point: stored HTML normalized again
	}
	for range maxPasses {
		again := s.pass(out, allowRemote)
		if again == out {
			return out
		}
		out = again
	}
	return html.EscapeString(out)
}

// maxPasses bounds the passes Sanitize makes after the first; the fuzzer's
// inputs settle in one or two.
const maxPasses = 4

func (s *Sanitizer) pass(h string, allowRemote bool) string {
	return filterImages(s.policy.Sanitize(h), allowRemote)
}

// filterImages drops the img sources the policy cannot tell apart: bluemonday
// checks URL schemes for every attribute alike, so http(s) and relative URLs
// that must stay valid in <a href> pass in <img src> too. Its output is
// well-formed, so one token pass over it is exact.
func filterImages(h string, allowRemote bool) string {
	if !strings.Contains(h, "<img") {
		return h
	}
	z := html.NewTokenizer(strings.NewReader(h))
	var b strings.Builder
	b.Grow(len(h))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return b.String() // io.EOF: the input is a string
		}
		raw := z.Raw()
		if (tt != html.StartTagToken && tt != html.SelfClosingTagToken) || !bytes.HasPrefix(raw, []byte("<img")) {
			b.Write(raw)
			continue
		}
		tok := z.Token()
		kept := tok.Attr[:0]
		for _, a := range tok.Attr {
			if a.Key != "src" || keepImageSource(a.Val, allowRemote) {
				kept = append(kept, a)
			}
		}
		if len(kept) == len(tok.Attr) {
			b.Write(raw)
			continue
		}
		// An img with no attribute left is dropped, as the policy would on the next pass.
		if len(kept) > 0 {
			tok.Attr = kept
			b.WriteString(tok.String())
		}
	}
}

// keepImageSource reports whether an img src the policy let through may
// stay: inline data (already checked by inlineImageURI) always, http(s) and
// protocol-relative URLs only when remote images are allowed.
func keepImageSource(src string, allowRemote bool) bool {
	v := strings.ToLower(strings.TrimSpace(src))
	switch {
	case strings.HasPrefix(v, "data:"):
		return true
	case allowRemote:
		return strings.HasPrefix(v, "https://") || strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "//")
	}
	return false
}
