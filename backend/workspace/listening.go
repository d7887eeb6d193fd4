package workspace

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/stormdesk/stormdesk/backend/apperr"
	"github.com/stormdesk/stormdesk/backend/demo"
	"github.com/stormdesk/stormdesk/backend/inbox"
	"github.com/stormdesk/stormdesk/backend/listening"
	"github.com/stormdesk/stormdesk/backend/listening/poll"
	"github.com/stormdesk/stormdesk/backend/listening/query"
	"github.com/stormdesk/stormdesk/backend/secrets"
	"github.com/stormdesk/stormdesk/backend/store"
)

// Brand listening (docs/listening.md): topics, the configured sources, the
// mention stream, and turning a mention into an inbox conversation.

// ListeningKind is a kind of listening source this build can poll: how to
// build its client, and the names of the secrets it reads from the keyring
// (a source package's Open and Secrets).
type ListeningKind struct {
	// Open builds the client of one configured source from its name, its
	// stored settings (JSON) and its secrets by name (a secret not stored is
	// absent from the map).
	Open    func(name string, settings json.RawMessage, secrets map[string]string) (listening.Source, error)
	Secrets []string
	// Optional are the secrets a source of the kind may go without (an RSS
	// feed's private address): without a keyring such a source is opened
	// without them.
	Optional map[string]bool
	// Renamed maps a secret's name to the one an earlier version stored it
	// under; the old one is read, moved to the new name, and deleted.
	Renamed map[string]string
}

// listeningSecretKey names a listening source's secret in the keyring (or
// the team server's sealed secrets), beside the channel accounts'.
func listeningSecretKey(sourceID int64, what string) string {
	return secrets.Key("listening-"+strconv.FormatInt(sourceID, 10), what)
}

// NewListeningPoller returns the poller of the configured sources; kinds
// maps a source kind to its client. A source of a kind without one shows
// "not configured" as its last error.
func (w *Workspace) NewListeningPoller(sec SecretStore, kinds map[string]ListeningKind, onStored func(poll.Round)) (*poll.Poller, error) {
	// The model is asked for at every page, so an import or retrain while
	// the app runs is used without a restart.
	current := func(ctx context.Context) poll.Scorer { return w.CurrentSentimentModel(ctx) }
	return &poll.Poller{Store: w.Store, CurrentModel: current, Log: w.Log, OnStored: onStored,
		Open: func(ctx context.Context, src store.ListeningSource) (listening.Source, error) {
			kind, ok := kinds[src.Kind]
			if !ok {
				return nil, apperr.NotConfigured("listening source "+src.Kind, fmt.Errorf("no client for listening sources of kind %q in this build", src.Kind))
			}
			vals, keyringErr, err := w.sourceSecrets(ctx, sec, src, kind)
			if err != nil {
				return nil, err
			}
			s, err := kind.Open(src.Name, json.RawMessage(src.Settings), vals)
			if err != nil && keyringErr != nil {
				// It needed what the keyring could not give: that is the reason.
				return nil, keyringErr
			}
			return s, err
		}}, nil
}

// sourceSecrets reads a source's secrets by its kind's names. A secret not
// stored is absent (the source's Open says which it needs). An optional one
// the keyring cannot give (no keyring running) is left out too, and that
// error returned apart, so a source that does not use it (a public feed)
// works without a keyring. A secret stored under its earlier name is moved to
// its name now.
func (w *Workspace) sourceSecrets(ctx context.Context, sec SecretStore, src store.ListeningSource, kind ListeningKind) (vals map[string]string, keyringErr, err error) {
	vals = map[string]string{}
	for _, what := range kind.Secrets {
		v, err := w.sourceSecret(ctx, sec, src.ID, what, kind.Renamed[what])
		switch {
		case errors.Is(err, secrets.ErrNotFound):
			continue
		case err != nil && kind.Optional[what]:
			keyringErr = fmt.Errorf("listening source %q: read its %s: %w", src.Name, what, err)
			continue
		case err != nil:
			return nil, nil, fmt.Errorf("listening source %q: read its %s: %w", src.Name, what, err)
		}
		vals[what] = v
	}
	return vals, keyringErr, nil
}

// sourceSecret reads one secret of a source, moving it from its earlier name
// old ("" when it had none) when only that one is stored. A failed move is
// logged and tried again at the next read; the value is still used.
func (w *Workspace) sourceSecret(ctx context.Context, sec SecretStore, id int64, what, old string) (string, error) {
	v, err := sec.Get(ctx, listeningSecretKey(id, what))
	if old == "" || !errors.Is(err, secrets.ErrNotFound) {
		return v, err
	}
	v, err = sec.Get(ctx, listeningSecretKey(id, old))
	if err != nil {
		return v, err
	}
	if err := sec.Set(ctx, listeningSecretKey(id, what), v); err != nil {
		w.Log.Warn("listening source: move a secret to its new name", "source", id, "secret", what, "err", err)
		return v, nil
	}
	if d, ok := sec.(interface {
		Delete(ctx context.Context, key string) error
	}); ok {
		if err := d.Delete(ctx, listeningSecretKey(id, old)); err != nil {
			w.Log.Warn("listening source: delete a secret's old name", "source", id, "secret", old, "err", err)
		}
	}
	return v, nil
}

// QueryCheck is a topic query as the editor shows it while the user types:
// valid, or the error's code and where it is (character offsets).
type QueryCheck struct {
	OK    bool     `json:"ok"`
	Code  string   `json:"code"`
	Pos   int      `json:"pos"`
	End   int      `json:"end"`
	Param string   `json:"param"`
	Terms []string `json:"terms"` // what the sources will be asked for
}

// CheckListeningQuery parses a topic query for the editor.
func CheckListeningQuery(q string) QueryCheck {
	parsed, err := query.Parse(q)
	if err != nil {
		var qe *query.Error
		if errors.As(err, &qe) {
			return QueryCheck{Code: qe.Code, Pos: qe.Pos, End: qe.End, Param: qe.Param}
		}
		return QueryCheck{Code: apperr.CodeInvalidInput}
	}
	return QueryCheck{OK: true, Terms: parsed.Terms()}
}

// parseTopicQuery parses q, or answers the coded query-invalid error that
// says what is wrong and where.
func parseTopicQuery(q string) (*query.Query, error) {
	parsed, err := query.Parse(q)
	if err != nil {
		return nil, apperr.Classify(fmt.Errorf("topic query: %w", err))
	}
	return parsed, nil
}

// ListeningTopics returns every topic.
func (w *Workspace) ListeningTopics(ctx context.Context) ([]store.ListeningTopic, error) {
	return w.Store.ListeningTopics(ctx)
}

// SaveListeningTopic validates the topic's query and stores the topic.
func (w *Workspace) SaveListeningTopic(ctx context.Context, t store.ListeningTopic) (store.ListeningTopic, error) {
	if strings.TrimSpace(t.Name) == "" {
		return store.ListeningTopic{}, apperr.InvalidInput("name", errors.New("a topic needs a name"))
	}
	if _, err := parseTopicQuery(t.Query); err != nil {
		return store.ListeningTopic{}, err
	}
	return w.Store.SaveListeningTopic(ctx, t)
}

// DeleteListeningTopic deletes a topic and the mentions only it held.
func (w *Workspace) DeleteListeningTopic(ctx context.Context, id int64) error {
	return w.Store.DeleteListeningTopic(ctx, id)
}

// previewScan bounds how many recent stored mentions a preview reads.
const previewScan = 5000

// previewLimit bounds the matches a preview shows.
const previewLimit = 50

// PreviewListening shows what a query would collect: the recent stored
// mentions it matches, newest first, or, while nothing is stored yet, the
// demo mentions it matches, so the syntax can be tried before any source is
// set up.
func (w *Workspace) PreviewListening(ctx context.Context, q string, now time.Time) ([]store.ListeningMention, error) {
	parsed, err := parseTopicQuery(q)
	if err != nil {
		return nil, err
	}
	recent, err := w.Store.RecentListeningMentions(ctx, time.Time{}, previewScan)
	if err != nil {
		return nil, err
	}
	if len(recent) == 0 {
		recent = demoListeningMentions(now)
	}
	out := []store.ListeningMention{}
	for _, m := range recent {
		if parsed.Match(query.Doc{Text: m.Text, Title: m.Title, Lang: m.Lang, Source: m.Source}) {
			out = append(out, m)
			if len(out) == previewLimit {
				break
			}
		}
	}
	return out, nil
}

// demoListeningMentions are the demo's mentions as stored ones (without
// ids), newest first.
func demoListeningMentions(now time.Time) []store.ListeningMention {
	var out []store.ListeningMention
	for _, t := range demo.Listening(now, 1) {
		for _, m := range t.Mentions {
			out = append(out, store.ListeningMention{Source: m.Source, ExternalID: m.ExternalID, URL: m.URL, Author: m.Author,
				AuthorID: m.AuthorID, AuthorURL: m.AuthorURL, Reach: m.Reach, Title: m.Title, Text: m.Text, Lang: m.Lang,
				Published: m.Published, Replies: m.Replies, Reactions: m.Reactions, Sentiment: m.Sentiment, Score: m.Score,
				Sources: []store.MentionSource{{Source: m.Source, URL: m.URL}}, TopicIDs: []int64{}})
		}
	}
	slices.SortFunc(out, func(a, b store.ListeningMention) int { return b.Published.Compare(a.Published) })
	return out
}

// ListeningMentions returns one page of the mention stream.
func (w *Workspace) ListeningMentions(ctx context.Context, f store.ListeningFilter, cursor string) (store.ListeningPage, error) {
	return w.Store.ListeningMentions(ctx, f, cursor)
}

// CorrectListeningTonality sets a mention's tonality as a person judged it.
func (w *Workspace) CorrectListeningTonality(ctx context.Context, id int64, label inbox.Sentiment) error {
	if label == inbox.SentimentUnknown || !label.Valid() {
		return apperr.InvalidInput("sentiment", fmt.Errorf("%q is not negative, neutral or positive", label))
	}
	return w.Store.CorrectListeningTonality(ctx, id, label)
}

// ListeningToConversation turns an answerable mention into an inbox
// conversation on the brand's account of the mention's channel, threaded
// with the post: the mention is its first message, and the platform's later
// replies in the thread join it. Asked again, it answers the same
// conversation.
func (w *Workspace) ListeningToConversation(ctx context.Context, id int64) (int64, error) {
	m, err := w.Store.ListeningMention(ctx, id)
	if err != nil {
		return 0, err
	}
	if m.ConversationID != 0 {
		return m.ConversationID, nil
	}
	ref := m.Ref()
	if ref == nil {
		return 0, apperr.InvalidInput("mention", fmt.Errorf("mentions from %s cannot be answered", m.Source))
	}
	acct, err := w.accountForMention(ctx, m, ref.Channel)
	if err != nil {
		return 0, err
	}
	authorID := m.AuthorID
	if authorID == "" {
		authorID = m.Author
	}
	it := inbox.Item{ExternalID: ref.InReplyTo, ThreadKey: ref.ThreadKey, Kind: inbox.KindComment, Direction: inbox.DirectionIn,
		Author:  inbox.Author{Channel: ref.Channel, ExternalID: authorID, Handle: m.Author, DisplayName: m.Author, Reach: m.Reach},
		Subject: m.Title, Text: m.Text, SentAt: m.Published, Sentiment: m.Sentiment, SentimentScore: m.Score}
	wr := w.Pipeline.NewWriter()
	if err := wr.Add(ctx, acct, it); err != nil {
		return 0, fmt.Errorf("mention %d to a conversation: %w", id, err)
	}
	if _, err := wr.Close(ctx); err != nil {
		return 0, fmt.Errorf("mention %d to a conversation: %w", id, err)
	}
	convID, err := w.Store.ConversationIDByThreadKey(ctx, acct.ID, ref.ThreadKey)
	if err != nil {
		return 0, fmt.Errorf("mention %d to a conversation: %w", id, err)
	}
	if err := w.Store.SetListeningConversation(ctx, id, convID); err != nil {
		return 0, err
	}
	return convID, nil
}

// accountForMention picks the active account of channel that answers the
// mention: one whose brand is a topic of the mention, else the first.
func (w *Workspace) accountForMention(ctx context.Context, m store.ListeningMention, channel inbox.ChannelKind) (inbox.Account, error) {
	accounts, err := w.Store.Accounts(ctx)
	if err != nil {
		return inbox.Account{}, err
	}
	states, err := w.Store.AccountStates(ctx)
	if err != nil {
		return inbox.Account{}, err
	}
	brands := map[string]bool{}
	for _, tid := range m.TopicIDs {
		if t, err := w.Store.ListeningTopic(ctx, tid); err == nil {
			brands[strings.ToLower(t.Name)] = true
		}
	}
	var pick *inbox.Account
	for i, a := range accounts {
		if a.Channel != channel || states[a.ID] != store.AccountActive {
			continue
		}
		if pick == nil || brands[strings.ToLower(a.Brand)] && !brands[strings.ToLower(pick.Brand)] {
			pick = &accounts[i]
		}
	}
	if pick == nil {
		return inbox.Account{}, apperr.NotConfigured(string(channel)+" account",
			fmt.Errorf("no active %s account to answer the mention from", channel))
	}
	return *pick, nil
}

// ListeningSourceInput is a listening source as its settings form sends it.
// Secrets (a token, an app password) go to the keyring; an empty value keeps
// the stored one.
type ListeningSourceInput struct {
	ID       int64             `json:"id"`
	Kind     string            `json:"kind"`
	Name     string            `json:"name"`
	Settings string            `json:"settings"`
	Enabled  bool              `json:"enabled"`
	Secrets  map[string]string `json:"secrets"`
}

// ListeningSources returns the configured sources with their status.
// A source that asked for no time shows when the app's poller (DefaultEvery)
// comes back to it.
func (w *Workspace) ListeningSources(ctx context.Context) ([]store.ListeningSource, error) {
	srcs, err := w.Store.ListeningSources(ctx)
	for i := range srcs {
		srcs[i].NextPoll = poll.NextPoll(srcs[i], 0)
	}
	return srcs, err
}

// SaveListeningSource stores a source and its secrets.
func (w *Workspace) SaveListeningSource(ctx context.Context, in ListeningSourceInput, sec SecretStore) (store.ListeningSource, error) {
	if !slices.Contains(query.Sources(), in.Kind) {
		return store.ListeningSource{}, apperr.InvalidInput("kind", fmt.Errorf("%q is not a listening source", in.Kind))
	}
	src, err := w.Store.SaveListeningSource(ctx, store.ListeningSource{ID: in.ID, Kind: in.Kind, Name: in.Name, Settings: in.Settings, Enabled: in.Enabled})
	if err != nil {
		return store.ListeningSource{}, err
	}
	for what, v := range in.Secrets {
		if v == "" {
			continue
		}
		if err := sec.Set(ctx, listeningSecretKey(src.ID, what), v); err != nil {
			return src, fmt.Errorf("listening source %q: store its %s: %w", src.Name, what, err)
		}
	}
	return src, nil
}

// DeleteListeningSource deletes a source, its cursors and its secrets (the
// names its kind reads, from kinds); its mentions stay.
func (w *Workspace) DeleteListeningSource(ctx context.Context, id int64, sec AccountSecrets, kinds map[string]ListeningKind) error {
	src, err := w.Store.ListeningSource(ctx, id)
	if err != nil {
		return err
	}
	if err := w.Store.DeleteListeningSource(ctx, id); err != nil {
		return err
	}
	kind := kinds[src.Kind]
	for _, what := range kind.Secrets {
		for _, name := range []string{what, kind.Renamed[what]} {
			if name == "" {
				continue
			}
			if err := sec.Delete(ctx, listeningSecretKey(id, name)); err != nil {
				return err
			}
		}
	}
	return nil
}

// seedDemoListening stores the demo topics and their mentions; each mention
// joins every demo topic whose query matches it, as the poller would.
func (w *Workspace) seedDemoListening(ctx context.Context, now time.Time) error {
	data := demo.Listening(now, 1)
	type parsed struct {
		id int64
		q  *query.Query
	}
	var topics []parsed
	for _, t := range data {
		st, err := w.Store.SaveListeningTopic(ctx, store.ListeningTopic{Name: t.Name, Query: t.Query, Kind: t.Kind, Enabled: true, CreatedAt: now.Add(-demo.Span)})
		if err != nil {
			return fmt.Errorf("demo listening: %w", err)
		}
		q, err := query.Parse(t.Query)
		if err != nil {
			return fmt.Errorf("demo listening topic %s: %w", t.Name, err)
		}
		topics = append(topics, parsed{st.ID, q})
	}
	for _, t := range topics {
		var batch []store.ScoredMention
		for _, dt := range data {
			for _, m := range dt.Mentions {
				if t.q.Match(query.Doc{Text: m.Text, Title: m.Title, Lang: m.Lang, Source: m.Source}) {
					batch = append(batch, store.ScoredMention{Mention: m.Mention, Sentiment: m.Sentiment, Score: m.Score})
				}
			}
		}
		if _, err := w.Store.SaveListeningBatch(ctx, store.ListeningBatch{TopicID: t.id, PolledAt: now, Mentions: batch}); err != nil {
			return fmt.Errorf("demo listening: %w", err)
		}
	}
	return nil
}
