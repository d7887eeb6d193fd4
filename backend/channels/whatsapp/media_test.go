package whatsapp_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/channeltest"
	"github.com/stormdesk/stormdesk/backend/channels/graph/graphfake"
	"github.com/stormdesk/stormdesk/backend/channels/whatsapp/whatsappfake"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// attachmentOf is what metahook keeps of the media message in the payload
// (its media id and the webhook's sha256).
func attachmentOf(t *testing.T, p whatsappfake.Payload) inbox.Attachment {
	t.Helper()
	m := p.Entry[0].Changes[0].Value.Messages[0]
	typ := m["type"].(string)
	obj := m[typ].(map[string]any)
	return inbox.Attachment{Kind: typ, ContentType: obj["mime_type"].(string), Ref: obj["id"].(string), SHA256: obj["sha256"].(string)}
}

func TestFetchMedia(t *testing.T) {
	pdf := bytes.Repeat([]byte("%PDF-1.7 boarding pass "), 500)
	cases := []struct {
		name    string
		arrange func(f *whatsappfake.Server, clk *clock, sl *channeltest.Sleeps, a *inbox.Attachment)
		max     int64
		wantErr func(error) bool
		waits   []time.Duration
	}{
		{name: "fetched and checked against both hashes"},
		{name: "429 with Retry-After on the download is waited out", arrange: func(f *whatsappfake.Server, _ *clock, _ *channeltest.Sleeps, _ *inbox.Attachment) {
			f.Fail("GET media", graphfake.Failure{HTTPStatus: 429, RetryAfter: "7"})
		}, waits: []time.Duration{7 * time.Second}},
		{name: "429 on the media object is waited out", arrange: func(f *whatsappfake.Server, _ *clock, _ *channeltest.Sleeps, _ *inbox.Attachment) {
			f.Fail("GET ", graphfake.Failure{HTTPStatus: 429, RetryAfter: "3"})
		}, waits: []time.Duration{3 * time.Second}},
		{name: "media Meta no longer keeps is expired", arrange: func(f *whatsappfake.Server, _ *clock, _ *channeltest.Sleeps, a *inbox.Attachment) {
			f.RemoveMedia(a.Ref)
		}, wantErr: func(err error) bool { return errors.Is(err, channels.ErrMediaExpired) }},
		{name: "a URL that lapsed while waiting is expired", arrange: func(f *whatsappfake.Server, clk *clock, sl *channeltest.Sleeps, _ *inbox.Attachment) {
			f.Fail("GET media", graphfake.Failure{HTTPStatus: 429, RetryAfter: "20"})
			sl.During(func() { clk.t = clk.t.Add(6 * time.Minute) })
		}, wantErr: func(err error) bool { return errors.Is(err, channels.ErrMediaExpired) }, waits: []time.Duration{20 * time.Second}},
		{name: "bytes not matching the webhook's hash are refused", arrange: func(_ *whatsappfake.Server, _ *clock, _ *channeltest.Sleeps, a *inbox.Attachment) {
			sum := sha256.Sum256([]byte("something else"))
			a.SHA256 = base64.StdEncoding.EncodeToString(sum[:])
		}, wantErr: func(err error) bool { return errors.Is(err, channels.ErrMediaCorrupt) }},
		{name: "larger than the limit", max: 1000, wantErr: func(err error) bool {
			var tl *channels.MediaTooLargeError
			return errors.As(err, &tl) && tl.Size == int64(len(pdf)) && tl.Limit == 1000
		}},
		{name: "an expired token is an auth failure", arrange: func(f *whatsappfake.Server, _ *clock, _ *channeltest.Sleeps, _ *inbox.Attachment) {
			f.Expire(token)
		}, wantErr: func(err error) bool { return errors.Is(err, channels.ErrAuth) }},
		{name: "no media id", arrange: func(_ *whatsappfake.Server, _ *clock, _ *channeltest.Sleeps, a *inbox.Attachment) { a.Ref = "" },
			wantErr: func(err error) bool { return errors.Is(err, channels.ErrMediaUnavailable) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, fake, clk, sl := setup(t)
			_, _, p := fake.ReceiveMedia(olga, "Olga", whatsappfake.InMedia{Type: "document", MimeType: "application/pdf", Bytes: pdf, Filename: "pass.pdf"}, clk.t)
			a := attachmentOf(t, p)
			if tc.arrange != nil {
				tc.arrange(fake, clk, sl, &a)
			}
			max := tc.max
			if max == 0 {
				max = channels.MaxMediaBytes
			}
			var buf bytes.Buffer
			n, err := c.FetchMedia(context.Background(), a, max, &buf)
			if tc.wantErr != nil {
				if err == nil || !tc.wantErr(err) {
					t.Fatalf("err = %v", err)
				}
			} else if err != nil || n != int64(len(pdf)) || !bytes.Equal(buf.Bytes(), pdf) {
				t.Fatalf("n %d, %d bytes, err %v", n, buf.Len(), err)
			}
			if got := sl.Waits(); !slices.Equal(got, tc.waits) {
				t.Errorf("waits %v, want %v", got, tc.waits)
			}
			if tc.max != 0 && slices.Contains(fake.Calls(), "GET /media") {
				t.Error("downloaded although the media answer's size was above the limit")
			}
		})
	}
}
