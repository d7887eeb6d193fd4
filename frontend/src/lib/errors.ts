// Errors with codes from Go (backend/apperr): Go returns the text ERROR_MARKER + JSON
// {code, params, detail} because Wails hands the page only an error's text. parseCoded
// reads it back; describe words it in the user's language with a next step, keeping the
// technical detail for a "Details" fold. Plain text (older errors, Go code that attaches
// nothing) stays as it is.
import codes from './errorCodes.json';
import { formatDateTime, hasKey, lang, translate, type Key, type Lang } from './i18n';

export const ERROR_MARKER = 'stormdesk-error:';

/** Every code Go defines, generated from backend/apperr (its test fails when stale). */
export const ERROR_CODES: readonly string[] = codes;

export interface CodedError {
  code: string;
  params: Record<string, string>;
  detail: string;
}

/** parseCoded reads an encoded Go error (also a stored failure reason); null for plain text. */
export function parseCoded(text: string): CodedError | null {
  const at = text.indexOf(ERROR_MARKER);
  if (at < 0) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(text.slice(at + ERROR_MARKER.length));
  } catch {
    return null;
  }
  if (!raw || typeof raw !== 'object') return null;
  const o = raw as Record<string, unknown>;
  if (typeof o.code !== 'string' || o.code === '') return null;
  const params: Record<string, string> = {};
  if (o.params && typeof o.params === 'object') {
    for (const [k, v] of Object.entries(o.params as Record<string, unknown>)) if (typeof v === 'string') params[k] = v;
  }
  return { code: o.code, params, detail: typeof o.detail === 'string' ? o.detail : '' };
}

/** What the user reads: the problem, the next step, and the technical text for details. */
export interface Described {
  text: string;
  next: string;
  detail: string;
}

/** known returns key when the dictionaries have it (every language has the same keys): codes and rules arrive as data from Go. */
function known(key: string): Key | null {
  return hasKey(key) ? key : null;
}

/** ruleParams fills a rule's text: a closed messaging window says when it closed, in the reader's time. */
function ruleParams(p: Record<string, string>, l: Lang): Record<string, string> {
  const at = p.closedAt ? new Date(p.closedAt) : null;
  return at && !Number.isNaN(at.getTime()) ? { ...p, closedAt: formatDateTime(at, l) } : p;
}

/**
 * describe words a coded error in language l; a code this build does not know reads as
 * internal, and internal errors read as Go's own text (there is nothing better to say).
 */
export function describe(e: CodedError, l: Lang = lang()): Described {
  const rule = e.params.rule ?? '';
  const ruleText = e.code === 'not-allowed' && rule !== '' ? known(`error.rule.${rule}`) : null;
  const ruleNext = ruleText ? known(`error.ruleNext.${rule}`) : null;
  if (ruleText && ruleNext) return { text: translate(l, ruleText, ruleParams(e.params, l)), next: translate(l, ruleNext), detail: e.detail };
  // A refused listening query says what is wrong and where (params.pos and params.end are
  // the characters [pos, end) the editor marks; people count from 1).
  const why = e.code === 'query-invalid' ? known(`listening.query.${e.params.reason ?? ''}`) : null;
  if (why) {
    const pos = String(Number(e.params.pos ?? '0') + 1);
    return { text: translate(l, why, { pos, param: e.params.param ?? '' }), next: translate(l, 'error.next.query-invalid'), detail: e.detail };
  }
  const code = known(`error.code.${e.code}`) ? e.code : 'internal';
  // An error Go gave no specific code says best what it is in its own words: the
  // generic "something went wrong" would hide them (and Details would repeat them).
  if (code === 'internal' && e.detail.trim() !== '') return { text: e.detail, next: '', detail: '' };
  if (code === 'demo-account' && e.params.account) {
    return { text: translate(l, 'error.code.demo-account.named', { account: e.params.account }), next: translate(l, 'error.next.demo-account'), detail: e.detail };
  }
  let next = translate(l, `error.next.${code}` as Key);
  // Where to look before retrying depends on the platform (mail: the Sent folder).
  const where = code === 'outcome-unknown' && e.params.platform ? known(`error.next.outcome-unknown.${e.params.platform}`) : null;
  if (where) next = translate(l, where);
  // A certificate's fingerprints are what the person compares; they belong in the sentence.
  if (code === 'server-cert-changed' || code === 'server-untrusted') next = translate(l, `error.next.${code}`, e.params);
  if (code === 'rate-limited') {
    const at = e.params.retryAt ? new Date(e.params.retryAt) : null;
    next = at && !Number.isNaN(at.getTime())
      ? translate(l, 'error.next.rate-limited', { time: formatDateTime(at, l) })
      : translate(l, 'error.next.rate-limited.later');
  }
  // The size limit belongs in the sentence.
  const params = code === 'media-too-large' ? e.params : undefined;
  return { text: translate(l, `error.code.${code}` as Key, params), next, detail: e.detail };
}

/** describeText is describe for text that may or may not be encoded (e.g. a failure reason). */
export function describeText(text: string, l: Lang = lang()): Described {
  const coded = parseCoded(text);
  return coded ? describe(coded, l) : { text, next: '', detail: '' };
}

/** sentence joins the problem and the next step, for places that show one line. */
export function sentence(d: Described): string {
  return d.next ? `${d.text} ${d.next}` : d.text;
}
