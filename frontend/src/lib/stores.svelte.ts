// Shared inbox state (Svelte 5 runes). Components read fields and call methods;
// all Go calls go through lib/api, and every failure lands in `errors`.
import * as api from './api';
import type {
  AppInfo,
  Account,
  Channel,
  Conversation,
  ConversationQuery,
  Order,
  SearchHit,
  Sentiment,
  Stats,
  Status,
  TagCount,
  Thread,
} from './api';
import { ApiError, toApiError } from './api';

export type ViewId =
  | 'all'
  | 'mine'
  | 'unassigned'
  | 'sla'
  | 'negative'
  | 'pending'
  | 'closed'
  | `channel:${Channel}`
  | `tag:${string}`;

export const FIXED_VIEWS = ['all', 'mine', 'unassigned', 'sla', 'negative', 'pending', 'closed'] as const;

/** The filters bar: shown values are the ones sent, a view only presets them. */
export interface Filters {
  status: '' | Status;
  channel: '' | Channel;
  sentiment: Sentiment;
  order: Order;
}

export const PAGE_SIZE = 100;
export const SEARCH_PAGE = 50;

interface ViewPreset {
  filters: Filters;
  mine?: boolean;
  unassigned?: boolean;
  tag?: string;
}

/** viewPreset returns the filters a view starts with and the view-only query fields. */
export function viewPreset(view: ViewId): ViewPreset {
  const open: Filters = { status: 'open', channel: '', sentiment: '', order: 'newest' };
  switch (view) {
    case 'all':
      return { filters: open };
    case 'mine':
      return { filters: open, mine: true };
    case 'unassigned':
      return { filters: open, unassigned: true };
    case 'sla':
      return { filters: { ...open, order: 'sla' } };
    case 'negative':
      return { filters: { ...open, sentiment: 'negative' } };
    case 'pending':
      return { filters: { ...open, status: 'pending' } };
    case 'closed':
      return { filters: { ...open, status: 'closed' } };
  }
  if (view.startsWith('channel:')) {
    return { filters: { ...open, channel: view.slice('channel:'.length) as Channel } };
  }
  return { filters: { ...open, status: '' }, tag: view.slice('tag:'.length) };
}

/** buildQuery combines a view with the filters bar into the query Go receives. */
export function buildQuery(view: ViewId, f: Filters, cursor = '', limit = PAGE_SIZE): ConversationQuery {
  const p = viewPreset(view);
  return {
    status: f.status,
    channel: f.channel,
    accountId: 0,
    tag: p.tag ?? '',
    sentiment: f.sentiment,
    assignee: '',
    unassigned: p.unassigned ?? false,
    mine: p.mine ?? false,
    order: f.order,
    cursor,
    limit,
  };
}

export interface ShownError {
  id: number;
  error: ApiError;
}

export class InboxStore {
  info = $state.raw<AppInfo | null>(null);
  stats = $state.raw<Stats | null>(null);
  tagCounts = $state.raw<TagCount[]>([]);
  accounts = $state.raw<Account[]>([]);

  view = $state<ViewId>('all');
  filters = $state<Filters>(viewPreset('all').filters);

  /** loaded conversations; raw because a long scroll holds hundreds of thousands */
  items = $state.raw<Conversation[]>([]);
  next = $state('');
  loading = $state(false);
  loadingMore = $state(false);
  loaded = $state(false);
  /** Go reported changes while the user was deep in the list */
  stale = $state(false);
  selected = $state(-1);
  /** bumped when a reload shows a different list (not a refresh of the same one) */
  version = $state(0);

  openId = $state<number | null>(null);
  thread = $state.raw<Thread | null>(null);
  threadLoading = $state(false);
  focusMessageId = $state<number | null>(null);
  acting = $state(false);

  searchText = $state('');
  searchActive = $state(false);
  searchQuery = $state('');
  hits = $state.raw<SearchHit[]>([]);
  hitsDone = $state(true);
  searching = $state(false);
  hitSelected = $state(-1);

  errors = $state<ShownError[]>([]);
  now = $state(Date.now());

  #listGen = 0;
  #threadGen = 0;
  #searchGen = 0;
  #errorSeq = 0;
  #ids = new Set<number>();
  #stop: (() => void)[] = [];

  get me(): string {
    return this.info?.me ?? '';
  }

  /** target is the conversation actions apply to: the open one, else the selected row. */
  get target(): Conversation | null {
    if (this.thread && this.thread.conversation.id === this.openId) return this.thread.conversation;
    return this.items[this.selected] ?? null;
  }

  async init(): Promise<void> {
    const off = api.onInboxChanged(() => this.onChanged());
    const tick = setInterval(() => (this.now = Date.now()), 30_000);
    this.#stop.push(off, () => clearInterval(tick));
    await Promise.all([
      api.info().then((v) => (this.info = v), (e) => this.report(e, 'Info')),
      this.refreshCounts(),
      api.accounts().then((v) => (this.accounts = v), (e) => this.report(e, 'Accounts')),
      this.reload(),
    ]);
  }

  destroy(): void {
    for (const f of this.#stop.splice(0)) f();
  }

  report(err: unknown, op = 'call'): void {
    const error = toApiError(op, err);
    const last = this.errors[this.errors.length - 1];
    if (last && last.error.message === error.message && last.error.kind === error.kind) return;
    this.errors = [...this.errors.slice(-2), { id: ++this.#errorSeq, error }];
  }

  dismissError(id: number): void {
    this.errors = this.errors.filter((e) => e.id !== id);
  }

  async refreshCounts(): Promise<void> {
    await Promise.all([
      api.stats().then((v) => (this.stats = v), (e) => this.report(e, 'Stats')),
      api.tags().then((v) => (this.tagCounts = v), (e) => this.report(e, 'Tags')),
    ]);
  }

  selectView(view: ViewId): void {
    this.leaveSearch();
    this.view = view;
    this.filters = viewPreset(view).filters;
    void this.reload();
  }

  setFilter<K extends keyof Filters>(key: K, value: Filters[K]): void {
    if (this.filters[key] === value) return;
    this.filters = { ...this.filters, [key]: value };
    void this.reload();
  }

  resetFilters(): void {
    this.filters = viewPreset(this.view).filters;
    void this.reload();
  }

  /** reload fetches the first page; keepSelection re-finds the selected conversation by id. */
  async reload(keepSelection = false): Promise<void> {
    const gen = ++this.#listGen;
    const keepId = keepSelection ? this.items[this.selected]?.id : undefined;
    this.loading = true;
    this.loadingMore = false;
    try {
      const page = await api.conversations(buildQuery(this.view, this.filters));
      if (gen !== this.#listGen) return;
      this.#ids = new Set(page.items.map((c) => c.id));
      if (!keepSelection) this.version++;
      this.items = page.items;
      this.next = page.next;
      this.stale = false;
      const idx = keepId === undefined ? -1 : page.items.findIndex((c) => c.id === keepId);
      this.selected = idx >= 0 ? idx : page.items.length > 0 ? 0 : -1;
    } catch (e) {
      if (gen !== this.#listGen) return;
      this.items = [];
      this.next = '';
      this.selected = -1;
      this.report(e, 'Conversations');
    } finally {
      if (gen === this.#listGen) {
        this.loading = false;
        this.loaded = true;
      }
    }
  }

  /** loadMore appends the next keyset page, once at a time. */
  async loadMore(): Promise<void> {
    if (!this.next || this.loading || this.loadingMore) return;
    const gen = this.#listGen;
    this.loadingMore = true;
    try {
      const page = await api.conversations(buildQuery(this.view, this.filters, this.next));
      if (gen !== this.#listGen) return;
      const fresh = page.items.filter((c) => !this.#ids.has(c.id));
      for (const c of fresh) this.#ids.add(c.id);
      if (fresh.length > 0) this.items = this.items.concat(fresh);
      this.next = page.next;
    } catch (e) {
      if (gen !== this.#listGen) return;
      this.report(e, 'Conversations');
      this.next = ''; // stop the scroll from retrying in a loop; a reload starts over
    } finally {
      if (gen === this.#listGen) this.loadingMore = false;
    }
  }

  select(index: number): void {
    const n = this.searchActive ? this.hits.length : this.items.length;
    if (n === 0) return;
    const i = Math.max(0, Math.min(n - 1, index));
    if (this.searchActive) this.hitSelected = i;
    else this.selected = i;
  }

  openSelected(): void {
    if (this.searchActive) {
      const h = this.hits[this.hitSelected];
      if (h) void this.open(h.conversationId, h.messageId);
      return;
    }
    const c = this.items[this.selected];
    if (c) void this.open(c.id);
  }

  async open(id: number, messageId: number | null = null): Promise<void> {
    const gen = ++this.#threadGen;
    this.openId = id;
    this.focusMessageId = messageId;
    if (this.thread?.conversation.id !== id) this.thread = null;
    this.threadLoading = true;
    try {
      const th = await api.thread(id);
      if (gen !== this.#threadGen) return;
      this.thread = th;
      this.#replace(th.conversation, false);
    } catch (e) {
      if (gen !== this.#threadGen) return;
      this.report(e, 'Thread');
    } finally {
      if (gen === this.#threadGen) this.threadLoading = false;
    }
  }

  /** messages whose sentiment was corrected in this session (Go may not flag them yet) */
  corrected = $state.raw<ReadonlySet<number>>(new Set());

  /** correctSentiment relabels an inbound message by hand; true when Go stored it. */
  async correctSentiment(messageId: number, label: Exclude<Sentiment, ''>): Promise<boolean> {
    try {
      await api.correctSentiment(messageId, label);
    } catch (e) {
      this.report(e, 'InboxService.CorrectSentiment');
      return false;
    }
    this.corrected = new Set([...this.corrected, messageId]);
    const th = this.thread;
    if (th && th.messages.some((m) => m.id === messageId)) {
      this.thread = {
        ...th,
        messages: th.messages.map((m) => (m.id === messageId ? { ...m, sentiment: label, sentimentCorrected: true } : m)),
      };
    }
    return true;
  }

  /** #replace puts an updated conversation into the list and the open thread. */
  #replace(c: Conversation, mayDrop: boolean): void {
    const i = this.items.findIndex((x) => x.id === c.id);
    if (i >= 0) {
      const leaves = mayDrop && this.filters.status !== '' && c.status !== this.filters.status;
      const copy = this.items.slice();
      if (leaves) {
        copy.splice(i, 1);
        this.#ids.delete(c.id);
        let sel = this.selected > i ? this.selected - 1 : this.selected;
        sel = Math.min(sel, copy.length - 1);
        this.selected = sel;
      } else {
        copy[i] = c;
      }
      this.items = copy;
    }
    if (this.thread && this.thread.conversation.id === c.id) {
      this.thread = { ...this.thread, conversation: c };
    }
  }

  /** #act runs one action on the target conversation; true when Go accepted it. */
  async #act(op: string, run: (id: number) => Promise<Conversation>): Promise<boolean> {
    const target = this.target;
    if (!target || this.acting) return false;
    this.acting = true;
    try {
      const c = await run(target.id);
      this.#replace(c, true);
      void this.refreshCounts();
      return true;
    } catch (e) {
      this.report(e, op);
      return false;
    } finally {
      this.acting = false;
    }
  }

  setStatus(status: Status): Promise<boolean> {
    return this.#act('SetStatus', (id) => api.setStatus(id, status));
  }

  /** closeTarget is the "e" shortcut: close the open (or selected) conversation. */
  closeTarget(): Promise<boolean> {
    if (this.target?.status === 'closed') return Promise.resolve(false);
    return this.setStatus('closed');
  }

  assignToMe(): Promise<boolean> {
    return this.#act('Assign', (id) => api.assign(id, this.me));
  }

  unassign(): Promise<boolean> {
    return this.#act('Assign', (id) => api.assign(id, ''));
  }

  addTag(tag: string): Promise<boolean> {
    const t = tag.trim();
    if (t === '') return Promise.resolve(false);
    return this.#act('AddTag', (id) => api.addTag(id, t));
  }

  removeTag(tag: string): Promise<boolean> {
    return this.#act('RemoveTag', (id) => api.removeTag(id, tag));
  }

  async runSearch(text: string): Promise<void> {
    const q = text.trim();
    if (q === '') {
      this.leaveSearch();
      return;
    }
    const gen = ++this.#searchGen;
    this.searchActive = true;
    this.searchQuery = q;
    this.searching = true;
    this.hits = [];
    this.hitsDone = false;
    this.hitSelected = -1;
    try {
      const hits = await api.search({ text: q, channel: this.filters.channel, beforeId: 0, limit: SEARCH_PAGE });
      if (gen !== this.#searchGen) return;
      this.hits = hits;
      this.hitsDone = hits.length < SEARCH_PAGE;
      this.hitSelected = hits.length > 0 ? 0 : -1;
    } catch (e) {
      if (gen !== this.#searchGen) return;
      this.hitsDone = true;
      this.report(e, 'Search');
    } finally {
      if (gen === this.#searchGen) this.searching = false;
    }
  }

  async searchMore(): Promise<void> {
    if (!this.searchActive || this.hitsDone || this.searching || this.hits.length === 0) return;
    const gen = this.#searchGen;
    const beforeId = this.hits[this.hits.length - 1].messageId;
    this.searching = true;
    try {
      const more = await api.search({ text: this.searchQuery, channel: this.filters.channel, beforeId, limit: SEARCH_PAGE });
      if (gen !== this.#searchGen) return;
      this.hits = this.hits.concat(more);
      this.hitsDone = more.length < SEARCH_PAGE;
    } catch (e) {
      if (gen !== this.#searchGen) return;
      this.hitsDone = true;
      this.report(e, 'Search');
    } finally {
      if (gen === this.#searchGen) this.searching = false;
    }
  }

  /** leaveSearch returns to the list; false when there was nothing to leave. */
  leaveSearch(): boolean {
    if (!this.searchActive && this.searchText === '') return false;
    ++this.#searchGen;
    this.searchActive = false;
    this.searchText = '';
    this.searchQuery = '';
    this.hits = [];
    this.hitsDone = true;
    this.searching = false;
    this.hitSelected = -1;
    return true;
  }

  /** onChanged handles Go's "inbox:changed": counts always, the list unless the user is deep in it. */
  onChanged(): void {
    clearTimeout(this.#changedTimer);
    this.#changedTimer = setTimeout(() => this.#applyChanged(), 250);
  }

  #changedTimer: ReturnType<typeof setTimeout> | undefined;

  #applyChanged(): void {
    void this.refreshCounts();
    // Demo seeding finishes in the background and flips Info.demo; errors here are not news.
    api.info().then((v) => (this.info = v), () => {});
    if (this.selected < PAGE_SIZE / 2 && !this.loadingMore) void this.reload(true);
    else this.stale = true;
    if (this.openId !== null) {
      const id = this.openId;
      const gen = this.#threadGen;
      api.thread(id).then(
        (th) => {
          if (gen === this.#threadGen && this.openId === id) this.thread = th;
        },
        () => {
          // the list refresh reports errors; a vanished thread keeps its last view
        },
      );
    }
  }
}

export const inbox = new InboxStore();

/** accountName returns the display name of an account id, or "". */
export function accountName(accounts: Account[], id: number): string {
  const a = accounts.find((x) => x.id === id);
  return a ? a.name || a.handle : '';
}
