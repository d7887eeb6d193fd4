package workspace

import (
	"bytes"
	"context"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/channels/graph/graphfake"
	"github.com/stormdesk/stormdesk/backend/channels/metahook"
	"github.com/stormdesk/stormdesk/backend/channels/whatsapp"
	"github.com/stormdesk/stormdesk/backend/channels/whatsapp/whatsappfake"
	"github.com/stormdesk/stormdesk/backend/inbox"
)

// A WhatsApp document arrives by webhook as an attachment (not a no-text
// message), and is saved on request from Meta: the file holds exactly the
// bytes; media Meta dropped fails with media-expired and leaves no file;
// an attachment with nothing to fetch it by is media-unavailable.
func TestSaveWhatsAppAttachment(t *testing.T) {
	ctx := context.Background()
	ws := openAtDSN(t, sharedDSN(t))
	fake := whatsappfake.New(waPhoneID, waWABA, "+49 30 1234567")
	t.Cleanup(fake.Close)
	fake.AddToken(waToken, graphfake.Token{User: "system", Perms: []string{whatsapp.PermMessaging}})
	sec := &memSecrets{m: map[string]string{}}
	acct, err := ws.SaveAccount(ctx, sec, AccountInput{Name: "aurora-wa", Channel: inbox.ChannelWhatsApp, Brand: "Aurora Air",
		Settings: `{"phoneNumberId":"` + waPhoneID + `","wabaId":"` + waWABA + `","baseUrl":"` + fake.URL() + `"}`,
		Secrets:  map[string]string{whatsapp.SecretToken: waToken, SecretAppSecret: waAppSecret, SecretVerifyToken: waVerify}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(&metahook.Handler{Sink: WebhookSink{W: ws, Secrets: sec}})
	t.Cleanup(srv.Close)

	pdf := bytes.Repeat([]byte("%PDF-1.7 boarding pass "), 2000)
	_, mediaID, p := fake.ReceiveMedia(waCustomer, "Olga K.", whatsappfake.InMedia{Type: "document", MimeType: "application/pdf", Bytes: pdf,
		Caption: "my pass", Filename: "../pass.pdf"}, time.Now().Add(-time.Minute))
	if code, err := whatsappfake.Deliver(ctx, srv.Client(), srv.URL+metahook.Prefix+"whatsapp", waAppSecret, p); err != nil || code != 200 {
		t.Fatalf("webhook: %d %v", code, err)
	}
	conv, err := ws.Store.ConversationIDByThreadKey(ctx, acct.ID, whatsapp.ThreadKey(waCustomer))
	if err != nil {
		t.Fatal(err)
	}
	_, msgs, err := ws.Thread(ctx, conv)
	if err != nil || len(msgs) != 1 {
		t.Fatalf("thread %+v %v", msgs, err)
	}
	m := msgs[0]
	if m.Text != "my pass" || len(m.Flags) != 0 || len(m.Attachments) != 1 {
		t.Fatalf("message = %+v", m)
	}
	if a := m.Attachments[0]; a.Kind != "document" || a.Ref != mediaID || a.ContentType != "application/pdf" || a.SHA256 == "" {
		t.Fatalf("attachment = %+v", a)
	}

	dir := t.TempDir()
	path := filepath.Join(dir, "saved.pdf")
	a, err := ws.SaveAttachment(ctx, sec, m.ID, 0, path)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(path); err != nil || !bytes.Equal(got, pdf) {
		t.Fatalf("saved %d bytes (%v), want %d", len(got), err, len(pdf))
	}
	if a.Name != "pass.pdf" || a.Size != int64(len(pdf)) {
		t.Errorf("attachment = %+v, want the name without its directory part and the size", a)
	}

	fake.RemoveMedia(mediaID) // Meta keeps media 30 days
	gone := filepath.Join(dir, "gone.pdf")
	_, err = ws.SaveAttachment(ctx, sec, m.ID, 0, gone)
	if c := apperr.Classify(err); c.Code != apperr.CodeMediaExpired {
		t.Fatalf("err = %v (code %s), want media-expired", err, c.Code)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("files left after a failure: %v", ents)
	}

	if _, _, err := ws.FetchAttachment(ctx, sec, m.ID, 1, &bytes.Buffer{}); apperr.Classify(err).Code != apperr.CodeNotFound {
		t.Errorf("attachment 1: %v, want not-found", err)
	}
}

// Mail attachments were in the message and are not kept: nothing to fetch.
func TestAttachmentWithoutReferenceIsUnavailable(t *testing.T) {
	ctx := context.Background()
	ws := openAtDSN(t, sharedDSN(t))
	acct, err := ws.Store.EnsureAccount(ctx, inbox.Account{Name: "mail", Channel: inbox.ChannelMail, Brand: "Acme"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Store.SaveItems(ctx, acct.ID, []inbox.Item{{ExternalID: "<1@x>", ThreadKey: "t1", Kind: inbox.KindMail, Direction: inbox.DirectionIn,
		Author: inbox.Author{ExternalID: "a@x"}, Text: "see attached", SentAt: time.Now(),
		Attachments: []inbox.Attachment{{Name: "invoice.pdf", ContentType: "application/pdf", Size: 1200}}}}); err != nil {
		t.Fatal(err)
	}
	conv, err := ws.Store.ConversationIDByThreadKey(ctx, acct.ID, "t1")
	if err != nil {
		t.Fatal(err)
	}
	_, msgs, err := ws.Thread(ctx, conv)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = ws.FetchAttachment(ctx, &memSecrets{m: map[string]string{}}, msgs[0].ID, 0, &bytes.Buffer{})
	if !errors.Is(err, channels.ErrMediaUnavailable) || apperr.Classify(err).Code != apperr.CodeMediaUnavailable {
		t.Errorf("err = %v", err)
	}
}
