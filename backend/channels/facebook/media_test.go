package facebook_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/channeltest"
	"github.com/stormdesk/stormdesk/backend/channels/graph/graphfake"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// A Messenger photo without words is polled as an attachment with its CDN
// link (not as an empty no-text message) and fetched from that link; the
// link lapses, and 429 is waited out.
func TestMessengerAttachmentsArePolledAndFetched(t *testing.T) {
	photo := bytes.Repeat([]byte{0xff, 0xd8, 0xff, 0xe0}, 3000)
	cases := []struct {
		name    string
		arrange func(f *graphfake.Base, clk *clock)
		wantErr error
		waits   []time.Duration
	}{
		{name: "fetched"},
		{name: "429 then the bytes", arrange: func(f *graphfake.Base, _ *clock) {
			f.Fail("GET media", graphfake.Failure{HTTPStatus: 429, RetryAfter: "4"})
		}, waits: []time.Duration{4 * time.Second}},
		{name: "the link lapsed", arrange: func(_ *graphfake.Base, clk *clock) { clk.t = clk.t.Add(4 * 24 * time.Hour) }, wantErr: channels.ErrMediaExpired},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, fake, clk, sl := setup(t)
			id := fake.Messenger.ReceiveMedia(graphfake.Person{ID: "9002", Name: "Karl S."}, "", "image", "",
				graphfake.Media{Bytes: photo, MimeType: "image/jpeg", URLTTL: 3 * 24 * time.Hour}, clk.t.Add(-time.Hour))
			b := channeltest.Fetch(t, c, "")
			it := byID(b.Items)[id]
			if len(it.Attachments) != 1 || slices.Contains(it.Flags, inbox.FlagNoText) {
				t.Fatalf("item = %+v, want one attachment and no no-text flag", it)
			}
			a := it.Attachments[0]
			if a.Kind != "image" || a.ContentType != "image/jpeg" || a.Size != int64(len(photo)) || a.Ref == "" {
				t.Fatalf("attachment = %+v", a)
			}
			if tc.arrange != nil {
				tc.arrange(fake.Base, clk)
			}
			var buf bytes.Buffer
			n, err := c.FetchMedia(context.Background(), a, channels.MaxMediaBytes, &buf)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err = %v, want %v", err, tc.wantErr)
				}
			} else if err != nil || n != int64(len(photo)) || !bytes.Equal(buf.Bytes(), photo) {
				t.Fatalf("n %d err %v", n, err)
			}
			if got := sl.Waits(); !slices.Equal(got, tc.waits) {
				t.Errorf("waits %v, want %v", got, tc.waits)
			}
		})
	}
}
