package demo

import (
	"strings"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// Every Meta account (Messenger, Instagram, WhatsApp) has the three demo media
// messages, inbound and described only (no Ref: saving says media-unavailable);
// the photo has a caption, the voice note and the boarding pass have no words
// and are their thread's newest message, so the list names them. No other
// account has media.
func TestMediaPerMetaChannel(t *testing.T) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { checkMedia(t, c.now, c.seed) })
	}
}

// TestMediaOnEveryMetaAccountAtAnyHour checks the media at every 37 minutes of
// two days: the draw, and so the threads the media can follow, change with
// the clock.
func TestMediaOnEveryMetaAccountAtAnyHour(t *testing.T) {
	base := time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)
	for k := 0; k < 80; k++ {
		checkMedia(t, base.Add(time.Duration(k)*37*time.Minute), 2024)
	}
}

func checkMedia(t *testing.T, now time.Time, seed int64) {
	t.Helper()
	metas := map[inbox.ChannelKind]bool{}
	for _, a := range Generate(now, seed) {
		ch := a.Account.Channel
		newest := map[string]string{} // thread key → ExternalID of its newest item
		for _, it := range a.Items {
			newest[it.ThreadKey] = it.ExternalID
		}
		kinds := map[string]int{}
		for _, it := range a.Items {
			for _, at := range it.Attachments {
				kinds[at.Kind]++
				where := a.Account.Name + "/" + it.ExternalID + " at " + now.Format(time.RFC3339)
				if it.Direction != inbox.DirectionIn || at.Ref != "" || at.SHA256 != "" || at.ContentType == "" || at.Size <= 0 {
					t.Errorf("%s: %+v from %s, want an inbound attachment described without a ref", where, at, it.Direction)
				}
				words := strings.TrimSpace(it.Text) != ""
				switch at.Kind {
				case "image":
					if !words || it.Sentiment != inbox.SentimentNegative {
						t.Errorf("%s: photo with caption %q, sentiment %s", where, it.Text, it.Sentiment)
					}
				case "audio", "document":
					if words || newest[it.ThreadKey] != it.ExternalID {
						t.Errorf("%s: %s with words %q or not its thread's newest", where, at.Kind, it.Text)
					}
					if at.Kind == "document" && at.Name != "boarding-pass.pdf" {
						t.Errorf("%s: document named %q", where, at.Name)
					}
				default:
					t.Errorf("%s: unexpected kind %q", where, at.Kind)
				}
			}
		}
		if !isMeta(ch) {
			if len(kinds) > 0 {
				t.Errorf("%s: media %v on a channel without media", a.Account.Name, kinds)
			}
			continue
		}
		metas[ch] = true
		for _, k := range []string{"image", "audio", "document"} {
			if kinds[k] != 1 {
				t.Errorf("%s at %s: %d %s attachments, want 1 (%v)", a.Account.Name, now.Format(time.RFC3339), kinds[k], k, kinds)
			}
		}
	}
	if len(metas) != 3 {
		t.Errorf("Meta accounts %v, want Messenger, Instagram and WhatsApp", metas)
	}
}
