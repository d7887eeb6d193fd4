// Package drafts turns a conversation into a reply a person can approve:
// an LLM client for any OpenAI-compatible server (with retries, streaming and
// cancellation), a prompt builder that keeps customer text as untrusted data,
// output checks that mark bad answers instead of hiding them, an offline
// template drafter, a canned-replies library and the approval state machine.
//
// Nothing in this package sends a reply or touches the store: a draft is only
// ever a draft until a person approves it and the outbox (integrated by the
// app) delivers it. See docs/drafting.md.
package drafts
