// A stand-in for the Wails bridge (window.go + window.runtime) used only by `vite dev`
// when the page runs outside Wails. main.ts loads it through a dynamic import behind
// import.meta.env.DEV, so production builds never contain it.
// ?n=200000 in the URL makes a large inbox for trying the virtualized list.

import { mockServices } from './mock.services';

type Obj = Record<string, unknown>;

const CHANNELS = ['mail', 'telegram', 'vk', 'mastodon', 'youtube', 'import'] as const;
type Ch = (typeof CHANNELS)[number];
const ME = 'alex';
const AGENTS = ['alex', 'maria', 'jonas', 'olga'];
const TAGS = ['refund', 'delivery', 'bug', 'vip', 'press', 'outage', 'billing', 'feature-request'];

let seed = 1234567;
function rnd(): number {
  // mulberry32
  seed |= 0;
  seed = (seed + 0x6d2b79f5) | 0;
  let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
  return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
}
function pick<T>(a: readonly T[]): T {
  return a[Math.floor(rnd() * a.length)]!;
}

const PEOPLE: { name: string; handle: string; lang: 'en' | 'ru' | 'de' }[] = [
  { name: 'Emily Carter', handle: '@emcarter', lang: 'en' },
  { name: 'James O’Neil', handle: '@jamesoneil', lang: 'en' },
  { name: 'Priya Raman', handle: '@priya.r', lang: 'en' },
  { name: 'Tom Becker', handle: '@tombecker', lang: 'en' },
  { name: 'Sarah Miles', handle: 'sarah.miles@example.com', lang: 'en' },
  { name: 'Алексей Смирнов', handle: '@a_smirnov', lang: 'ru' },
  { name: 'Мария Иванова', handle: '@masha_iv', lang: 'ru' },
  { name: 'Дмитрий Козлов', handle: 'id18273645', lang: 'ru' },
  { name: 'Екатерина Орлова', handle: 'k.orlova@example.ru', lang: 'ru' },
  { name: 'Jonas Weber', handle: '@jweber', lang: 'de' },
  { name: 'Lena Schmidt', handle: 'lena.schmidt@example.de', lang: 'de' },
  { name: 'Fritz Müller', handle: '@fritz_m', lang: 'de' },
  { name: 'Sophie Wagner', handle: '@sophiew', lang: 'de' },
];

const TEXTS = {
  en: {
    negative: [
      'My order #48213 still hasn’t arrived after two weeks. This is unacceptable.',
      'The app crashes every time I try to pay. Fix it or refund me.',
      'Third time I’m writing about the double charge on my card. Nobody answers!',
      'Your outage ruined our launch. We need an explanation today.',
    ],
    neutral: [
      'Hi, can you tell me when the new plans become available?',
      'Is there a way to export my invoices as CSV?',
      'Where can I change the delivery address for my subscription?',
    ],
    positive: [
      'Thanks a lot, the replacement arrived this morning and works perfectly!',
      'Great support today, Maria solved it in five minutes.',
    ],
    subjects: ['Refund for order #48213', 'Double charge on my card', 'Question about invoices', 'Delivery delayed', 'Press inquiry: outage last night'],
  },
  ru: {
    negative: [
      'Заказ №51877 так и не пришёл, прошло уже две недели. Это безобразие.',
      'Приложение вылетает при оплате. Верните деньги!',
      'Пишу в третий раз про двойное списание. Никто не отвечает!',
    ],
    neutral: [
      'Здравствуйте, подскажите, когда появятся новые тарифы?',
      'Можно ли выгрузить счета в CSV?',
      'Как поменять адрес доставки?',
    ],
    positive: ['Спасибо большое, замену привезли утром, всё работает!', 'Отличная поддержка, решили вопрос за пять минут.'],
    subjects: ['Возврат по заказу №51877', 'Двойное списание', 'Вопрос по счетам', 'Задержка доставки'],
  },
  de: {
    negative: [
      'Meine Bestellung #33012 ist nach zwei Wochen immer noch nicht da. Unmöglich!',
      'Die App stürzt bei jeder Zahlung ab. Bitte erstatten Sie mir das Geld.',
      'Zum dritten Mal: Sie haben meine Karte doppelt belastet!',
    ],
    neutral: [
      'Hallo, wann sind die neuen Tarife verfügbar?',
      'Kann ich meine Rechnungen als CSV exportieren?',
      'Wo ändere ich die Lieferadresse?',
    ],
    positive: ['Vielen Dank, der Ersatz kam heute früh und funktioniert einwandfrei!', 'Super Support heute, danke!'],
    subjects: ['Erstattung für Bestellung #33012', 'Doppelte Abbuchung', 'Frage zu Rechnungen', 'Lieferung verspätet'],
  },
};

const REPLIES = {
  en: 'Hi! Sorry about that — we’re looking into it and will update you within the hour.',
  ru: 'Здравствуйте! Приносим извинения — уже разбираемся и ответим в течение часа.',
  de: 'Hallo! Das tut uns leid — wir prüfen das und melden uns innerhalb einer Stunde.',
};

interface MockMsg extends Obj {
  id: number;
  conversationId: number;
  text: string;
}

interface MockConv extends Obj {
  id: number;
  channel: Ch;
  status: string;
  assignee: string;
  tags: string[];
  sentiment: string;
  slaDueAt: string | null;
  lastMessageAt: string;
  subject: string;
  snippet: string;
  author: Obj;
}

const accounts = CHANNELS.map((ch, i) => ({
  id: i + 1,
  channel: ch,
  name: { mail: 'acme-support-mail', telegram: 'acme-telegram-bot', vk: 'acme-vk', mastodon: 'acme-mastodon', youtube: 'acme-youtube', import: 'csv-import' }[ch],
  brand: 'Acme',
  handle: { mail: 'support@acme.example', telegram: '@acme_bot', vk: 'vk.com/acme', mastodon: '@acme@mastodon.social', youtube: 'Acme Official', import: 'import' }[ch],
  createdAt: '2024-01-10T09:00:00Z',
}));

const convs: MockConv[] = [];
const messages = new Map<number, MockMsg[]>();
let msgSeq = 1;

function makeMessages(c: MockConv, lang: 'en' | 'ru' | 'de', count: number, last: number): MockMsg[] {
  const out: MockMsg[] = [];
  const kind = c.kind as string;
  for (let j = 0; j < count; j++) {
    const outbound = j > 0 && j % 2 === 1 && rnd() < 0.8;
    const sent = new Date(last - (count - 1 - j) * (20 + Math.floor(rnd() * 90)) * 60000).toISOString();
    const sentiment = outbound ? 'neutral' : j === count - 1 ? (c.sentiment as string) : pick(['negative', 'neutral', 'positive']);
    const pool = TEXTS[lang][(sentiment || 'neutral') as 'negative' | 'neutral' | 'positive'];
    let text = outbound ? REPLIES[lang] : pick(pool);
    if (c.id === 7 && j === 0) text = 'Is <script>alert("x")</script> shown as text? It should be, for the refund form.';
    const html =
      kind === 'mail'
        ? `<p>${outbound ? 'Hello' : 'Hi'},</p><p>${text.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p><p style="color:#666">— ${outbound ? 'Acme Support' : (c.author as Obj).displayName}</p>`
        : '';
    out.push({
      id: msgSeq++,
      conversationId: c.id,
      accountId: c.accountId,
      externalId: `ext-${c.id}-${j}`,
      direction: outbound ? 'out' : 'in',
      kind,
      author: outbound
        ? { id: 0, channel: c.channel, externalId: 'acme', handle: accounts[CHANNELS.indexOf(c.channel)]!.handle, displayName: 'Acme Support', reach: 0, notes: '', vip: false, banned: false, blockedUntil: null }
        : c.author,
      subject: kind === 'mail' ? (j === 0 ? c.subject : `Re: ${c.subject}`) : '',
      text,
      html,
      sentAt: sent,
      sentiment,
      sentimentScore: sentiment === 'negative' ? -0.7 : sentiment === 'positive' ? 0.6 : 0,
      claimedAt: null,
      flags: !outbound && rnd() < 0.05 ? ['invalid-utf8'] : [],
      attachments: [],
    });
  }
  return out;
}

function generate(n: number): void {
  const now = Date.now();
  for (let i = 1; i <= n; i++) {
    const p = pick(PEOPLE);
    const channel: Ch = p.handle.includes('@example') ? 'mail' : pick(CHANNELS.filter((c) => c !== 'mail'));
    const kind = channel === 'mail' ? 'mail' : channel === 'telegram' ? 'dm' : channel === 'vk' ? pick(['dm', 'comment']) : 'comment';
    const sentiment = pick(['negative', 'negative', 'neutral', 'neutral', 'positive', '']);
    const r = rnd();
    const status = r < 0.7 ? 'open' : r < 0.85 ? 'pending' : 'closed';
    const last = now - Math.floor(rnd() * rnd() * 14 * 86400000);
    const sla = status === 'open' && rnd() < 0.8 ? new Date(now + Math.floor((rnd() * 30 - 4) * 3600000)).toISOString() : null;
    const tags = rnd() < 0.45 ? Array.from(new Set([pick(TAGS), ...(rnd() < 0.3 ? [pick(TAGS)] : [])])) : [];
    const subject = channel === 'mail' ? pick(TEXTS[p.lang].subjects) : '';
    const c: MockConv = {
      id: i,
      accountId: CHANNELS.indexOf(channel) + 1,
      channel,
      threadKey: kind === 'comment' ? `post:${1000 + (i % 37)}` : `${channel}:${i}`,
      kind,
      subject,
      status,
      assignee: rnd() < 0.35 ? pick(AGENTS) : '',
      priority: sentiment === 'negative' && rnd() < 0.2 ? 1 : 0,
      tags,
      author: {
        id: 100 + PEOPLE.indexOf(p),
        channel,
        externalId: p.handle,
        handle: p.handle,
        displayName: p.name,
        reach: Math.floor(rnd() < 0.2 ? rnd() * 250000 : rnd() * 900),
        notes: '',
        vip: false,
        banned: false,
        blockedUntil: null,
      },
      snippet: '',
      snippetAttachments: [],
      sentiment,
      negativeCount: sentiment === 'negative' ? 1 + Math.floor(rnd() * 3) : 0,
      messageCount: 0,
      firstMessageAt: '',
      lastMessageAt: new Date(last).toISOString(),
      slaDueAt: sla,
      suspiciousDate: false,
      slaState: sla ? 'ok' : 'none',
      slaWarnAt: null,
      slaPolicy: '',
      failedSend: false,
    };
    const count = 1 + Math.floor(rnd() * (kind === 'dm' ? 7 : 4));
    c.messageCount = count;
    if (i <= 3000) {
      const ms = makeMessages(c, p.lang, count, last);
      messages.set(i, ms);
      c.firstMessageAt = ms[0]!.sentAt as string;
      c.negativeCount = ms.filter((m) => m.direction === 'in' && m.sentiment === 'negative').length;
      c.snippet = ms[ms.length - 1]!.text.slice(0, 140);
    } else {
      c.firstMessageAt = new Date(last - count * 3600000).toISOString();
      c.snippet = pick(TEXTS[p.lang].neutral);
    }
    convs.push(c);
  }
}

function threadOf(c: MockConv): MockMsg[] {
  let ms = messages.get(c.id);
  if (!ms) {
    const lang = (PEOPLE.find((p) => p.name === (c.author as Obj).displayName)?.lang ?? 'en') as 'en' | 'ru' | 'de';
    ms = makeMessages(c, lang, c.messageCount as number, Date.parse(c.lastMessageAt));
    messages.set(c.id, ms);
  }
  return ms;
}

const delay = <T>(v: T, ms = 90 + Math.random() * 120): Promise<T> =>
  new Promise((res) => setTimeout(() => res(structuredClone(v)), ms));
const fail = (msg: string): Promise<never> => new Promise((_, rej) => setTimeout(() => rej(msg), 120));

function byId(id: number): MockConv | undefined {
  return convs[id - 1];
}

function conversations(q: Obj) {
  let list = convs.filter(
    (c) =>
      (!q.status || c.status === q.status) &&
      (!q.channel || c.channel === q.channel) &&
      (!q.sentiment || c.sentiment === q.sentiment) &&
      (!q.tag || c.tags.includes(q.tag as string)) &&
      (!q.mine || c.assignee === ME) &&
      (!q.unassigned || c.assignee === '') &&
      (!q.assignee || c.assignee === q.assignee),
  );
  if (q.order === 'sla') {
    list = list.slice().sort((a, b) => {
      const da = a.slaDueAt ? Date.parse(a.slaDueAt) : Infinity;
      const db = b.slaDueAt ? Date.parse(b.slaDueAt) : Infinity;
      return da - db || a.id - b.id;
    });
  } else {
    list = list.slice().sort((a, b) => Date.parse(b.lastMessageAt) - Date.parse(a.lastMessageAt) || b.id - a.id);
  }
  const start = q.cursor ? Number(q.cursor) : 0;
  const limit = (q.limit as number) || 100;
  const items = list.slice(start, start + limit);
  const next = start + limit < list.length ? String(start + limit) : '';
  return delay({ items, next });
}

function markSnippet(text: string, terms: string[]): string {
  let out = text;
  for (const t of terms) {
    const re = new RegExp(t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi');
    out = out.replace(re, (m) => `\u0002${m}\u0003`);
  }
  return out;
}

function search(q: Obj) {
  const text = String(q.text ?? '').toLowerCase().trim();
  if (text === '') return fail('search: empty query');
  const terms = text.split(/\s+/).filter(Boolean);
  const hits: Obj[] = [];
  const limit = (q.limit as number) || 50;
  const before = (q.beforeId as number) || Infinity;
  const all: MockMsg[] = [];
  for (const ms of messages.values()) all.push(...ms);
  all.sort((a, b) => b.id - a.id);
  for (const m of all) {
    if (m.id >= before) continue;
    const c = byId(m.conversationId)!;
    if (q.channel && c.channel !== q.channel) continue;
    const hay = (m.text + ' ' + (m.subject as string)).toLowerCase();
    if (!terms.every((t) => hay.includes(t))) continue;
    hits.push({
      messageId: m.id,
      conversationId: m.conversationId,
      channel: c.channel,
      author: m.author,
      subject: m.subject,
      snippet: markSnippet(m.text, terms),
      sentAt: m.sentAt,
      sentiment: m.sentiment,
    });
    if (hits.length >= limit) break;
  }
  return delay(hits, 200);
}

function stats() {
  const per = new Map<string, Obj>();
  for (const ch of CHANNELS) per.set(ch, { channel: ch, open: 0, pending: 0, closed: 0, messages: 0 });
  let msgs = 0;
  for (const c of convs) {
    const s = per.get(c.channel)!;
    s[c.status] = (s[c.status] as number) + 1;
    s.messages = (s.messages as number) + (c.messageCount as number);
    msgs += c.messageCount as number;
  }
  return delay({ channels: [...per.values()], conversations: convs.length, messages: msgs }, 60);
}

function tags() {
  const counts = new Map<string, number>();
  for (const c of convs) for (const t of c.tags) counts.set(t, (counts.get(t) ?? 0) + 1);
  return delay(
    [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([tag, count]) => ({ tag, count })),
    60,
  );
}

// --- bulk triage, undo, notes and saved views: Go keeps the prior state for undo, so does the mock.
const undoLog = new Map<number, { id: number; status: string; assignee: string; tags: string[] }[]>();
const savedViewsMock: Obj[] = [];
let mockSeq = 0;

function triageMock(ids: number[], req: Obj) {
  const list = ids.map(byId);
  if (list.some((c) => !c)) return fail('store: triage: conversation not found');
  const cs = list as MockConv[];
  const undoId = ++mockSeq;
  undoLog.set(undoId, cs.map((c) => ({ id: c.id as number, status: c.status as string, assignee: c.assignee as string, tags: c.tags })));
  for (const c of cs) {
    const tags = c.tags;
    switch (req.action) {
      case 'close': c.status = 'closed'; break;
      case 'open': case 'pending': c.status = req.action; break;
      case 'assign': c.assignee = req.assignee as string; break;
      case 'tag': if (!tags.includes(req.tag as string)) c.tags = [...tags, req.tag as string].sort(); break;
      case 'untag': c.tags = tags.filter((x) => x !== req.tag); break;
      case 'spam': c.status = 'closed'; c.tags = [...new Set([...tags, 'spam'])].sort(); break;
      case 'snooze': case 'unsnooze': break; // the mock list does not hide snoozed rows
      default: return fail(`unknown triage action "${String(req.action)}"`);
    }
  }
  return delay({ undoId, items: cs }, 80);
}

function undoMock(undoId: number) {
  const prior = undoLog.get(undoId);
  if (!prior) return fail(`store: undo ${undoId}: not found`);
  undoLog.delete(undoId);
  for (const p of prior) Object.assign(byId(p.id) as MockConv, { status: p.status, assignee: p.assignee, tags: p.tags });
  return delay(prior.map((p) => byId(p.id)), 80);
}

function mutate(id: number, f: (c: MockConv) => string | void) {
  const c = byId(id);
  if (!c) return fail(`store: conversation ${id} not found`);
  const err = f(c);
  if (err) return fail(err);
  return delay(c, 80);
}

// --- author panel: a small copy of Go's ladder (2 warnings, 24 h, 7 days, ban) over the mock inbox.
const authorState = new Map<number, { vip: boolean; notes: string; record: Obj[] }>();
let modSeq = 1;

function authorPanelOf(id: number): Obj | null {
  const own = convs.filter((c) => (c.author as Obj).id === id);
  if (own.length === 0) return null;
  const st = authorState.get(id) ?? { vip: false, notes: '', record: [] };
  authorState.set(id, st);
  const sorted = [...own].sort((a, b) => b.lastMessageAt.localeCompare(a.lastMessageAt));
  const active = [...st.record].reverse();
  const cut = active.findIndex((e) => e.kind === 'lift');
  const since = cut < 0 ? active : active.slice(cut + 1);
  const warnings = since.filter((e) => e.kind === 'warning').length;
  const blocks = since.filter((e) => e.kind === 'block');
  const banned = since.some((e) => e.kind === 'ban');
  const lastBlock = blocks[blocks.length - 1];
  const blockedUntil = lastBlock && Date.parse(lastBlock.until as string) > Date.now() ? (lastBlock.until as string) : null;
  const state = banned ? 'banned' : blockedUntil ? 'blocked' : warnings + blocks.length > 0 ? 'warned' : 'none';
  const next = banned
    ? { kind: 'lift', hours: 0 }
    : blocks.length === 0 && warnings < 2
      ? { kind: 'warning', hours: 0 }
      : blocks.length < 2
        ? { kind: 'block', hours: [24, 168][blocks.length] }
        : { kind: 'ban', hours: 0 };
  const msgs = own.reduce((n, c) => n + Math.ceil((c.messageCount as number) / 2), 0);
  const neg = own.reduce((n, c) => n + (c.negativeCount as number), 0);
  const author: Obj = { ...(own[0]!.author as Obj), vip: st.vip, notes: st.notes };
  return {
    profile: {
      author,
      conversations: sorted.slice(0, 50).map((c) => ({
        id: c.id,
        accountId: c.accountId,
        account: accounts[(c.accountId as number) - 1]?.name ?? '',
        brand: 'Acme',
        kind: c.kind,
        subject: c.subject,
        snippet: c.snippet,
        status: c.status,
        sentiment: c.sentiment,
        lastMessageAt: c.lastMessageAt,
        messageCount: c.messageCount,
      })),
      totals: {
        conversations: own.length,
        messages: msgs,
        negative: neg,
        negativeShare: msgs ? neg / msgs : 0,
        firstSeen: sorted[sorted.length - 1]!.firstMessageAt,
        lastSeen: sorted[0]!.lastMessageAt,
      },
      record: st.record,
      standing: { state, warnings, blocks: blocks.length, until: blockedUntil },
    },
    next,
    influencer: (author.reach as number) >= 10000,
  };
}

function authorCall(id: number, f?: (st: { vip: boolean; notes: string; record: Obj[] }) => string | void) {
  if (!authorPanelOf(id)) return fail(`store: profile of author ${id}: not found`);
  const err = f?.(authorState.get(id)!);
  if (err) return fail(err);
  return delay(authorPanelOf(id), 60);
}

function moderateAuthor(input: Obj) {
  const id = input.authorId as number;
  const panel = authorPanelOf(id);
  if (!panel) return fail(`store: profile of author ${id}: not found`);
  const kind = input.kind as string;
  const reason = String(input.reason ?? '').trim();
  if ((kind === 'block' || kind === 'ban') && !reason) return fail(`moderate author ${id}: invalid moderation step: a ${kind} needs a reason`);
  if (kind === 'block' && !((input.hours as number) > 0)) return fail(`moderate author ${id}: invalid moderation step: a block needs a positive duration`);
  const author = (panel.profile as Obj).author as Obj;
  const reasons: string[] = [];
  if (kind === 'block' || kind === 'ban') {
    if (author.vip) reasons.push('vip');
    if ((author.reach as number) >= 10000) reasons.push('influencer');
  }
  if (reasons.length && !input.confirm) return delay({ applied: false, warning: { critical: true, reasons }, panel }, 60);
  const now = new Date();
  authorState.get(id)!.record.unshift({
    id: modSeq++,
    authorId: id,
    accountId: input.accountId,
    kind,
    reason,
    until: kind === 'block' ? new Date(now.getTime() + (input.hours as number) * 3600000).toISOString() : null,
    by: ME,
    at: now.toISOString(),
  });
  return delay({ applied: true, warning: { critical: reasons.length > 0, reasons }, panel: authorPanelOf(id) }, 60);
}

const listeners = new Map<string, Set<(...a: unknown[]) => void>>();

function emitMock(name: string, ...data: unknown[]) {
  for (const cb of listeners.get(name) ?? []) cb(...data);
}

const classifyMock = {
  settings: { enabled: false, threshold: 0.6, batch: 20 },
  available: false,
  running: false,
  lastRun: null as string | null,
  last: { classified: 0, relabelled: 0, skipped: 0, batches: 0 },
  lastError: '',
};

export function installMock(): void {
  const n = Math.min(500_000, Math.max(1, Number(new URLSearchParams(location.search).get('n')) || 480));
  generate(n);
  const w = window as unknown as Obj;
  w.go = {
    main: {
      InboxService: {
        Conversations: conversations,
        Thread: (id: number) => {
          const c = byId(id);
          if (!c) return fail(`store: conversation ${id} not found`);
          return delay({ conversation: c, messages: threadOf(c), notes: [], snoozedUntil: null, deliveries: [] });
        },
        Search: search,
        Stats: stats,
        Accounts: () => delay(accounts, 40),
        Assignees: () => delay([...new Set(convs.map((c) => c.assignee).filter(Boolean))].sort(), 30),
        Tags: tags,
        SetStatus: (id: number, status: string) =>
          mutate(id, (c) => {
            if (!['open', 'pending', 'closed'].includes(status)) return `inbox: unknown status "${status}"`;
            c.status = status;
          }),
        Assign: (id: number, who: string) =>
          mutate(id, (c) => {
            c.assignee = who;
          }),
        AddTag: (id: number, tag: string) =>
          mutate(id, (c) => {
            if (tag === 'fail') return 'store: add tag "fail": tag name is reserved';
            const ts = c.tags;
            if (!ts.includes(tag)) c.tags = [...ts, tag].sort();
          }),
        RemoveTag: (id: number, tag: string) =>
          mutate(id, (c) => {
            c.tags = c.tags.filter((x) => x !== tag);
          }),
        Triage: triageMock,
        Undo: undoMock,
        AddNote: (id: number, body: string) =>
          delay({ id: ++mockSeq, conversationId: id, author: ME, body: body.trim(), createdAt: new Date().toISOString(), mentions: [] }, 40),
        DeleteNote: () => delay(null, 30),
        // The desktop alone: nobody else writes notes, so nothing mentions the user.
        Mentions: () => delay([], 30),
        MarkMentionsRead: () => delay(null, 20),
        SavedViews: () => delay(savedViewsMock.slice(), 30),
        SaveView: (name: string, filters: Obj) => {
          const v = { id: ++mockSeq, name: name.trim(), filters };
          savedViewsMock.push(v);
          return delay(v, 40);
        },
        RenameView: (id: number, name: string) => {
          const v = savedViewsMock.find((x) => x.id === id);
          if (v) v.name = name.trim();
          return v ? delay(null, 30) : fail(`store: rename view ${id}: not found`);
        },
        DeleteView: (id: number) => {
          const i = savedViewsMock.findIndex((x) => x.id === id);
          if (i >= 0) savedViewsMock.splice(i, 1);
          return i >= 0 ? delay(null, 30) : fail(`store: delete view ${id}: not found`);
        },
        // The mock's accounts have no connector, like the demo data: a critical
        // message warns first, acting fails with Go's text.
        Moderate: (id: number, _action: string, confirm: boolean) =>
          confirm ? fail(`account demo cannot moderate: message ${id}: no connector`) : delay({ critical: true, reasons: ['negative'] }, 40),
        // Like the demo data, the mock keeps no media to fetch.
        SaveAttachment: (id: number, index: number) => fail(`message ${id} attachment ${index}: this attachment cannot be fetched from the platform`),
      },
      AuthorsService: {
        Profile: (id: number) => authorCall(id),
        SetVIP: (id: number, vip: boolean) =>
          authorCall(id, (st) => {
            st.vip = vip;
          }),
        SetNotes: (id: number, notes: string) =>
          authorCall(id, (st) => {
            st.notes = notes.trim();
          }),
        Moderate: moderateAuthor,
      },
      // The LLM sentiment check: off and, like a fresh install, in offline mode until
      // __mockClassify(true) pretends a server is configured.
      ClassifyService: {
        Status: () => delay({ ...classifyMock, settings: { ...classifyMock.settings } }, 30),
        SaveSettings: (s: Obj) => {
          const th = Number(s.threshold);
          if (!(th >= 0 && th <= 1)) return fail(`classification threshold ${th}: must be between 0 and 1`);
          classifyMock.settings = { enabled: s.enabled === true, threshold: th, batch: Number(s.batch) || 20 };
          return delay(null, 40);
        },
        RunNow: () => {
          if (!classifyMock.available)
            return fail('LLM classification is unavailable in offline mode: set a base URL and model under AI drafting first');
          const last = { classified: 7, relabelled: 3, skipped: 0, batches: 1 };
          Object.assign(classifyMock, { last, lastRun: new Date().toISOString(), lastError: '' });
          return delay(last, 400);
        },
      },
      AppService: {
        Info: () => delay({ version: '0.1.0-dev', commit: 'dev', date: '', dbPath: '~/.local/share/stormdesk/stormdesk.db', me: ME, role: 'agent', demo: true,
          team: false, actions: ['read', 'work', 'approve', 'send', 'moderate', 'crisis-mode', 'accounts', 'policies', 'members'], loops: [] }, 30),
        // No desktop service in a dev browser: the page falls back to the Web Notifications API.
        Notify: () => delay(false, 10),
        LoadDemo: () => delay(false, 10),
      },
      ...mockServices({ accounts, me: ME, delay, fail, emit: (name, ...data) => emitMock(name, ...data) }),
    },
  };
  w.runtime = {
    EventsOnMultiple(name: string, cb: (...a: unknown[]) => void, _max: number) {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      set.add(cb);
      return () => set!.delete(cb);
    },
    EventsOff(name: string) {
      listeners.delete(name);
    },
    EventsEmit(name: string, ...data: unknown[]) {
      for (const cb of listeners.get(name) ?? []) cb(...data);
    },
    LogPrint: console.log,
    LogError: console.error,
    BrowserOpenURL: (url: string) => window.open(url, '_blank', 'noopener'),
  };
  // For trying the refresh path by hand: __mockEmit('inbox:changed')
  w.__mockClassify = (available: boolean) => (classifyMock.available = available);
  w.__mockEmit = (name: string) => (w.runtime as { EventsEmit: (n: string) => void }).EventsEmit(name);
}
