package workspace

import (
	"encoding/json"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/listening"
	"github.com/stormdesk/stormdesk/backend/listening/bluesky"
	"github.com/stormdesk/stormdesk/backend/listening/hn"
	"github.com/stormdesk/stormdesk/backend/listening/mastodon"
	"github.com/stormdesk/stormdesk/backend/listening/reddit"
	"github.com/stormdesk/stormdesk/backend/listening/rss"
	"github.com/stormdesk/stormdesk/backend/listening/vk"
	"github.com/stormdesk/stormdesk/backend/listening/youtube"
)

// sourcePackage is one listening source package as the app knows it: its
// kind, its Settings struct (for the settings form), its secrets and how to
// open a source with this workspace's shared parts.
type sourcePackage struct {
	kind     string
	settings any
	secrets  []channels.Secret
	opener   func(w *Workspace) func(listening.Setup) (listening.Source, error)
	// renamed maps a secret's name to the one an earlier version stored it
	// under (the names now match the inbox channel's of the same platform).
	renamed map[string]string
}

// sourcePackages is the one list of listening sources, in the order the
// settings form offers them. Adding a source is a package under
// backend/listening and one line here.
func sourcePackages() []sourcePackage {
	fixed := func(open func(listening.Setup) (listening.Source, error)) func(*Workspace) func(listening.Setup) (listening.Source, error) {
		return func(*Workspace) func(listening.Setup) (listening.Source, error) { return open }
	}
	return []sourcePackage{
		{listening.SourceRSS, rss.Settings{}, rss.Secrets(), fixed(rss.Open), nil},
		{listening.SourceMastodon, mastodon.Settings{}, mastodon.Secrets(), fixed(mastodon.Open), nil},
		{listening.SourceBluesky, bluesky.Settings{}, bluesky.Secrets(), fixed(bluesky.Open), map[string]string{bluesky.SecretAppPassword: "appPassword"}},
		{listening.SourceReddit, reddit.Settings{}, reddit.Secrets(), fixed(reddit.Open), map[string]string{reddit.SecretClientSecret: "secret"}},
		{listening.SourceHN, hn.Settings{}, hn.Secrets(), fixed(hn.Open), nil},
		// YouTube spends from the workspace's shared quota, as the YouTube inbox accounts do.
		{listening.SourceYouTube, youtube.Settings{}, youtube.Secrets(), func(w *Workspace) func(listening.Setup) (listening.Source, error) {
			return youtube.Opener(w.ytQuota)
		}, nil},
		{listening.SourceVK, vk.Settings{}, vk.Secrets(), fixed(vk.Open), nil},
	}
}

// ListeningKinds maps each listening source kind to its package's Open and
// the names of its secrets, for the poller.
func (w *Workspace) ListeningKinds() map[string]ListeningKind {
	out := map[string]ListeningKind{}
	for _, p := range sourcePackages() {
		open := p.opener(w)
		names := make([]string, len(p.secrets))
		optional := map[string]bool{}
		for i, s := range p.secrets {
			names[i] = s.Name
			optional[s.Name] = !s.Required
		}
		out[p.kind] = ListeningKind{
			Open: func(name string, settings json.RawMessage, sec map[string]string) (listening.Source, error) {
				return open(listening.Setup{Name: name, Settings: settings, Secrets: sec, Log: w.Log})
			},
			Secrets: names, Optional: optional, Renamed: p.renamed,
		}
	}
	return out
}

// ListeningSourceSecrets names the secrets of a listening source kind (nil
// for an unknown kind), for moving a desktop's sources to a team server.
func ListeningSourceSecrets(kind string) []channels.Secret {
	for _, p := range sourcePackages() {
		if p.kind == kind {
			return p.secrets
		}
	}
	return nil
}

// ListeningSecretRenamed is the name an earlier version stored a source
// kind's secret what under ("" when it was not renamed).
func ListeningSecretRenamed(kind, what string) string {
	for _, p := range sourcePackages() {
		if p.kind == kind {
			return p.renamed[what]
		}
	}
	return ""
}

// ListeningSecretKey names a listening source's secret in the keyring (or
// the team server's sealed secrets): sources keep theirs under their id.
func ListeningSecretKey(sourceID int64, what string) string {
	return listeningSecretKey(sourceID, what)
}
