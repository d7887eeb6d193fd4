// Command fakeapi runs the Mastodon test server (backend/channels/mastodon/mastodonfake)
// as its own process, so the browser end-to-end tests can point a real account of
// `stormdesk serve` at it. It seeds one mention of the brand, prints one JSON line
//
//	{"url":"http://127.0.0.1:PORT","inspect":"http://127.0.0.1:PORT2","token":"…","status":"…"}
//
// and serves until SIGINT or SIGTERM. The inspection address answers
// GET /posted with every status created through the API (mastodonfake.Posted),
// so a test can count what the app really sent, and POST /mention?text=…
// adds a new mention of the brand now, announced on the streaming API as a
// live server would (answering {"id":"…"}).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"html"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/stormdesk/stormdesk/backend/channels/mastodon/mastodonfake"
	"github.com/stormdesk/stormdesk/backend/e2e/cmd/internal/inspect"
)

// mentionID is the seeded customer status; replies to it carry this in_reply_to_id.
const mentionID = "110000000000000501"

func main() {
	token := flag.String("token", "e2e-mastodon-token", "access token the fake accepts")
	text := flag.String("text", "@acme my order 4711 has not arrived after two weeks, where is it?", "text of the seeded mention")
	flag.Parse()
	if err := run(*token, *text); err != nil {
		fmt.Fprintf(os.Stderr, "fakeapi: %v\n", err)
		os.Exit(1)
	}
}

func run(token, text string) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	fake := mastodonfake.New(token)
	defer fake.Close()
	// A recent mention, so it sorts first in the inbox and falls inside every look-back window.
	data, err := json.Marshal([]map[string]any{status(mentionID, time.Now().Add(-5*time.Minute), text)})
	if err != nil {
		return err
	}
	if err := fake.AddStatuses(data); err != nil {
		return err
	}
	fake.Notify("mention", mentionID)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("inspection listener: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /posted", func(w http.ResponseWriter, _ *http.Request) {
		posted := fake.Posted()
		if posted == nil {
			posted = []mastodonfake.Posted{}
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(posted)
	})
	var mu sync.Mutex
	next := int64(1000)
	mux.HandleFunc("POST /mention", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		next++
		id := fmt.Sprintf("1100000000000%05d", next)
		mu.Unlock()
		data, err := json.Marshal([]map[string]any{status(id, time.Now(), r.URL.Query().Get("text"))})
		if err == nil {
			err = fake.AddStatuses(data)
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		fake.Notify("mention", id)
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"id": id})
	})
	return inspect.Serve(ctx, ln, mux, map[string]string{"url": fake.URL, "token": token, "status": mentionID})
}

// status is a public mention of the brand by the seeded customer.
func status(id string, at time.Time, text string) map[string]any {
	return map[string]any{
		"id": id, "created_at": at.UTC().Format("2006-01-02T15:04:05.000Z"), "in_reply_to_id": nil, "in_reply_to_account_id": nil,
		"visibility": "public", "spoiler_text": "", "language": "en",
		"content": "<p>" + html.EscapeString(text) + "</p>", "url": "https://mastodon.example/@customer/" + id,
		"account":           map[string]any{"id": "301", "username": "customer", "acct": "customer@social.example", "display_name": "Casey Customer", "followers_count": 42},
		"media_attachments": []any{},
	}
}
