// Command wafake runs the WhatsApp Cloud API test server
// (backend/channels/whatsapp/whatsappfake) as its own process, so a browser
// end-to-end test can point a real WhatsApp account of `stormdesk server` at it
// and play Meta's side of the webhooks. It prints one JSON line
//
//	{"url":"http://127.0.0.1:PORT","inspect":"http://127.0.0.1:PORT2","token":"…","phoneNumberId":"…","wabaId":"…"}
//
// and serves until SIGINT or SIGTERM. The inspection address answers:
//
//	POST /receive?from=&name=&text=&webhook=&secret=  a customer's message, delivered to webhook signed with secret: {"id","code"}
//	GET  /sent                                       the messages sent through the API (whatsappfake.Sent)
//	POST /status?id=&status=&code=&webhook=&secret=  Meta's status of a sent message, delivered the same way: {"code"}
//	POST /receive-media?from=&name=&type=&mime=&filename=&caption=&webhook=&secret=  a media message whose bytes are the
//	                                                  request body, delivered the same way: {"id","mediaId","code"}
//	POST /forget-media?id=                            Meta drops the media (as after 30 days): {"code"}
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"syscall"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels/graph/graphfake"
	"github.com/stormdesk/stormdesk/backend/channels/whatsapp"
	"github.com/stormdesk/stormdesk/backend/channels/whatsapp/whatsappfake"
	"github.com/stormdesk/stormdesk/backend/e2e/cmd/internal/inspect"
)

func main() {
	token := flag.String("token", "e2e-whatsapp-token", "system user token the fake accepts")
	phone := flag.String("phone", "106540352242922", "phone number id")
	waba := flag.String("waba", "102290129340398", "WhatsApp Business Account id")
	flag.Parse()
	if err := run(*token, *phone, *waba); err != nil {
		fmt.Fprintf(os.Stderr, "wafake: %v\n", err)
		os.Exit(1)
	}
}

func run(token, phone, waba string) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	fake := whatsappfake.New(phone, waba, "+49 30 1234567")
	defer fake.Close()
	fake.AddToken(token, graphfake.Token{User: "system", Perms: []string{whatsapp.PermMessaging, whatsapp.PermManagement}})

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("inspection listener: %w", err)
	}
	hc := &http.Client{Timeout: 30 * time.Second}
	answer := func(w http.ResponseWriter, v any) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(v)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /receive", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		id, p := fake.Receive(q.Get("from"), q.Get("name"), q.Get("text"), time.Now())
		code, err := whatsappfake.Deliver(r.Context(), hc, q.Get("webhook"), q.Get("secret"), p)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		answer(w, map[string]any{"id": id, "code": code})
	})
	mux.HandleFunc("GET /sent", func(w http.ResponseWriter, _ *http.Request) {
		sent := fake.Sent()
		if sent == nil {
			sent = []whatsappfake.Sent{}
		}
		answer(w, sent)
	})
	mux.HandleFunc("POST /status", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		sent := fake.Sent()
		i := slices.IndexFunc(sent, func(s whatsappfake.Sent) bool { return s.ID == q.Get("id") })
		if i < 0 {
			http.Error(w, "no sent message "+q.Get("id"), http.StatusNotFound)
			return
		}
		errCode, _ := strconv.Atoi(q.Get("code"))
		code, err := whatsappfake.Deliver(r.Context(), hc, q.Get("webhook"), q.Get("secret"), fake.Status(sent[i], q.Get("status"), time.Now(), errCode))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		answer(w, map[string]any{"code": code})
	})
	mux.HandleFunc("POST /receive-media", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		data, err := io.ReadAll(io.LimitReader(r.Body, 110<<20))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		id, mediaID, p := fake.ReceiveMedia(q.Get("from"), q.Get("name"), whatsappfake.InMedia{Type: q.Get("type"), MimeType: q.Get("mime"),
			Bytes: data, Caption: q.Get("caption"), Filename: q.Get("filename")}, time.Now())
		code, err := whatsappfake.Deliver(r.Context(), hc, q.Get("webhook"), q.Get("secret"), p)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		answer(w, map[string]any{"id": id, "mediaId": mediaID, "code": code})
	})
	mux.HandleFunc("POST /forget-media", func(w http.ResponseWriter, r *http.Request) {
		fake.RemoveMedia(r.URL.Query().Get("id"))
		answer(w, map[string]any{"code": 200})
	})
	return inspect.Serve(ctx, ln, mux, map[string]string{"url": fake.URL(), "token": token, "phoneNumberId": phone, "wabaId": waba})
}
