// Pure composer logic, kept free of Svelte so it can be tested alone: which
// workflow buttons a reply's state offers, how Go's problem markers read, how
// canned-reply variables are filled from the thread, and how an audit diff splits.
import type { Finding, Reply, ReplyState, StepAction, Thread } from './api';
import type { Key, Params } from './i18n';

/**
 * UIAction is a button the composer can show; approveSend runs approve then
 * queue, selfReview opens the self-review checklist (a single-person
 * workspace's approval of a crisis reply), whose confirmation approves and queues.
 */
export type UIAction = 'save' | 'submit' | 'withdraw' | 'approve' | 'reject' | 'approveSend' | 'selfReview' | 'queue' | 'retry' | 'discard';

// The buttons each step Go allows is offered as, in toolbar order.
const BUTTONS: [StepAction, UIAction[]][] = [
  ['edit', ['save']],
  ['submit', ['submit']],
  ['withdraw', ['withdraw']],
  ['approve', ['approve', 'approveSend']],
  ['self-review', ['selfReview']],
  ['reject', ['reject']],
  ['queue', ['queue']],
  ['retry', ['retry']],
  ['discard', ['discard']],
];

/**
 * allowedActions lists the buttons for the steps Go says the user may take on
 * the reply now (Reply.allowed, from drafts.Allowed): the one source of truth,
 * so no button is offered that Go would refuse. Approve & send needs queue
 * after approve; Go allows queue once the approval is in, and the UI asks in
 * that order.
 */
export function allowedActions(allowed: readonly StepAction[]): UIAction[] {
  return BUTTONS.filter(([step]) => allowed.includes(step)).flatMap(([, buttons]) => buttons);
}

// The buttons whose end is a send: the outbox would refuse them on an account that
// cannot send (demo, disabled, removed), so the composer disables them with the reason.
const SENDS: ReadonlySet<UIAction> = new Set<UIAction>(['approveSend', 'selfReview', 'queue', 'retry']);

/** sends says whether a button ends in sending the reply. */
export function sends(a: UIAction): boolean {
  return SENDS.has(a);
}

/** editable says whether the reply's text can be changed (Go accepts edit only here). */
export function editable(state: ReplyState | string): boolean {
  return state === 'draft' || state === 'rejected';
}

/** A problem marker as the UI shows it: a dictionary key with its parameters. */
export interface Marker {
  /** the raw marker or finding rule, kept for tests and data attributes */
  code: string;
  severity: 'error' | 'warn';
  key: Key;
  params?: Params;
}

const LANG_NAMES: Record<string, Key> = { en: 'lang.en', ru: 'lang.ru', de: 'lang.de' };

// Markers for what a draft states that no knowledge-base entry or brand field
// backs (drafts/claims.go); the argument is what was found, as written.
const CLAIM_KEYS: Record<string, Key> = {
  'unlisted-url': 'problem.unlistedUrl',
  'unlisted-email': 'problem.unlistedEmail',
  'unlisted-phone': 'problem.unlistedPhone',
  'unbacked-deadline': 'problem.unbackedDeadline',
  'unbacked-amount': 'problem.unbackedAmount',
};

// The brand profile fields drafts.SettingsInjection names.
const SETTING_NAMES: Record<string, Key> = { name: 'kb.brand', tone: 'brand.tone', signature: 'brand.signature', defaultLang: 'brand.defaultLang' };

const PROMISE_KEYS: Record<string, Key> = {
  refund: 'problem.promise.refund',
  compensation: 'problem.promise.compensation',
  voucher: 'problem.promise.voucher',
  replacement: 'problem.promise.replacement',
  credit: 'problem.promise.credit',
};

/**
 * problemMarkers turns Go's Draft.Problems ("truncated", "wrong-language:de",
 * …) and the thread's injection findings into readable markers. Unknown
 * markers are shown verbatim: a problem is never hidden because this UI does
 * not know its name.
 */
export function problemMarkers(
  problems: string[],
  injection: Finding[],
  langName: (code: string) => string = (c) => c,
  label: (key: Key) => string = (k) => k,
): Marker[] {
  const out: Marker[] = [];
  for (const p of problems) {
    const i = p.indexOf(':');
    const kind = i < 0 ? p : p.slice(0, i);
    const arg = i < 0 ? '' : p.slice(i + 1);
    switch (kind) {
      case 'empty':
        out.push({ code: p, severity: 'error', key: 'problem.empty' });
        break;
      case 'truncated':
        out.push({ code: p, severity: 'error', key: 'problem.truncated' });
        break;
      case 'incomplete':
        out.push({ code: p, severity: 'error', key: 'problem.incomplete' });
        break;
      case 'content-filter':
        out.push({ code: p, severity: 'error', key: 'problem.contentFilter' });
        break;
      case 'stream-error':
        out.push({ code: p, severity: 'error', key: 'problem.streamError' });
        break;
      case 'wrong-language':
        out.push({ code: p, severity: 'error', key: 'problem.wrongLanguage', params: { lang: langName(arg) } });
        break;
      case 'unbacked-promise':
        // Known concepts get a whole translated sentence; a new one from Go still shows, in English.
        out.push(
          PROMISE_KEYS[arg]
            ? { code: p, severity: 'error', key: PROMISE_KEYS[arg] }
            : { code: p, severity: 'error', key: 'problem.unbackedPromise', params: { what: arg } },
        );
        break;
      case 'unlisted-url':
      case 'unlisted-email':
      case 'unlisted-phone':
      case 'unbacked-deadline':
      case 'unbacked-amount':
        out.push({ code: p, severity: 'error', key: CLAIM_KEYS[kind], params: { value: arg } });
        break;
      case 'settings-injection':
        out.push(
          arg.startsWith('kb:')
            ? { code: p, severity: 'error', key: 'problem.kbInjection', params: { id: arg.slice(3) } }
            : { code: p, severity: 'error', key: 'problem.settingsInjection', params: { field: SETTING_NAMES[arg] ? label(SETTING_NAMES[arg]) : arg } },
        );
        break;
      case 'unknown-source':
        out.push({ code: p, severity: 'warn', key: 'problem.unknownSource', params: { id: arg } });
        break;
      case 'injection-suspected':
        out.push({ code: p, severity: 'error', key: 'problem.injection' });
        break;
      case 'missing-variable':
        out.push({ code: p, severity: 'warn', key: 'problem.missingVariable', params: { name: `{{${arg}}}` } });
        break;
      default:
        out.push({ code: p, severity: 'warn', key: 'problem.other', params: { code: p } });
    }
  }
  for (const f of injection) {
    out.push({ code: `finding:${f.rule}`, severity: 'error', key: 'problem.finding', params: { rule: f.rule, excerpt: f.excerpt } });
  }
  return out;
}

// The line Go's drafts.Apply adds to an approval's audit comment when the
// reply still had problem markers (drafts.ApprovedWithWarnings).
const APPROVED_WITH_WARNINGS = 'approved with open warnings: ';

/**
 * splitAuditComment separates what the approver wrote from the problem
 * markers the approval was given over, so the audit trail can show those
 * as the same sentences the composer showed before approval.
 */
export function splitAuditComment(comment: string): { note: string; warnings: string[] } {
  const i = comment.lastIndexOf(APPROVED_WITH_WARNINGS);
  if (i < 0 || (i > 0 && comment[i - 1] !== '\n')) return { note: comment, warnings: [] };
  const warnings = comment
    .slice(i + APPROVED_WITH_WARNINGS.length)
    .split('; ')
    .filter((w) => w !== '');
  return { note: comment.slice(0, i).trim(), warnings };
}

/** langKey returns the dictionary key naming a language code, or null. */
export function langKey(code: string): Key | null {
  return LANG_NAMES[code] ?? null;
}

// The same variable syntax as Go's drafts.Render: {{ name }}.
const VAR = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** fillVariables fills {{name}} from vars; blank or absent ones stay as {{name}} and are listed. */
export function fillVariables(body: string, vars: Record<string, string>): { text: string; missing: string[] } {
  const missing: string[] = [];
  const text = body.replace(VAR, (m, name: string) => {
    const v = (vars[name] ?? '').trim();
    if (v !== '') return v;
    if (!missing.includes(name)) missing.push(name);
    return m;
  });
  return { text, missing };
}

/** unfilledVariables lists the {{name}} placeholders still in text, in order of first use. */
export function unfilledVariables(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(VAR)) if (!out.includes(m[1]!)) out.push(m[1]!);
  return out;
}

/**
 * threadVariables takes what the thread tells us for canned replies:
 * the customer's name, their handle, the subject, the channel, the agent and the brand.
 * Values the thread does not have are left out so they show as missing.
 */
export function threadVariables(thread: Thread | null, me: string, brand: string): Record<string, string> {
  const vars: Record<string, string> = {};
  const set = (k: string, v: string | undefined) => {
    if (v && v.trim() !== '') vars[k] = v.trim();
  };
  if (thread) {
    const c = thread.conversation;
    // The customer is the author of the newest inbound message (a comment thread has many people).
    const inbound = thread.messages.filter((m) => m.direction === 'in');
    const last = inbound.length > 0 ? inbound[inbound.length - 1]!.author : c.author;
    const name = last.displayName || last.handle;
    set('customer', name);
    set('name', name);
    set('first_name', name.split(/\s+/)[0]);
    set('handle', last.handle);
    set('subject', c.subject);
    set('channel', c.channel);
  }
  set('agent', me);
  set('brand', brand);
  return vars;
}

/** DiffPart is a piece of a wdiff-style audit diff. */
export interface DiffPart {
  kind: 'same' | 'del' | 'ins';
  text: string;
}

/** parseDiff splits Go's word diff ("[-old-] {+new+}") into parts for rendering. */
export function parseDiff(diff: string): DiffPart[] {
  const parts: DiffPart[] = [];
  const re = /\[-([\s\S]*?)-\]|\{\+([\s\S]*?)\+\}/g;
  let last = 0;
  for (const m of diff.matchAll(re)) {
    if (m.index! > last) parts.push({ kind: 'same', text: diff.slice(last, m.index) });
    parts.push(m[1] !== undefined ? { kind: 'del', text: m[1] } : { kind: 'ins', text: m[2]! });
    last = m.index! + m[0].length;
  }
  if (last < diff.length) parts.push({ kind: 'same', text: diff.slice(last) });
  return parts;
}

/** currentReply is the reply the composer works on: the newest one, unless it was sent or discarded. */
export function currentReply(list: Reply[]): Reply | null {
  if (list.length === 0) return null;
  const last = list[list.length - 1]!;
  return last.state === 'sent' || last.state === 'discarded' ? null : last;
}
