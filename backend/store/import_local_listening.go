package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Listening's tables move with the rest (docs/listening.md, "Moving in"):
// topics and sources by name, mentions by (source, external id), so a second
// run adds only what is missing. Ids change on the way, so what names a
// topic by id outside these tables (the forwarding rules and the ledger of
// sent digests and alerts in the settings table) is rewritten to the team
// store's ids.

// ImportedSource names a listening source ImportLocal copied (or found), with
// its id in the file and in the team store: its secrets are kept under the id.
type ImportedSource struct {
	Name, Kind      string
	LocalID, TeamID int64
}

// Settings keys that name listening topics by id (backend/workspace/forward.go,
// backend/listening/forward/ledger.go).
const (
	forwardRulesSetting  = "listening.forward.rules"
	forwardLedgerSetting = "listening.forward/"
	forwardHeldSetting   = "listening.forward.held" // rule id -> alerts held in quiet hours
)

func (im *localImport) copyListeningTopics(ctx context.Context) (int64, error) {
	return im.copyTable(ctx, tableCopy{table: "listening_topics",
		cols: []string{"name", "query", "kind", "enabled", "created_at"},
		tail: "ON CONFLICT (name) DO NOTHING", natural: []int{0}, into: im.topics})
}

func (im *localImport) copyListeningSources(ctx context.Context) (int64, error) {
	n, err := im.copyTable(ctx, tableCopy{table: "listening_sources",
		cols: []string{"kind", "name", "settings", "enabled", "remaining", "reset_at", "next_poll", "polled_at",
			"error_code", "error_params", "error_detail", "created_at"},
		tail: "ON CONFLICT (name) DO NOTHING", natural: []int{1}, into: im.sources})
	if err != nil {
		return n, err
	}
	rows, err := im.src.db.QueryContext(ctx, `SELECT id, name, kind FROM listening_sources ORDER BY name`)
	if err != nil {
		return n, err
	}
	defer rows.Close()
	for rows.Next() {
		var s ImportedSource
		if err := rows.Scan(&s.LocalID, &s.Name, &s.Kind); err != nil {
			return n, err
		}
		s.TeamID = im.sources[s.LocalID]
		im.res.Sources = append(im.res.Sources, s)
	}
	return n, rows.Err()
}

func (im *localImport) copyListeningCursors(ctx context.Context) (int64, error) {
	return im.copyTable(ctx, tableCopy{table: "listening_cursors",
		cols: []string{"source_id", "topic_id", "cursor", "updated_at"},
		ids:  map[int]map[int64]int64{0: im.sources, 1: im.topics},
		tail: "ON CONFLICT (source_id, topic_id) DO NOTHING"})
}

func (im *localImport) copyListeningMentions(ctx context.Context) (int64, error) {
	return im.copyTable(ctx, tableCopy{table: "listening_mentions",
		cols: []string{"source", "external_id", "url", "link_key", "author", "author_id", "author_url", "reach", "title", "text",
			"lang", "published", "replies", "reactions", "sentiment", "score", "corrected", "reply_channel", "reply_thread",
			"reply_to", "conversation_id", "found_at"},
		ids:     map[int]map[int64]int64{20: im.convs},
		tail:    "ON CONFLICT (source, external_id) DO NOTHING",
		natural: []int{0, 1}, into: im.mentions})
}

func (im *localImport) copyListeningMentionTopics(ctx context.Context) (int64, error) {
	return im.copyTable(ctx, tableCopy{table: "listening_mention_topics",
		cols: []string{"topic_id", "mention_id", "published", "source", "lang", "sentiment"},
		ids:  map[int]map[int64]int64{0: im.topics, 1: im.mentions},
		tail: "ON CONFLICT (topic_id, mention_id) DO NOTHING"})
}

// copyListeningMentionSources: a sighting the team store has under another
// mention (the same post found by both) stays with that one.
func (im *localImport) copyListeningMentionSources(ctx context.Context) (int64, error) {
	return im.copyTable(ctx, tableCopy{table: "listening_mention_sources",
		cols: []string{"mention_id", "source", "external_id", "url"},
		ids:  map[int]map[int64]int64{0: im.mentions},
		tail: "ON CONFLICT (source, external_id) DO NOTHING"})
}

// listeningSettings rewrites, in a batch of settings rows (key, value,
// updated_at), the topic ids of the forwarding rules and of the ledger's
// keys to the team store's. The team store's own rules are kept: the file's
// rules are merged into them for the topics that have none there yet.
func (im *localImport) listeningSettings(ctx context.Context, rows [][]any) error {
	for _, r := range rows {
		key := asString(r[0])
		switch {
		case key == forwardRulesSetting:
			v, err := im.mergeForwardRules(ctx, asString(r[1]))
			if err != nil {
				return fmt.Errorf("forward rules: %w", err)
			}
			r[1] = v
		case strings.HasPrefix(key, forwardLedgerSetting):
			r[0] = im.ledgerKey(key)
		case key == forwardHeldSetting:
			v, err := im.heldAlerts(asString(r[1]))
			if err != nil {
				return fmt.Errorf("held alerts: %w", err)
			}
			r[1] = v
		}
	}
	return nil
}

// mergeForwardRules answers the rules to store: the file's with the team
// store's topic ids, merged into the team store's rules when it has some
// (then written here, since the copy keeps a setting the target has).
func (im *localImport) mergeForwardRules(ctx context.Context, local string) (string, error) {
	var rules []map[string]any
	if err := json.Unmarshal([]byte(local), &rules); err != nil {
		return "", err
	}
	mapped, same := rules[:0], true
	for _, rule := range rules {
		id, ok := rule["topicId"].(float64)
		team, found := im.topics[int64(id)]
		if !ok || !found {
			same = false
			continue // a deleted topic's rule rests in the file; it has no topic here
		}
		same = same && team == int64(id)
		rule["topicId"] = team
		mapped = append(mapped, rule)
	}
	var have string
	err := im.dst.db.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, forwardRulesSetting).Scan(&have)
	if err != nil { // none there yet (or unreadable: the insert says so)
		if same {
			return local, nil
		}
		b, err := json.Marshal(mapped)
		return string(b), err
	}
	var team []map[string]any
	if err := json.Unmarshal([]byte(have), &team); err != nil {
		return "", err
	}
	taken := map[float64]bool{}
	for _, rule := range team {
		id, _ := rule["topicId"].(float64)
		taken[id] = true
	}
	merged := len(team)
	for _, rule := range mapped {
		if id := float64(rule["topicId"].(int64)); !taken[id] {
			team = append(team, rule)
		}
	}
	b, err := json.Marshal(team)
	if err != nil || len(team) == merged {
		return string(b), err
	}
	if _, err := im.dst.db.ExecContext(ctx, `UPDATE settings SET value = ? WHERE key = ?`, string(b), forwardRulesSetting); err != nil {
		return "", err
	}
	im.replaced["settings"]++
	return string(b), nil
}

// heldAlerts rewrites the rule ids (topic-<id>) of the alerts held in quiet
// hours to the team store's topics; a rule of a topic not imported is dropped.
// (When the team store holds alerts of its own, they stay and the file's are
// not copied: the copy keeps a setting the target has.)
func (im *localImport) heldAlerts(v string) (string, error) {
	var held map[string]json.RawMessage
	if err := json.Unmarshal([]byte(v), &held); err != nil {
		return "", err
	}
	out := make(map[string]json.RawMessage, len(held))
	for rule, alerts := range held {
		if team, ok := im.ruleID(rule); ok {
			out[team] = alerts
		}
	}
	b, err := json.Marshal(out)
	return string(b), err
}

// ruleID maps a forwarding rule's id (topic-<id>) to the team store's.
func (im *localImport) ruleID(rule string) (string, bool) {
	local, err := strconv.ParseInt(strings.TrimPrefix(rule, "topic-"), 10, 64)
	if err != nil || !strings.HasPrefix(rule, "topic-") {
		return "", false
	}
	team, ok := im.topics[local]
	return "topic-" + strconv.FormatInt(team, 10), ok
}

// ledgerKey rewrites listening.forward/<digest|alert>/topic-<id>/… to the
// team store's topic id, so a digest or alert the desktop sent is not sent
// again, nor taken for another topic's.
func (im *localImport) ledgerKey(key string) string {
	parts := strings.SplitN(key, "/", 4)
	if len(parts) < 4 {
		return key
	}
	if team, ok := im.ruleID(parts[2]); ok {
		parts[2] = team
	}
	return strings.Join(parts, "/")
}

func asString(v any) string {
	if b, ok := v.([]byte); ok {
		return string(b)
	}
	s, _ := v.(string)
	return s
}
