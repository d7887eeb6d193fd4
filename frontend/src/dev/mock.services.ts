// The dev mock's stand-ins for the settings, crisis, composer and SLA services
// (see mock.ts). They keep just enough state for `vite dev` to click through
// every screen: replies move through the approval states and, like the demo
// accounts in Go, fail to send for want of a connector.

type Obj = Record<string, unknown>;

interface MockEnv {
  accounts: { id: number; name: string; channel: string; brand: string }[];
  me: string;
  delay: <T>(v: T, ms?: number) => Promise<T>;
  fail: (msg: string) => Promise<never>;
  emit: (name: string, ...data: unknown[]) => void;
}

const SECRETS: Record<string, Obj[]> = {
  mail: [{ name: 'password', label: 'IMAP/SMTP password', required: true }],
  telegram: [{ name: 'token', label: 'Bot token', required: true }],
  vk: [{ name: 'token', label: 'Community access token', required: true }],
  mastodon: [{ name: 'token', label: 'Access token', required: true }],
  youtube: [{ name: 'refresh_token', label: 'OAuth refresh token', required: true }],
  bluesky: [{ name: 'app-password', label: 'App password', required: true }],
  reddit: [
    { name: 'client-secret', label: 'App secret', required: true },
    { name: 'password', label: 'Account password', required: true },
  ],
  facebook: [{ name: 'user-token', label: 'Long-lived user access token', required: true }],
  instagram: [{ name: 'user-token', label: 'Long-lived user access token', required: true }],
};

const SLA_POLICIES = {
  policies: [
    { name: 'public-comments', match: { kinds: ['comment'] }, targets: { firstResponse: '1h', nextResponse: '2h', resolution: '24h' },
      hours: { timeZone: 'UTC', always: true }, warnAt: 0.8 },
    { name: 'mail', match: { kinds: ['mail'] }, targets: { firstResponse: '24h', nextResponse: '24h', resolution: '72h' },
      hours: { timeZone: 'Europe/Berlin', days: { mon: [['09:00', '17:00']] } }, warnAt: 0.8 },
  ],
};

const next: Record<string, Record<string, string>> = {
  edit: { draft: 'draft', rejected: 'draft' },
  submit: { draft: 'submitted' },
  withdraw: { submitted: 'draft' },
  approve: { submitted: 'approved' },
  reject: { submitted: 'rejected' },
  queue: { approved: 'queued' },
  retry: { failed: 'queued' },
};

// What Go's drafts.Allowed would offer in each state (the mock has no crisis rules).
// The shipped model as the dev mock shows it in Settings → Sentiment model.
const mockSentimentModel = {
  origin: 'shipped',
  imported: false,
  name: 'Stormdesk default sentiment model',
  licence: 'commercial use allowed: every source permits it (see sources)',
  commercial: true,
  base: '',
  retrainedAt: null,
  sources: [{ name: 'GoEmotions', licence: 'Apache-2.0', url: '', used: 'all splits', commercial: true, examples: 53240 }],
  evaluation: [{ set: 'de customer-service test', n: 62, accuracy: 0.871, macroF1NegVsNot: 0.901, macroF1: 0.869 }],
};
const allowedIn = (state: unknown) => Object.keys(next).filter((a) => next[a]?.[state as string]);
const withAllowed = (r: Obj) => ({ ...r, allowed: allowedIn(r.state) });

export function mockServices(env: MockEnv): Obj {
  const { accounts, delay, fail, emit, me } = env;
  const replies = new Map<string, Obj>();
  const inCrisis = new Set<string>();
  let replySeq = 1;

  function step(s: Obj) {
    const r = replies.get(s.replyId as string);
    if (!r) return fail(`reply ${s.replyId} not found`);
    const to = next[s.action as string]?.[r.state as string];
    if (!to) return fail(`${s.action} reply ${r.id} (${r.state}) as agent "${me}": not allowed in this state`);
    if (s.action === 'edit') r.text = s.text;
    if (s.action === 'reject') r.comment = s.comment;
    if (s.action === 'approve') r.approver = me;
    r.state = to;
    r.updatedAt = new Date().toISOString();
    if (to === 'queued') {
      setTimeout(() => {
        r.state = 'failed';
        r.failReason = `account ${accounts[0]?.name ?? 'demo'} cannot send: no connector (demo data)`;
        emit('reply:delivered', { conversationId: r.conversationId, replyId: r.id, state: 'failed' });
      }, 1500);
    }
    emit('approval:changed');
    if (to === 'submitted') emit('approval:requested', { ...r });
    return delay(withAllowed(r), 60);
  }

  return {
    AccountsService: {
      List: () =>
        delay(accounts.filter((a) => a.channel !== 'import').map((a) => ({
          account: a,
          settings: '{}',
          state: 'active',
          sync: { cursor: '', syncedAt: null, fetched: 0, skipped: 0, lastError: '' },
          retry: { failures: 0, nextAttempt: null, lastError: '' },
          secrets: SECRETS[a.channel] ?? [],
          limits: { maxTextLength: 0, deleteWindowMs: 0, notes: [] },
        }))),
      Channels: () => delay(Object.entries(SECRETS).map(([channel, secrets]) => ({ channel, secrets }))),
      Save: (input: Obj) => delay({ id: accounts.length + 1, name: input.name, channel: input.channel, brand: input.brand, handle: input.handle, createdAt: new Date().toISOString() }),
      Test: (name: string) => fail(`account ${name}: the dev mock has no connection to test`),
      TestInput: (input: Obj) => fail(`account ${String(input.name)}: the dev mock has no connection to test`),
      SyncNow: () => delay(undefined),
      SetEnabled: () => delay(undefined),
      Remove: (name: string) => {
        const i = accounts.findIndex((a) => a.name === name);
        if (i >= 0) accounts.splice(i, 1);
        return delay(undefined);
      },
    },
    CrisisService: {
      States: () =>
        delay(accounts.map((a, i) => ({
          key: { account: a.name, channel: a.channel },
          status: i === 2 ? 'alert' : 'normal',
          observed: i === 2 ? 14 : 2,
          volume: 30 + i * 4,
          baseline: 2.4,
          baselineVolume: 28,
          threshold: 8,
          binStart: new Date().toISOString(),
          historyFrom: '2024-01-10T09:00:00Z',
          learningUntil: '2024-01-24T09:00:00Z',
          lastAlert: null,
          cooldownUntil: null,
          late: 0,
          dropped: 0,
          lastMessage: new Date().toISOString(),
          dormant: false,
        }))),
      Alerts: () => delay([]),
      InCrisis: () => delay([...inCrisis]),
      SetCrisisMode: (account: string, on: boolean) => {
        if (on) inCrisis.add(account);
        else inCrisis.delete(account);
        emit('inbox:changed');
        return delay(undefined);
      },
      Timeline: () => delay([]),
      // 72 hours of 15-minute bins with a daily rhythm and, for the third stream, a burst in the last hour.
      Series: (account: string) => {
        const burst = accounts[2]?.name === account;
        const now = Math.floor(Date.now() / 900_000) * 900_000;
        return delay(Array.from({ length: 288 }, (_, i) => {
          const start = now - (287 - i) * 900_000;
          const hour = new Date(start).getHours();
          const total = Math.round(6 + 10 * Math.max(0, Math.sin(((hour - 6) / 24) * 2 * Math.PI)));
          const negative = burst && i > 283 ? 14 : Math.round(total / 5);
          return { start: new Date(start).toISOString(), negative, total: Math.max(total, negative), baseline: total / 5, upper: total / 5 + 6, baselineTotal: total, learning: false };
        }));
      },
      BurstGroups: () => delay([]),
      SampleConversations: (_account: string, samples: unknown[]) => delay(samples.map(() => 0)),
      Groups: (texts: string[]) => delay(texts.map((_, i) => [i])),
    },
    ComposeService: {
      Draft: (conversationId: number) => {
        const text = 'Hello, thank you for writing to us. We are looking into this and will get back to you today.';
        for (const w of text.split(' ')) emit('compose:delta', { conversationId, text: w + ' ' });
        const id = `mock-${replySeq++}`;
        const r = { id, conversationId, state: 'draft', author: me, text, draftText: text, lang: 'en', source: 'offline',
          aiAssisted: false, citations: [], problems: [], injection: [], approval: { needsApprover: false, twoPerson: false, reasons: [] },
          approver: '', comment: '', failReason: '', externalId: '', idempotencyKey: '', updatedAt: new Date().toISOString() };
        replies.set(id, r);
        return delay(withAllowed(r), 400);
      },
      DraftForGroup: () => delay([]),
      Cancel: () => undefined,
      Step: step,
      Replies: (conversationId: number) => delay([...replies.values()].filter((r) => r.conversationId === conversationId).map(withAllowed)),
      Audit: () => delay([]),
      ApprovalQueue: () =>
        delay([...replies.values()].filter((r) => r.state === 'submitted').map((r) => ({
          reply: withAllowed(r), account: accounts[0]?.name, brand: 'Acme', channel: accounts[0]?.channel, subject: '', author: 'customer', crisis: false, priority: 0,
        }))),
      Me: () => ({ name: me, role: 'agent' }),
      ApprovalPolicy: () => delay({ mode: 'single', me: { name: me, role: 'agent' }, checklist: ['facts-from-kb', 'no-unapproved-promises', 'known-and-unknown', 'next-update', 'no-blame'] }),
    },
    ReplyLibraryService: {
      Canned: () => delay([{ id: 'thanks', title: 'Thanks', lang: 'en', body: 'Thank you for your message!', tags: [] }]),
      KB: () => delay([]),
      SaveKB: () => delay(undefined),
      DeleteKB: () => delay(undefined),
      SaveCanned: () => delay(undefined),
      DeleteCanned: () => delay(undefined),
      Brands: () => delay([{ name: 'Acme', tone: 'Friendly and direct.', signature: 'The Acme team', defaultLang: '' }]),
      SaveBrand: () => delay(undefined),
    },
    ModelSettingsService: {
      LLM: () => delay({ settings: { provider: 'openai', baseUrl: '', model: '', apiVersion: '' }, hasApiKey: false, apiKey: '' }),
      SaveLLM: () => delay(undefined),
      TestLLM: () => fail('no LLM endpoint is configured: drafts use the offline templates'),
      RetrainSentiment: () => delay(0),
      SentimentModel: () => delay(mockSentimentModel),
      ImportSentimentModel: () => fail('the dev mock cannot read model files'),
      ResetSentimentModel: () => delay(mockSentimentModel),
    },
    AnalyticsService: {
      Overview: (req: Obj) => delay(mockAnalytics(Number(req.days) || 30)),
      ExportCSV: (kind: string) =>
        kind === 'heatmap'
          ? delay('weekday,hour,inbound\n' + mockAnalytics(7).heatmap.flatMap((row, d) => row.map((n, h) => `${d + 1},${h},${n}`)).join('\n') + '\n')
          : delay(`kind,note\n${kind},the dev mock exports only the heatmap\n`),
      // A browser has no native save dialog: the page downloads what ExportCSV gives.
      SaveCSV: () => delay({ dialog: false, path: '' }),
      Span: () => {
        const last = new Date();
        return delay({ first: new Date(last.getTime() - 14 * 86_400_000).toISOString(), last: last.toISOString() });
      },
    },
    SLAService: {
      Policies: () => delay(JSON.stringify(SLA_POLICIES, null, 2)),
      SavePolicies: (raw: string) => {
        try {
          JSON.parse(raw);
        } catch (e) {
          return fail(`SLA policies: ${String(e)}`);
        }
        return delay(undefined);
      },
    },
  };
}

// mockAnalytics makes a plausible analytics page: busy weekday afternoons, a
// negative bump in the middle of the period, channel rows with p50/p90 in seconds.
function mockAnalytics(days: number) {
  const heatmap = Array.from({ length: 7 }, (_, d) =>
    Array.from({ length: 24 }, (_, h) => Math.round((d < 5 ? 1 : 0.4) * Math.max(0, 12 - Math.abs(h - 14)) * (days / 7))),
  );
  const day0 = Date.now() - days * 86400000;
  const sentiment = Array.from({ length: days }, (_, i) => {
    const bump = Math.abs(i - days / 2) < 2 ? 30 : 0;
    return { day: new Date(day0 + i * 86400000).toISOString().slice(0, 10), negative: 8 + bump, neutral: 40, positive: 15, unscored: 1 };
  });
  const row = (dimension: string, key: string, scale: number) => ({
    dimension, key, conversations: Math.round(120 * scale), firstResponseCount: Math.round(110 * scale),
    firstResponseP50: 1800 * scale, firstResponseP90: 7200 * scale, resolutionCount: Math.round(90 * scale),
    resolutionP50: 14400 * scale, resolutionP90: 86400 * scale, withSla: Math.round(110 * scale),
    withinSla: Math.round(95 * scale), withinPct: 86.4, breached: Math.round(15 * scale), warnings: Math.round(9 * scale),
  });
  return {
    from: new Date(day0).toISOString(), to: new Date().toISOString(), timeZone: 'Europe/Berlin',
    heatmap, heatmapMax: Math.max(...heatmap.flat()), inbound: heatmap.flat().reduce((a, b) => a + b, 0),
    sentiment, total: row('all', '', 1), byChannel: [row('channel', 'mail', 0.5), row('channel', 'vk', 0.3), row('channel', 'telegram', 0.2)],
    byAgent: [row('agent', 'alex', 0.6), row('agent', 'maria', 0.4)], byWeek: [], breaches: 15, topTags: [{ tag: 'refund', count: 40 }, { tag: 'delivery', count: 31 }],
    negativeTerms: [{ term: 'refund', count: 22 }, { term: 'late', count: 17 }], negativePhrases: ['still waiting for my refund'],
  };
}
