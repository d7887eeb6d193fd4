package workspace

import (
	"context"
	"fmt"
	"time"

	"github.com/stormdesk/stormdesk/backend/moderation"
	"github.com/stormdesk/stormdesk/backend/store"
)

// AuthorPanel is an author's profile with the step the etiquette ladder suggests next.
type AuthorPanel struct {
	Profile    store.AuthorProfile `json:"profile"`
	Next       moderation.Step     `json:"next"`
	Influencer bool                `json:"influencer"` // reach >= moderation.InfluencerReach
}

// AuthorModeration is a moderation step as the UI asks for it.
type AuthorModeration struct {
	AuthorID  int64  `json:"authorId"`
	AccountID int64  `json:"accountId"` // the account of the conversation it was given from; 0 if none
	Kind      string `json:"kind"`      // warning, block, ban, lift
	Reason    string `json:"reason"`
	Hours     int    `json:"hours"` // a block's length
	Confirm   bool   `json:"confirm"`
}

// ModerationOutcome says whether a step was recorded; a critical step
// without confirm is not, and Warning says why it needs confirming.
type ModerationOutcome struct {
	Applied bool               `json:"applied"`
	Warning moderation.Warning `json:"warning"`
	Panel   AuthorPanel        `json:"panel"`
}

// authorHistory is how many conversations the panel lists.
const authorHistory = 50

// AuthorPanel returns an author's profile, history and standing with the next step.
func (w *Workspace) AuthorPanel(ctx context.Context, authorID int64) (AuthorPanel, error) {
	p, err := w.Store.AuthorProfile(ctx, authorID, authorHistory)
	if err != nil {
		return AuthorPanel{}, err
	}
	return AuthorPanel{Profile: p, Next: moderation.DefaultLadder().Next(p.Standing),
		Influencer: p.Author.Reach >= moderation.InfluencerReach}, nil
}

// ModerateAuthor records a step of the etiquette ladder by who at now, after
// checking it against the author's standing. Blocking or banning a VIP, an
// influencer or a critic is only recorded with Confirm; without, the outcome
// carries the reasons and nothing changes. Nothing is sent to the platform.
func (w *Workspace) ModerateAuthor(ctx context.Context, in AuthorModeration, who string, now time.Time) (ModerationOutcome, error) {
	panel, err := w.AuthorPanel(ctx, in.AuthorID)
	if err != nil {
		return ModerationOutcome{}, err
	}
	p := panel.Profile
	// Capped so the multiplication cannot wrap; Check rejects anything over a year anyway.
	hours := min(in.Hours, 1_000_000)
	req := moderation.Request{Kind: moderation.Kind(in.Kind), Reason: in.Reason, Duration: time.Duration(hours) * time.Hour}
	warn, err := moderation.Check(req, moderation.Subject{VIP: p.Author.VIP, Reach: p.Author.Reach, NegativeShare: p.Totals.NegativeShare}, p.Standing)
	if err != nil {
		return ModerationOutcome{}, fmt.Errorf("moderate author %d: %w", in.AuthorID, err)
	}
	if warn.Critical && !in.Confirm {
		return ModerationOutcome{Warning: warn, Panel: panel}, nil
	}
	e := moderation.Entry{AuthorID: in.AuthorID, AccountID: in.AccountID, Kind: req.Kind, Reason: req.Reason, By: who, At: now}
	if req.Kind == moderation.KindBlock {
		until := now.Add(req.Duration)
		e.Until = &until
	}
	if _, err := w.Store.AddModeration(ctx, e); err != nil {
		return ModerationOutcome{}, err
	}
	w.Log.Info("author moderated", "author", in.AuthorID, "kind", req.Kind, "hours", in.Hours, "by", who, "critical", warn.Critical)
	if panel, err = w.AuthorPanel(ctx, in.AuthorID); err != nil {
		return ModerationOutcome{}, err
	}
	return ModerationOutcome{Applied: true, Warning: warn, Panel: panel}, nil
}
