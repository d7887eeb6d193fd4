package drafts

import (
	"context"
	"time"

	"github.com/stormdesk/stormdesk/backend/inbox"
)

// Draft sources.
const (
	SourceLLM     = "llm"
	SourceOffline = "offline"
	SourceCanned  = "canned"
	// SourceTemplate: a platform message template with its values
	// (Reply.Template), e.g. a WhatsApp template outside the 24-hour window.
	SourceTemplate = "template"
)

// Draft is a proposed reply. It is never sent by this package; it becomes a
// Reply in the approval workflow (NewReply) and only an approved, queued
// Reply reaches the outbox.
type Draft struct {
	Text         string    `json:"text"`
	Lang         string    `json:"lang"`   // the language the reply should be in
	Source       string    `json:"source"` // SourceLLM, SourceOffline or SourceCanned
	Model        string    `json:"model,omitempty"`
	FinishReason string    `json:"finishReason,omitempty"`
	Usage        Usage     `json:"usage"`
	Citations    []string  `json:"citations"` // KBEntry IDs the reply relies on
	Problems     []string  `json:"problems"`  // Problem* markers; empty only when every check passed
	Injection    []Finding `json:"injection"` // findings on the inbound messages of the thread
	AIAssisted   bool      `json:"aiAssisted"`
	// Prompt is what the model was sent, kept for the local audit log.
	Prompt    []ChatMessage `json:"prompt,omitempty"`
	CreatedAt time.Time     `json:"createdAt" ts_type:"string"`
}

// Usage is the token accounting the server reported (zero when it did not).
type Usage struct {
	PromptTokens     int `json:"promptTokens"`
	CompletionTokens int `json:"completionTokens"`
	TotalTokens      int `json:"totalTokens"`
}

// KBEntry is an approved statement or FAQ entry: the only facts a draft may use.
type KBEntry struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Text  string `json:"text"`
	Lang  string `json:"lang"` // "" = any language
	// Brand limits the entry to one brand's replies; "" = every brand.
	Brand string `json:"brand"`
}

// Brand is who the reply speaks for and how.
type Brand struct {
	Name string `json:"name"`
	// Tone is the brand's tone of voice in the user's own words,
	// e.g. "warm, plain words, no exclamation marks, first name basis".
	Tone string `json:"tone"`
	// DefaultLang is used when the thread gives no language signal.
	DefaultLang string `json:"defaultLang"`
	Signature   string `json:"signature"` // appended by templates; the LLM is told to sign with it
	// Domain is the brand's line of business (one of Domains, "" = not set):
	// the offline templates word bills, orders and outages the way it does.
	Domain string `json:"domain"`
}

// The brand domains the offline templates know.
const (
	DomainAny      = ""
	DomainRetail   = "retail"
	DomainTelecom  = "telecom"
	DomainTravel   = "travel"
	DomainSoftware = "software"
)

// Domains lists the brand domains a brand profile can name.
func Domains() []string {
	return []string{DomainRetail, DomainTelecom, DomainTravel, DomainSoftware}
}

// Request is everything a drafter needs for one reply.
type Request struct {
	Brand    Brand
	Agent    string          // the person drafting, for signatures
	Thread   []inbox.Message // oldest first
	KB       []KBEntry
	Lang     string // force a language; "" = detect from the thread
	Crisis   bool   // the conversation is affected by an active crisis
	Guidance string // optional note from the agent, e.g. "offer a call back"; trusted
}

// Drafter produces a draft for a request. onDelta receives text as it is
// generated (it may be nil; offline drafters call it once).
type Drafter interface {
	Draft(ctx context.Context, req Request, onDelta func(string)) (Draft, error)
}
