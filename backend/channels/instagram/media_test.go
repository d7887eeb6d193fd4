package instagram_test

import (
	"bytes"
	"context"
	"slices"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/channeltest"
	"github.com/stormdesk/stormdesk/backend/channels/graph/graphfake"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// An Instagram DM video without words is polled as an attachment and fetched
// from its link; a DM with neither words nor media stays flagged no-text.
func TestInstagramDMAttachmentIsPolledAndFetched(t *testing.T) {
	c, fake, clk := setup(t)
	clip := bytes.Repeat([]byte{0, 0, 0, 0x18, 'f', 't', 'y', 'p'}, 900)
	fan := graphfake.Person{ID: "igsid-2", Username: "fan", FollowsBusiness: true}
	video := fake.DMs.ReceiveMedia(fan, "", "video", "", graphfake.Media{Bytes: clip, MimeType: "video/mp4"}, clk.t.Add(-time.Hour))
	empty := fake.DMs.Receive(fan, "", clk.t.Add(-30*time.Minute))

	got := byID(channeltest.Fetch(t, c, "").Items)
	v := got[video]
	if len(v.Attachments) != 1 || v.Attachments[0].Kind != "video" || v.Attachments[0].ContentType != "video/mp4" || slices.Contains(v.Flags, inbox.FlagNoText) {
		t.Fatalf("video item = %+v", v)
	}
	if e := got[empty]; len(e.Attachments) != 0 || !slices.Contains(e.Flags, inbox.FlagNoText) {
		t.Errorf("empty item = %+v, want it flagged no-text", e)
	}
	var buf bytes.Buffer
	if n, err := c.FetchMedia(context.Background(), v.Attachments[0], channels.MaxMediaBytes, &buf); err != nil || n != int64(len(clip)) || !bytes.Equal(buf.Bytes(), clip) {
		t.Fatalf("fetched %d bytes, err %v", n, err)
	}
}
