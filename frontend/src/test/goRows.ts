// Rows as Go sends them, for tests: every field present (lists [], an unset
// time null), as TestBoundAnswersAreWhatTheUIReads holds Go to. A test names
// only what it is about and takes the rest from here.
import type { drafts, inbox, store } from '../../wailsjs/go/models';
import type { Plain } from '../lib/api/types';

type Row<T> = Plain<T>;
type Over<T> = Partial<Row<T>>;

export function goAuthor(o: Over<inbox.Author> = {}): Row<inbox.Author> {
  return { id: 1, channel: 'mail', externalId: '', handle: '', displayName: '', reach: 0, notes: '', vip: false, banned: false, blockedUntil: null, ...o };
}

export function goConversation(o: Omit<Over<inbox.Conversation>, 'author'> & { author?: Over<inbox.Author> } = {}): Row<inbox.Conversation> {
  const { author, ...rest } = o;
  return {
    id: 1, accountId: 1, channel: 'mail', threadKey: '', kind: 'mail', subject: '', status: 'open', assignee: '', priority: 0, tags: [],
    snippet: '', sentiment: '', negativeCount: 0, messageCount: 1, firstMessageAt: '2025-01-01T00:00:00Z', lastMessageAt: '2025-01-01T00:00:00Z',
    slaDueAt: null, suspiciousDate: false, slaState: '', slaWarnAt: null, slaPolicy: '', failedSend: false, snoozedUntil: null,
    snippetAttachments: [],
    ...rest,
    author: goAuthor(author),
  };
}

export function goMessage(o: Omit<Over<inbox.Message>, 'author'> & { author?: Over<inbox.Author> } = {}): Row<inbox.Message> {
  const { author, ...rest } = o;
  return {
    id: 1, conversationId: 1, accountId: 1, externalId: '', direction: 'in', kind: 'mail', subject: '', text: '', html: '',
    sentAt: '2025-01-01T00:00:00Z', claimedAt: null, sentiment: '', sentimentScore: 0, flags: [], attachments: [],
    ...rest,
    author: goAuthor(author),
  };
}

export function goReply(o: Over<drafts.Reply> = {}): Row<drafts.Reply> {
  return {
    id: 'r1', conversationId: 1, state: 'draft', author: '', draftText: '', text: '', lang: '', source: '', aiAssisted: false,
    citations: [], problems: [], injection: [], approval: { needsApprover: false, twoPerson: false, reasons: [] }, approver: '',
    comment: '', failReason: '', externalId: '', idempotencyKey: '', updatedAt: '2025-01-01T00:00:00Z', allowed: [],
    template: { name: '', language: '', header: [], body: [], buttons: [], media: { format: '', link: '', filename: '', latitude: 0, longitude: 0, name: '', address: '' } },
    ...o,
  };
}

export function goPendingApproval(o: Omit<Over<store.PendingApproval>, 'reply'> & { reply?: Over<drafts.Reply> } = {}): Row<store.PendingApproval> {
  const { reply, ...rest } = o;
  return { account: '', brand: '', channel: 'mail', subject: '', author: '', crisis: false, priority: 0, ...rest, reply: goReply(reply) };
}
