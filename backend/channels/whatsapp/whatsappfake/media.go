package whatsappfake

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels/graph/graphfake"
)

// MediaURLTTL is how long a media URL works: Meta says five minutes.
const MediaURLTTL = 5 * time.Minute

// InMedia is an incoming media message of a customer.
type InMedia struct {
	Type     string // image, audio, video, document, sticker
	MimeType string
	Bytes    []byte
	Caption  string // image, video, document
	Filename string // document
}

// ReceiveMedia records a media message of the customer waID at at, as
// Receive does for text, keeps its bytes for GET /{media-id} and returns the
// message's wamid, its media id and the webhook payload Meta would post
// (type and {id, mime_type, sha256, caption, filename}; the webhook's
// sha256 is base64, the media answer's hex, as seen from Meta).
func (s *Server) ReceiveMedia(waID, name string, m InMedia, at time.Time) (wamid, mediaID string, p Payload) {
	s.mu.Lock()
	if at.After(s.lastIn[waID]) {
		s.lastIn[waID] = at
	}
	wamid = s.wamid()
	s.seq++
	mediaID = strconv.Itoa(700000000 + s.seq)
	s.mu.Unlock()
	s.AddMedia(mediaID, graphfake.Media{Bytes: m.Bytes, MimeType: m.MimeType, NeedsToken: true, URLTTL: MediaURLTTL})
	sum := sha256.Sum256(m.Bytes)
	obj := map[string]any{"id": mediaID, "mime_type": m.MimeType, "sha256": base64.StdEncoding.EncodeToString(sum[:])}
	if m.Caption != "" {
		obj["caption"] = m.Caption
	}
	if m.Filename != "" {
		obj["filename"] = m.Filename
	}
	if m.Type == "audio" {
		obj["voice"] = false
	}
	if m.Type == "sticker" {
		obj["animated"] = false
	}
	p = s.payload(Value{
		Contacts: []map[string]any{{"profile": map[string]string{"name": name}, "wa_id": waID}},
		Messages: []map[string]any{{"from": waID, "id": wamid, "timestamp": strconv.FormatInt(at.Unix(), 10), "type": m.Type, m.Type: obj}},
	})
	return wamid, mediaID, p
}

// serveMedia answers GET /{media-id}: a URL valid for MediaURLTTL, the mime
// type, hex sha256 and size. Unknown or deleted media falls through to the
// base's code 100 / subcode 33, as Meta answers it.
func (s *Server) serveMedia(q *graphfake.Request) bool {
	m, ok := s.MediaOf(q.ID)
	if !ok || q.Edge != "" {
		return false
	}
	if q.R.Method != http.MethodGet {
		return false
	}
	if !q.Require(PermMessaging) {
		return true
	}
	if pid := q.Form["phone_number_id"]; pid != "" && pid != s.PhoneID {
		q.Error(400, 100, 33, "(#100) The media does not belong to this phone number")
		return true
	}
	q.Write(map[string]any{"messaging_product": "whatsapp", "url": s.IssueMediaURL(q.ID), "mime_type": m.MimeType,
		"sha256": m.SHA256(), "file_size": len(m.Bytes), "id": q.ID})
	return true
}
