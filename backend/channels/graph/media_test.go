package graph_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/graph"
	"github.com/stormdesk/stormdesk/backend/channels/graph/graphfake"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

func TestDownload(t *testing.T) {
	body := bytes.Repeat([]byte("0123456789"), 1000)
	cases := []struct {
		name    string
		media   graphfake.Media
		token   string
		max     int64
		arrange func(f *graphfake.Base)
		check   func(err error) bool
		calls   int // GETs of the media URL
		waits   []time.Duration
	}{
		{name: "a CDN link without a token", media: graphfake.Media{Bytes: body, MimeType: "image/png"}, calls: 1},
		{name: "the media host with the token", media: graphfake.Media{Bytes: body, NeedsToken: true}, token: userToken, calls: 1},
		{name: "the media host refuses a call without the token", media: graphfake.Media{Bytes: body, NeedsToken: true},
			check: func(err error) bool { return errors.Is(err, channels.ErrAuth) }, calls: 1},
		{name: "larger than the limit by Content-Length: refused once, not retried", media: graphfake.Media{Bytes: body}, max: 100,
			check: func(err error) bool {
				var tl *channels.MediaTooLargeError
				return errors.As(err, &tl) && tl.Size == int64(len(body))
			}, calls: 1},
		{name: "a lapsed CDN link is expired", media: graphfake.Media{Bytes: body, URLTTL: time.Nanosecond},
			check: func(err error) bool { return errors.Is(err, channels.ErrMediaExpired) }, calls: 1},
		{name: "a bare 503 is retried", media: graphfake.Media{Bytes: body}, arrange: func(f *graphfake.Base) {
			f.Fail("GET media", graphfake.Failure{HTTPStatus: 503})
		}, calls: 2, waits: []time.Duration{-1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cl, fake, sl := setup(t, 0)
			fake.AddMedia("k", tc.media)
			link := fake.IssueMediaURL("k")
			if tc.arrange != nil {
				tc.arrange(fake)
			}
			max := tc.max
			if max == 0 {
				max = channels.MaxMediaBytes
			}
			var buf bytes.Buffer
			n, _, err := cl.Download(context.Background(), tc.token, link, max, &buf)
			if tc.check != nil {
				if err == nil || !tc.check(err) {
					t.Fatalf("err = %v", err)
				}
				if buf.Len() != 0 {
					t.Errorf("%d bytes written before the refusal", buf.Len())
				}
			} else if err != nil || n != int64(len(body)) || !bytes.Equal(buf.Bytes(), body) {
				t.Fatalf("n %d err %v", n, err)
			}
			if got := slices.Collect(mediaGets(fake)); len(got) != tc.calls {
				t.Errorf("%d media GETs, want %d", len(got), tc.calls)
			}
			if w := sl.Waits(); len(w) != len(tc.waits) {
				t.Errorf("waits %v, want %d", w, len(tc.waits))
			}
		})
	}
}

// mediaGets yields the fake's calls of media URLs.
func mediaGets(f *graphfake.Base) func(yield func(string) bool) {
	return func(yield func(string) bool) {
		for _, c := range f.Calls() {
			if c == "GET /media" && !yield(c) {
				return
			}
		}
	}
}

func TestFetchLinkedNeedsALink(t *testing.T) {
	cl, _, _ := setup(t, 0)
	for _, ref := range []string{"", "file:///etc/passwd", "not a url"} {
		if _, err := graph.FetchLinked(context.Background(), cl, inbox.Attachment{Ref: ref}, 10, &bytes.Buffer{}); !errors.Is(err, channels.ErrMediaUnavailable) {
			t.Errorf("ref %q: %v", ref, err)
		}
	}
}
