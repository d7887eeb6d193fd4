// Package drafts turns a conversation into a reply a person can approve:
// an LLM client for any OpenAI-compatible server (with retries, streaming and
// cancellation), a prompt builder that keeps customer text as untrusted data,
// output checks that mark bad answers instead of hiding them, an offline
// template drafter, a canned-replies library and the approval state machine.
//
// A draft is only ever a draft until a person approves and queues it; only
// the Outbox sends, and only queued replies, exactly once (see outbox.go).
// The package never imports the store (the store imports it); the Outbox
// reaches SQLite through the small OutboxStore interface. See docs/drafting.md.
package drafts
