package store

import (
	"encoding/json"
	"fmt"

	"github.com/stormdesk/stormdesk/backend/channels"
	"github.com/stormdesk/stormdesk/backend/drafts"
)

// schemaReplyTemplate (SQLite 33, PostgreSQL 19) keeps a template reply's
// template (drafts.ReplyTemplate): its name and language as the platform
// knows them, and the values of its variables in order, as JSON
// {"header": [...], "body": [...], "buttons": [{"index", "text"}], "media":
// {"format", "link", "filename"}}. Replies stored before buttons and media
// were kept have only header and body, which reads as no buttons and no
// media, how they were sent. A reply that is plain text has an empty name.
// The columns are written once, when the reply is made.
const schemaReplyTemplate = `
ALTER TABLE replies ADD COLUMN template_name TEXT NOT NULL DEFAULT '';
ALTER TABLE replies ADD COLUMN template_language TEXT NOT NULL DEFAULT '';
ALTER TABLE replies ADD COLUMN template_params TEXT NOT NULL DEFAULT '';
`

// templateParams is how template_params holds the values.
type templateParams struct {
	Header  []string                  `json:"header"`
	Body    []string                  `json:"body"`
	Buttons []channels.TemplateButton `json:"buttons"`
	Media   channels.TemplateMedia    `json:"media"`
}

// templateColumns encodes r's template for its three columns.
func templateColumns(r drafts.Reply) (name, lang, params string, err error) {
	if !r.IsTemplate() {
		return "", "", "", nil
	}
	b, err := json.Marshal(templateParams{Header: orEmpty(r.Template.Header), Body: orEmpty(r.Template.Body),
		Buttons: buttonsOrEmpty(r.Template.Buttons), Media: r.Template.Media})
	if err != nil {
		return "", "", "", fmt.Errorf("template values: %w", err)
	}
	return r.Template.Name, r.Template.Language, string(b), nil
}

// readTemplate fills r.Template from its three columns.
func readTemplate(r *drafts.Reply, name, lang, params string) error {
	r.Template = drafts.ReplyTemplate{Name: name, Language: lang, Header: []string{}, Body: []string{}, Buttons: []channels.TemplateButton{}}
	if name == "" || params == "" {
		return nil
	}
	var p templateParams
	if err := json.Unmarshal([]byte(params), &p); err != nil {
		return fmt.Errorf("reply %s: decode template values: %w", r.ID, err)
	}
	r.Template.Header, r.Template.Body = orEmpty(p.Header), orEmpty(p.Body)
	r.Template.Buttons, r.Template.Media = buttonsOrEmpty(p.Buttons), p.Media
	return nil
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func buttonsOrEmpty(b []channels.TemplateButton) []channels.TemplateButton {
	if b == nil {
		return []channels.TemplateButton{}
	}
	return b
}
