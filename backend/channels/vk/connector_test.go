package vk_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/channeltest"
	"github.com/stormdesk/stormdesk/backend/channels/vk"
	"github.com/stormdesk/stormdesk/backend/channels/vk/vkfake"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/ingest"
)

const (
	groupID   = 777
	token     = "community-token"
	userToken = "admin-user-token"
)

func setup(t *testing.T, mod func(*vk.Config)) (*vk.Connector, *vkfake.Server, *channeltest.Sleeps) {
	t.Helper()
	fake := vkfake.New(groupID, token, userToken)
	t.Cleanup(fake.Close)
	sl := &channeltest.Sleeps{}
	cfg := vk.Config{
		GroupID: groupID, Token: token, UserToken: userToken,
		HTTPClient: fake.Client(), BaseURL: fake.BaseURL(),
		BackfillPosts: -1, PollWait: -1,
		RequestsPerSecond: 1e6, UserRequestsPerSecond: 1e6,
		Retry: channels.Retry{Sleep: sl.Sleep},
	}
	return channeltest.New(t, vk.New, cfg, mod), fake, sl
}

func queueFixture(t *testing.T, fake *vkfake.Server) {
	t.Helper()
	var evs []json.RawMessage
	if err := json.Unmarshal(channeltest.Testdata(t, "updates.json"), &evs); err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		fake.QueueRaw(e)
	}
}

func ids(items []inbox.Item) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.ExternalID)
	}
	return out
}

func TestFetchIncrementalNoRepeats(t *testing.T) {
	c, fake, _ := setup(t, nil)
	first := channeltest.Fetch(t, c, "")
	if len(first.Items) != 0 || first.Cursor == "" {
		t.Fatalf("first sync: %+v", first)
	}
	if strings.Contains(first.Cursor, "key") {
		t.Fatalf("cursor holds the long-poll key: %s", first.Cursor)
	}
	queueFixture(t, fake)
	b := channeltest.Fetch(t, c, first.Cursor)
	want := []string{"msg:42:501", "wall-777_12_9001", "msg:42:502"}
	if got := ids(b.Items); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("ids = %v, want %v", got, want)
	}
	if b.Skipped != 2 {
		t.Errorf("Skipped = %d, want 2 (photo_new and a malformed message_new)", b.Skipped)
	}
	dm, cm, out := b.Items[0], b.Items[1], b.Items[2]
	if dm.Text != "Где мой заказ? 📦🔥 Жду уже неделю!" || dm.ThreadKey != "peer:42" || dm.Kind != inbox.KindDM || dm.Direction != inbox.DirectionIn {
		t.Errorf("dm = %+v", dm)
	}
	if !dm.SentAt.Equal(time.Unix(1767225600, 0)) || dm.Author.ExternalID != "42" {
		t.Errorf("dm time/author = %v %+v", dm.SentAt, dm.Author)
	}
	if cm.Text != "שלום! المنتج لا يعمل 😡 — please help" || cm.ThreadKey != "wall-777_12" || cm.Kind != inbox.KindComment {
		t.Errorf("comment = %+v", cm)
	}
	if len(cm.References) != 1 || cm.References[0] != "wall-777_12_9000" {
		t.Errorf("comment references = %v", cm.References)
	}
	if out.Direction != inbox.DirectionOut {
		t.Errorf("community reply direction = %s", out.Direction)
	}

	again := channeltest.Fetch(t, c, b.Cursor)
	if len(again.Items) != 0 {
		t.Fatalf("second fetch repeated %v", ids(again.Items))
	}
	// A crash before the cursor was stored refetches the same events (store dedupe absorbs them).
	redo := channeltest.Fetch(t, c, first.Cursor)
	if strings.Join(ids(redo.Items), ",") != strings.Join(want, ",") {
		t.Fatalf("refetch = %v", ids(redo.Items))
	}
}

func TestBackfillOnePostPerFetch(t *testing.T) {
	c, fake, _ := setup(t, func(cfg *vk.Config) { cfg.BackfillPosts = 5 })
	fake.AddPost(12)
	fake.AddPost(13)
	fake.AddProfile(vkfake.Profile{ID: 43, FirstName: "Анна", LastName: "Ким"})
	fake.AddComment(vkfake.Comment{ID: 1, FromID: 43, Date: 1767225000, Text: "старый", PostID: 12})
	fake.AddComment(vkfake.Comment{ID: 2, FromID: 44, Date: 1767225100, Text: "newer", PostID: 12, ReplyToComment: 1})
	fake.AddComment(vkfake.Comment{ID: 3, FromID: 43, Date: 1767225200, Text: "on 13", PostID: 13})

	b1 := channeltest.Fetch(t, c, "")
	if !b1.More || strings.Join(ids(b1.Items), ",") != "wall-777_13_3" {
		t.Fatalf("first backfill = %v more=%v", ids(b1.Items), b1.More)
	}
	if b1.Items[0].Author.DisplayName != "Анна Ким" {
		t.Errorf("display name = %q", b1.Items[0].Author.DisplayName)
	}
	b2 := channeltest.Fetch(t, c, b1.Cursor)
	if b2.More || strings.Join(ids(b2.Items), ",") != "wall-777_12_2,wall-777_12_1" {
		t.Fatalf("second backfill = %v more=%v", ids(b2.Items), b2.More)
	}
	fake.QueueEvent("wall_reply_new", map[string]any{"id": 4, "from_id": 45, "date": 1767226000, "text": "live", "post_id": 12, "post_owner_id": -groupID})
	b3 := channeltest.Fetch(t, c, b2.Cursor)
	if strings.Join(ids(b3.Items), ",") != "wall-777_12_4" {
		t.Fatalf("live after backfill = %v", ids(b3.Items))
	}
}

func TestReplyDMIdempotent(t *testing.T) {
	c, fake, _ := setup(t, nil)
	r := channels.Reply{ThreadKey: "peer:42", InReplyTo: "msg:42:501", Kind: inbox.KindDM, Text: "Здравствуйте! 🙏", IdempotencyKey: "draft-1"}
	s1, err := c.Reply(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	s2, err := c.Reply(context.Background(), r) // a retry after a lost answer
	if err != nil {
		t.Fatal(err)
	}
	if s1.ExternalID != s2.ExternalID || !strings.HasPrefix(s1.ExternalID, "msg:42:") {
		t.Fatalf("sent ids %q, %q", s1.ExternalID, s2.ExternalID)
	}
	r.IdempotencyKey = "draft-2"
	if _, err := c.Reply(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	sent := fake.Sent()
	if len(sent) != 2 {
		t.Fatalf("fake accepted %d messages, want 2: %+v", len(sent), sent)
	}
	if sent[0].Message != "Здравствуйте! 🙏" || sent[0].RandomID != int64(vk.RandomID("draft-1")) || sent[0].PeerID != 42 {
		t.Errorf("sent = %+v", sent[0])
	}
}

func TestReplyCommentThreadingAndDelete(t *testing.T) {
	c, fake, _ := setup(t, nil)
	fake.AddComment(vkfake.Comment{ID: 9001, FromID: 43, Date: 1767225000, Text: "bad", PostID: 12})
	r := channels.Reply{ThreadKey: "wall-777_12", InReplyTo: "wall-777_12_9001", Text: "Мы разберёмся", IdempotencyKey: "k1"}
	sent, err := c.Reply(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Reply(context.Background(), r); err != nil { // retried: guid dedupes
		t.Fatal(err)
	}
	var created []vkfake.Comment
	for _, cm := range fake.Comments() {
		if cm.ID != 9001 {
			created = append(created, cm)
		}
	}
	if len(created) != 1 {
		t.Fatalf("created %d comments, want 1", len(created))
	}
	got := created[0]
	if got.ReplyToComment != 9001 || got.FromGroup != groupID || got.OwnerID != -groupID || got.PostID != 12 || got.Text != "Мы разберёмся" {
		t.Errorf("created comment = %+v", got)
	}
	if sent.ExternalID != vk.CommentExternalID(-groupID, 12, got.ID) {
		t.Errorf("sent id = %s", sent.ExternalID)
	}

	if err := c.Moderate(context.Background(), channels.Moderation{ExternalID: "wall-777_12_9001", Action: channels.ActionHide}); err == nil || !strings.Contains(err.Error(), "cannot hide") {
		t.Errorf("hide: %v", err)
	}
	if err := c.Moderate(context.Background(), channels.Moderation{ExternalID: "wall-777_12_9001", Action: channels.ActionDelete}); err != nil {
		t.Fatal(err)
	}
	if d := fake.Deleted(); len(d) != 1 || d[0] != 9001 {
		t.Errorf("deleted = %v", d)
	}
	if err := c.Moderate(context.Background(), channels.Moderation{ExternalID: "wall-777_12_9001", Action: channels.ActionDelete}); err == nil {
		t.Error("deleting a missing comment succeeded")
	}
}

func TestReplyRejectsBadInput(t *testing.T) {
	c, fake, _ := setup(t, nil)
	for _, tc := range []struct {
		name string
		r    channels.Reply
		want string
	}{
		{"too long", channels.Reply{ThreadKey: "peer:1", Text: strings.Repeat("я", vk.MaxReplyLength+1), IdempotencyKey: "k"}, "VK allows"},
		{"bad thread", channels.Reply{ThreadKey: "video:1", Text: "x", IdempotencyKey: "k"}, "not a VK thread key"},
		{"no key", channels.Reply{ThreadKey: "peer:1", Text: "x"}, "idempotency"},
		{"foreign parent", channels.Reply{ThreadKey: "wall-777_12", InReplyTo: "wall-777_13_1", Text: "x", IdempotencyKey: "k"}, "not a comment under"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.Reply(context.Background(), tc.r)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
	if n := fake.Calls("messages.send") + fake.Calls("wall.createComment"); n != 0 {
		t.Errorf("bad replies reached VK %d times", n)
	}
}

func TestRateLimitThenSuccess(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    vkfake.Failure
		wait time.Duration
	}{
		{"error 6", vkfake.Failure{ErrorCode: 6}, time.Second},
		{"HTTP 429 Retry-After", vkfake.Failure{HTTPStatus: 429, RetryAfter: "3"}, 3 * time.Second},
		{"error 10 internal", vkfake.Failure{ErrorCode: 10}, time.Second},
		{"HTTP 502", vkfake.Failure{HTTPStatus: 502}, time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, fake, sl := setup(t, nil)
			fake.FailNext("messages.send", tc.f)
			if _, err := c.Reply(context.Background(), channels.Reply{ThreadKey: "peer:5", Text: "hi", IdempotencyKey: "x"}); err != nil {
				t.Fatal(err)
			}
			if n := fake.Calls("messages.send"); n != 2 {
				t.Errorf("calls = %d, want 2", n)
			}
			if w := sl.Waits(); len(w) != 1 || w[0] != tc.wait {
				t.Errorf("waits = %v, want [%v]", w, tc.wait)
			}
			if len(fake.Sent()) != 1 {
				t.Errorf("sent %d", len(fake.Sent()))
			}
		})
	}
}

func TestRateLimitGivesUpWithRateLimitError(t *testing.T) {
	c, fake, sl := setup(t, nil)
	fake.FailNext("groups.getById", vkfake.Failure{ErrorCode: 6}, vkfake.Failure{ErrorCode: 6}, vkfake.Failure{ErrorCode: 6}, vkfake.Failure{ErrorCode: 6})
	err := c.Test(context.Background())
	var rl *channels.RateLimitError
	if !errors.As(err, &rl) || !channels.Retryable(err) || !strings.Contains(err.Error(), "too many requests per second") {
		t.Fatalf("err = %v", err)
	}
	if n := fake.Calls("groups.getById"); n != 4 {
		t.Errorf("calls = %d, want 4 (bounded)", n)
	}
	if len(sl.Waits()) != 3 {
		t.Errorf("waits = %v", sl.Waits())
	}
}

func TestBackoffCancellable(t *testing.T) {
	c, fake, _ := setup(t, func(cfg *vk.Config) { cfg.Retry = channels.Retry{Base: time.Hour, Max: 2 * time.Hour} })
	fake.FailNext("groups.getById", vkfake.Failure{ErrorCode: 10})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err := c.Test(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want deadline exceeded", err)
	}
}

func TestCreateCommentWithoutGUIDNotRetriedOnInternalError(t *testing.T) {
	fake := vkfake.New(groupID, token)
	defer fake.Close()
	cl := vk.NewClient(vk.ClientOptions{HTTPClient: fake.Client(), BaseURL: fake.BaseURL(), Token: token, RequestsPerSecond: 1e6, Retry: channels.Retry{Sleep: (&channeltest.Sleeps{}).Sleep}})
	fake.FailNext("wall.createComment", vkfake.Failure{ErrorCode: 10})
	_, err := cl.CreateComment(context.Background(), vk.CreateCommentParams{OwnerID: -groupID, PostID: 1, Message: "x"})
	if err == nil || fake.Calls("wall.createComment") != 1 {
		t.Fatalf("err=%v calls=%d: an unkeyed comment must not be retried after an ambiguous failure", err, fake.Calls("wall.createComment"))
	}
}

func TestAuthAndAccessErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		prep func(*vkfake.Server)
		kind channels.ErrorKind
		code int
		text string
	}{
		{"revoked token", func(f *vkfake.Server) { f.RevokeToken(token) }, channels.Auth, 5, "reconnect the VK account"},
		{"access denied", func(f *vkfake.Server) { f.FailNext("groups.getById", vkfake.Failure{ErrorCode: 15}) }, channels.Forbidden, 15, "access denied"},
		{"unknown code", func(f *vkfake.Server) {
			f.FailNext("groups.getById", vkfake.Failure{ErrorCode: 113, ErrorMsg: "Invalid user id"})
		}, channels.Permanent, 113, "Invalid user id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, fake, _ := setup(t, nil)
			tc.prep(fake)
			err := c.Test(context.Background())
			var api *channels.APIError
			if !errors.As(err, &api) || api.Kind != tc.kind || api.Code != tc.code || !strings.Contains(err.Error(), tc.text) {
				t.Fatalf("err = %v (%+v)", err, api)
			}
			if errors.Is(err, channels.ErrAuth) != (tc.kind == channels.Auth) {
				t.Errorf("errors.Is(ErrAuth) wrong for %v", err)
			}
			if strings.Contains(err.Error(), token) {
				t.Errorf("error leaks the token: %v", err)
			}
			if n := fake.Calls("groups.getById"); n != 1 {
				t.Errorf("permanent error retried: %d calls", n)
			}
		})
	}
	c, _, _ := setup(t, nil)
	if err := c.Test(context.Background()); err != nil {
		t.Fatalf("healthy Test: %v", err)
	}
}

func TestMalformedAnswersKeepCursor(t *testing.T) {
	for _, body := range []string{`{"ts": "5", "updates": [`, `<html>502</html>`, `{}`} {
		t.Run(body, func(t *testing.T) {
			c, fake, _ := setup(t, nil)
			start := channeltest.Fetch(t, c, "")
			queueFixture(t, fake)
			fake.FailNext("a_check", vkfake.Failure{Body: body})
			b, err := c.Fetch(context.Background(), start.Cursor)
			if err == nil || !strings.Contains(err.Error(), "malformed") {
				t.Fatalf("err = %v", err)
			}
			if b.Cursor != "" || len(b.Items) != 0 {
				t.Fatalf("a failed fetch returned %+v", b)
			}
			if got := channeltest.Fetch(t, c, start.Cursor); len(got.Items) != 3 {
				t.Fatalf("after the error the same cursor gave %v", ids(got.Items))
			}
		})
	}
	c, _, _ := setup(t, nil)
	if _, err := c.Fetch(context.Background(), "{broken"); err == nil || !strings.Contains(err.Error(), "cursor is damaged") {
		t.Errorf("damaged cursor: %v", err)
	}
}

func TestMalformedAPIResponse(t *testing.T) {
	c, fake, _ := setup(t, nil)
	fake.FailNext("groups.getById", vkfake.Failure{Body: `{"response": {"groups": [`})
	if err := c.Test(context.Background()); err == nil || !strings.Contains(err.Error(), "vk groups.getById: malformed JSON") {
		t.Fatalf("err = %v", err)
	}
}

func TestOversizeTextTruncated(t *testing.T) {
	c, fake, _ := setup(t, nil)
	start := channeltest.Fetch(t, c, "")
	long := strings.Repeat("ж😀", channels.MaxText/3)
	fake.QueueEvent("message_new", map[string]any{"message": map[string]any{"id": 1, "date": 1767226000, "peer_id": 7, "from_id": 7, "text": long}})
	b := channeltest.Fetch(t, c, start.Cursor)
	it := b.Items[0]
	if len(it.Text) > channels.MaxText || !utf8.ValidString(it.Text) || !strings.HasPrefix(long, it.Text) {
		t.Fatalf("truncated text: %d bytes, valid=%v", len(it.Text), utf8.ValidString(it.Text))
	}
	if len(it.Flags) != 1 || it.Flags[0] != inbox.FlagTruncated {
		t.Errorf("flags = %v", it.Flags)
	}
}

func TestRandomIDStable(t *testing.T) {
	if vk.RandomID("a") != vk.RandomID("a") || vk.RandomID("a") == vk.RandomID("b") || vk.RandomID("") <= 0 {
		t.Fatal("RandomID must be stable, distinct and positive")
	}
}

func TestItemsPassIngestNormalizer(t *testing.T) {
	c, fake, _ := setup(t, nil)
	start := channeltest.Fetch(t, c, "")
	queueFixture(t, fake)
	b := channeltest.Fetch(t, c, start.Cursor)
	n := ingest.NewNormalizer(func() time.Time { return time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) })
	for _, it := range b.Items {
		got, err := n.Normalize(inbox.ChannelVK, it)
		if err != nil {
			t.Fatalf("%s rejected: %v", it.ExternalID, err)
		}
		if got.Text != it.Text || len(got.Flags) != 0 {
			t.Errorf("%s changed by ingest: %q flags %v", it.ExternalID, got.Text, got.Flags)
		}
	}
}
