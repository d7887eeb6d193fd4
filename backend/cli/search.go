package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/store"
)

// searchSyntax is the query syntax, as the search box's help explains it.
const searchSyntax = `Query syntax (the search box's):
  refund delay        messages with both words, in any form (refunds, delayed)
  "still waiting"     the exact words in this order, not in other forms
  deliv*              words starting with deliv
  refund OR voucher   either word
  refund -paypal      without the word (or -"a phrase")
Case, ё/е and accents never matter. Quote the query, and put -- before it
when it starts with - (stormdesk search -- '-paypal refund').`

// runSearch prints the messages the search box finds for a query, newest
// first, with the same hits and snippets: one per line, or as JSON (the
// store's SearchHit, matches wrapped in U+0002 and U+0003) with --json.
func runSearch(ctx context.Context, env Env, args []string) int {
	fs := newFlagSet(env, "search", "QUERY...")
	db := dbFlag(fs)
	asJSON := fs.Bool("json", false, "print the hits as JSON")
	channel := fs.String("channel", "", "only this channel (mail, telegram, vk, mastodon, youtube, bluesky, reddit, import)")
	limit := fs.Int("limit", store.DefaultSearchLimit, "print at most this many hits (0: all)")
	usage := fs.Usage
	fs.Usage = func() { usage(); fmt.Fprintln(env.Stderr, "\n"+searchSyntax) }

	// Everything after -- is the query, so it may hold words starting with -.
	var words []string
	if i := slices.Index(args, "--"); i >= 0 {
		args, words = args[:i], args[i+1:]
	}
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return usageError(env, fs, err)
	}
	text := strings.TrimSpace(strings.Join(append(pos, words...), " "))
	if text == "" {
		return usageError(env, fs, fmt.Errorf("no query"))
	}
	if *limit < 0 {
		return usageError(env, fs, fmt.Errorf("--limit %d: want 0 or more", *limit))
	}
	q := store.SearchQuery{Text: text}
	if *channel != "" {
		ch, err := inbox.ParseChannelKind(*channel)
		if err != nil {
			return usageError(env, fs, err)
		}
		q.Channel = ch
	}

	ws, code := openExistingWorkspace(ctx, env, *db)
	if ws == nil {
		return code
	}
	defer ws.Close()
	// Pages of the store's size, as the results list loads them on scroll.
	hits := []store.SearchHit{}
	for *limit == 0 || len(hits) < *limit {
		q.Limit = store.MaxSearchLimit
		if *limit > 0 {
			q.Limit = min(store.MaxSearchLimit, *limit-len(hits))
		}
		page, err := ws.Search(ctx, q)
		if err != nil {
			fmt.Fprintf(env.Stderr, "stormdesk search: %v\n", err)
			return ExitFailure
		}
		hits = append(hits, page...)
		if len(page) < q.Limit {
			break
		}
		q.BeforeID = page[len(page)-1].MessageID
	}

	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(hits); err != nil {
			fmt.Fprintf(env.Stderr, "stormdesk search: %v\n", err)
			return ExitFailure
		}
		return ExitOK
	}
	if err := printHits(env.Stdout, hits); err != nil {
		fmt.Fprintf(env.Stderr, "stormdesk search: %v\n", err)
		return ExitFailure
	}
	return ExitOK
}

// printHits writes one line per hit: time, channel, conversation, author,
// subject and the snippet with its matches in [brackets].
func printHits(w io.Writer, hits []store.SearchHit) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "sent\tchannel\tconversation\tauthor\tsubject\tsnippet")
	oneLine := strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "\t", " ", store.MatchStart, "[", store.MatchEnd, "]")
	for _, h := range hits {
		author := h.Author.DisplayName
		if author == "" {
			author = h.Author.Handle
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\n", h.SentAt.Local().Format(time.DateTime), h.Channel, h.ConversationID,
			oneLine.Replace(author), oneLine.Replace(h.Subject), oneLine.Replace(h.Snippet))
	}
	fmt.Fprintf(tw, "hits: %d\n", len(hits))
	return tw.Flush()
}
