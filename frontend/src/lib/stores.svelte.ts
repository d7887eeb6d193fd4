// Shared inbox state (Svelte 5 runes). Components read fields and call methods;
// all Go calls go through lib/api, and every failure lands in `errors`.
import * as api from './api';
import type {
  AppInfo,
  Account,
  Channel,
  Conversation,
  ConversationQuery,
  Note,
  Order,
  SavedView,
  SearchHit,
  Sentiment,
  Stats,
  Status,
  TagCount,
  Thread,
  TriageAction,
} from './api';
import { ApiError, toApiError } from './api';
import type { IconName } from '../ui/Icon.svelte';
import type { Key } from './i18n';
import * as sel from './selection';
import { unreachable } from './offline.svelte';

export type FixedView = 'all' | 'mine' | 'unassigned' | 'sla' | 'negative' | 'pending' | 'closed' | 'snoozed' | 'failed';
export type ViewId = FixedView | `channel:${Channel}` | `tag:${string}` | `saved:${number}`;

/** The filters bar: shown values are the ones sent, a view only presets them. */
export interface Filters {
  status: '' | Status;
  channel: '' | Channel;
  sentiment: Sentiment;
  order: Order;
}

export const PAGE_SIZE = 100;
export const SEARCH_PAGE = 50;
/** CHANGED_GAP_MS: the least time between two refreshes on "inbox:changed" (see onChanged). */
export const CHANGED_GAP_MS = 250;

export interface ViewPreset {
  filters: Filters;
  mine?: boolean;
  unassigned?: boolean;
  tag?: string;
  /** only snoozed conversations (every other view leaves them out) */
  snoozed?: boolean;
  /** only conversations whose newest reply failed to send, newest failure first */
  failedSend?: boolean;
}

const OPEN: Filters = { status: 'open', channel: '', sentiment: '', order: 'newest' };

/** One fixed view of the sidebar: what it shows and how it presets the list. */
export interface ViewDef {
  id: FixedView;
  icon: IconName;
  label: Key;
  preset: ViewPreset;
  /** the status total of the stats shown as its count */
  count?: Status;
  /** drawn in the danger colour: conversations needing attention */
  alert?: boolean;
}

/** VIEWS is the one table of fixed views, in sidebar order: a new view is one line here. */
export const VIEWS: readonly ViewDef[] = [
  { id: 'all', icon: 'inbox', label: 'view.all', preset: { filters: OPEN }, count: 'open' },
  { id: 'mine', icon: 'user', label: 'view.mine', preset: { filters: OPEN, mine: true } },
  { id: 'unassigned', icon: 'userMinus', label: 'view.unassigned', preset: { filters: OPEN, unassigned: true } },
  { id: 'sla', icon: 'clock', label: 'view.sla', preset: { filters: { ...OPEN, order: 'sla' } }, alert: true },
  { id: 'negative', icon: 'alert', label: 'view.negative', preset: { filters: { ...OPEN, sentiment: 'negative' } }, alert: true },
  { id: 'pending', icon: 'hourglass', label: 'view.pending', preset: { filters: { ...OPEN, status: 'pending' } }, count: 'pending' },
  { id: 'snoozed', icon: 'clock', label: 'view.snoozed', preset: { filters: { ...OPEN, status: '' }, snoozed: true } },
  { id: 'closed', icon: 'checkCircle', label: 'view.closed', preset: { filters: { ...OPEN, status: 'closed' } }, count: 'closed' },
  { id: 'failed', icon: 'alert', label: 'view.failed', preset: { filters: { ...OPEN, status: '' }, failedSend: true }, alert: true },
];

export const FIXED_VIEWS: readonly FixedView[] = VIEWS.map((v) => v.id);

/**
 * viewPreset returns the filters a view starts with and the view-only query fields.
 * A saved view starts from its base view with its own filters; `saved` lists them.
 */
export function viewPreset(view: ViewId, saved: readonly SavedView[] = []): ViewPreset {
  const fixed = VIEWS.find((v) => v.id === view);
  if (fixed) return fixed.preset;
  if (view.startsWith('channel:')) {
    return { filters: { ...OPEN, channel: view.slice('channel:'.length) as Channel } };
  }
  if (view.startsWith('saved:')) {
    const sv = saved.find((v) => `saved:${v.id}` === view);
    if (!sv) return { filters: OPEN };
    const base = viewPreset(sv.filters.base as ViewId);
    const { status, channel, sentiment, order } = sv.filters;
    return { ...base, filters: { status, channel, sentiment, order } };
  }
  return { filters: { ...OPEN, status: '' }, tag: view.slice('tag:'.length) };
}

/** buildQuery combines a view (or its preset) with the filters bar into the query Go receives. */
/** withItem adds item to list, or puts it in place of the one with its id (keyed lists must not repeat an id). */
export function withItem<T extends { id: number }>(list: T[], item: T): T[] {
  return list.some((x) => x.id === item.id) ? list.map((x) => (x.id === item.id ? item : x)) : [...list, item];
}

export function buildQuery(view: ViewId | ViewPreset, f: Filters, cursor = '', limit = PAGE_SIZE): ConversationQuery {
  const p = typeof view === 'string' ? viewPreset(view) : view;
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
    snoozed: p.snoozed ?? false,
    failedSend: p.failedSend ?? false,
  };
}

/** What the undo toast offers to take back: Go's undo entry and how to word it. */
export interface Undoable {
  undoId: number;
  action: TriageAction;
  count: number;
}

/** How long the undo toast stays. */
export const UNDO_MS = 8000;

export interface ShownError {
  id: number;
  error: ApiError;
}

export class InboxStore {
  info = $state.raw<AppInfo | null>(null);
  stats = $state.raw<Stats | null>(null);
  tagCounts = $state.raw<TagCount[]>([]);
  accounts = $state.raw<Account[]>([]);
  savedViews = $state.raw<SavedView[]>([]);

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
  /** rows checked for a bulk action (x, shift/ctrl-click) */
  checked = $state.raw<sel.Checked>(sel.NONE);
  /** the last triage, while its undo toast shows */
  undoable = $state.raw<Undoable | null>(null);

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
  /** threads read in this session, shown again while the server is unreachable */
  #threads = new Map<number, Thread>();
  #ids = new Set<number>();
  #stop: (() => void)[] = [];
  #undoTimer: ReturnType<typeof setTimeout> | undefined;

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
    const offReset = api.onStreamReset(() => this.resync());
    // Info is asked again with the clock: a background loop that failed (AppInfo.loops)
    // is news only Go knows, and no event carries it.
    const tick = setInterval(() => {
      this.now = Date.now();
      this.refreshInfo();
    }, 30_000);
    this.#stop.push(off, offReset, () => clearInterval(tick));
    await Promise.all([
      api.info().then((v) => (this.info = v), (e) => this.report(e, 'Info')),
      this.refreshCounts(),
      api.accounts().then((v) => (this.accounts = v), (e) => this.report(e, 'Accounts')),
      this.loadSavedViews(),
      this.reload(),
    ]);
  }

  destroy(): void {
    for (const f of this.#stop.splice(0)) f();
    clearTimeout(this.#undoTimer);
    clearTimeout(this.#changedTimer);
    this.#changedTimer = undefined;
    this.#changedPending = false;
  }

  report(err: unknown, op = 'call'): void {
    const error = toApiError(op, err);
    // An unreachable server is said once, by the offline banner, not per call.
    if (unreachable(error)) return;
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

  /** preset is viewPreset with the saved views this store holds. */
  preset(view: ViewId = this.view): ViewPreset {
    return viewPreset(view, this.savedViews);
  }

  selectView(view: ViewId): void {
    this.leaveSearch();
    this.view = view;
    this.filters = this.preset(view).filters;
    this.checked = sel.NONE;
    void this.reload();
  }

  setFilter<K extends keyof Filters>(key: K, value: Filters[K]): void {
    if (this.filters[key] === value) return;
    this.filters = { ...this.filters, [key]: value };
    void this.reload();
  }

  resetFilters(): void {
    this.filters = this.preset().filters;
    void this.reload();
  }

  /** reload fetches the first page; keepSelection re-finds the selected conversation by id. */
  async reload(keepSelection = false): Promise<void> {
    const gen = ++this.#listGen;
    const keepId = keepSelection ? this.items[this.selected]?.id : undefined;
    this.loading = true;
    this.loadingMore = false;
    try {
      const page = await api.conversations(buildQuery(this.preset(), this.filters));
      if (gen !== this.#listGen) return;
      this.#ids = new Set(page.items.map((c) => c.id));
      if (!keepSelection) this.version++;
      this.items = page.items;
      this.next = page.next;
      this.stale = false;
      // The highlight stays on the open conversation, never on another one.
      this.selected = sel.afterReload(page.items, this.openId, keepId);
      this.checked = keepSelection ? sel.prune(this.checked, page.items) : sel.NONE;
    } catch (e) {
      if (gen !== this.#listGen) return;
      this.report(e, 'Conversations');
      // The server is away: the list loaded before stays readable.
      if (unreachable(toApiError('Conversations', e))) return;
      this.items = [];
      this.next = '';
      this.selected = -1;
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
      const page = await api.conversations(buildQuery(this.preset(), this.filters, this.next));
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

  /**
   * select highlights a row. In the list the thread follows the highlight, so the
   * two never show different conversations; search hits open on Enter.
   */
  select(index: number): void {
    const n = this.searchActive ? this.hits.length : this.items.length;
    if (n === 0) return;
    const i = Math.max(0, Math.min(n - 1, index));
    if (this.searchActive) {
      this.hitSelected = i;
      return;
    }
    this.selected = i;
    const c = this.items[i];
    if (c && c.id !== this.openId) void this.open(c.id);
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
    // Opened from elsewhere (a search hit, the author panel): the list highlights it, or nothing.
    if (this.items[this.selected]?.id !== id) this.selected = this.items.findIndex((c) => c.id === id);
    this.focusMessageId = messageId;
    if (this.thread?.conversation.id !== id) this.thread = null;
    this.threadLoading = true;
    try {
      const th = await api.thread(id);
      if (gen !== this.#threadGen) return;
      this.thread = th;
      this.#threads.set(id, th);
      this.#apply([th.conversation], () => false);
    } catch (e) {
      if (gen !== this.#threadGen) return;
      this.report(e, 'Thread');
      // The server is away: a thread read earlier in this session stays readable.
      const seen = this.#threads.get(id);
      if (seen && unreachable(toApiError('Thread', e))) this.thread = seen;
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

  /**
   * #apply puts conversations as Go now has them into the list and the open thread.
   * Rows that no longer belong to the view leave it; when the open conversation
   * leaves, the thread moves on with the highlight (see selection.afterRemoval).
   */
  #apply(list: Conversation[], leaves: (c: Conversation) => boolean): void {
    const byId = new Map(list.map((c) => [c.id, c]));
    const removed = new Set(list.filter((c) => this.#ids.has(c.id) && leaves(c)).map((c) => c.id));
    const focus = sel.afterRemoval(this.items, removed, this.selected, this.openId);
    this.items = this.items.filter((c) => !removed.has(c.id)).map((c) => byId.get(c.id) ?? c);
    for (const id of removed) this.#ids.delete(id);
    this.checked = sel.prune(this.checked, this.items);
    if (!this.searchActive) this.selected = focus.selected;
    const th = this.thread;
    const now = th ? byId.get(th.conversation.id) : undefined;
    if (th && now) this.thread = { ...th, conversation: now };
    if (this.searchActive) return;
    if (focus.open === null) {
      ++this.#threadGen;
      this.openId = null;
      this.thread = null;
    } else if (focus.open !== undefined) {
      void this.open(focus.open);
    }
  }

  /** #leaves says whether a conversation changed by action still belongs to the current view. */
  #leaves(action: TriageAction): (c: Conversation) => boolean {
    const p = this.preset();
    const f = this.filters;
    const me = this.me;
    return (c) => {
      if (action === 'snooze') return !p.snoozed;
      if (action === 'unsnooze') return p.snoozed === true;
      return (
        (f.status !== '' && c.status !== f.status) ||
        (p.tag !== undefined && !c.tags.includes(p.tag)) ||
        (p.mine === true && c.assignee !== me) ||
        (p.unassigned === true && c.assignee !== '')
      );
    };
  }

  /** The checked rows, else the target conversation: what e, a and the bulk bar act on. */
  get bulkIds(): number[] {
    if (this.checked.ids.size > 0) return [...this.checked.ids];
    return this.target ? [this.target.id] : [];
  }

  /**
   * triage runs one action on ids (the target conversation by default) in one Go call
   * and offers its undo; true when Go accepted it.
   */
  async triage(
    action: TriageAction,
    opts: { assignee?: string; tag?: string; until?: string } = {},
    ids: number[] = this.target ? [this.target.id] : [],
  ): Promise<boolean> {
    if (ids.length === 0 || this.acting) return false;
    this.acting = true;
    try {
      const res = await api.triage(ids, { action, assignee: opts.assignee ?? '', tag: opts.tag ?? '', until: opts.until ?? '' });
      // A list load still in flight may have read before Go committed: its page
      // would bring a closed row back. A newer load replaces it.
      const stale = this.loading;
      this.#apply(res.items, this.#leaves(action));
      if (stale) void this.reload(true);
      const th = this.thread;
      if (th && ids.includes(th.conversation.id) && (action === 'snooze' || action === 'unsnooze')) {
        this.thread = { ...th, snoozedUntil: action === 'snooze' ? opts.until || null : null };
      }
      this.#offerUndo({ undoId: res.undoId, action, count: ids.length });
      void this.refreshCounts();
      return true;
    } catch (e) {
      this.report(e, 'InboxService.Triage');
      return false;
    } finally {
      this.acting = false;
    }
  }

  /** bulk runs an action on the checked rows (or the target conversation). */
  async bulk(action: TriageAction, opts: { assignee?: string; tag?: string; until?: string } = {}): Promise<boolean> {
    const fromChecks = this.checked.ids.size > 0;
    const ok = await this.triage(action, opts, this.bulkIds);
    // Done with the selection; an action on the open thread alone leaves the checks.
    if (ok && fromChecks) this.checked = sel.NONE;
    return ok;
  }

  #offerUndo(u: Undoable): void {
    clearTimeout(this.#undoTimer);
    this.undoable = u;
    this.#undoTimer = setTimeout(() => (this.undoable = null), UNDO_MS);
  }

  dismissUndo(): void {
    clearTimeout(this.#undoTimer);
    this.undoable = null;
  }

  /** undo takes back the last triage in Go and shows the conversations as they are again. */
  async undo(): Promise<boolean> {
    const u = this.undoable;
    if (!u) return false;
    this.dismissUndo();
    try {
      const restored = await api.undo(u.undoId);
      await this.reload(true);
      // One conversation (e on the open thread): back to it, highlighted and open.
      if (restored.length === 1 && restored[0]!.id !== this.openId) await this.open(restored[0]!.id);
      else if (this.openId !== null && restored.some((c) => c.id === this.openId)) await this.open(this.openId);
      void this.refreshCounts();
      return true;
    } catch (e) {
      this.report(e, 'InboxService.Undo');
      return false;
    }
  }

  setStatus(status: Status): Promise<boolean> {
    return this.triage(status === 'closed' ? 'close' : status);
  }

  /** closeTarget is the "e" shortcut: close the checked rows, else the open (or selected) conversation. */
  closeTarget(): Promise<boolean> {
    if (this.checked.ids.size > 0) return this.bulk('close');
    if (this.target?.status === 'closed') return Promise.resolve(false);
    return this.setStatus('closed');
  }

  /** assignToMe is the "a" shortcut: the checked rows, else the target conversation. */
  assignToMe(): Promise<boolean> {
    return this.bulk('assign', { assignee: this.me });
  }

  unassign(): Promise<boolean> {
    return this.triage('assign', { assignee: '' });
  }

  addTag(tag: string): Promise<boolean> {
    const t = tag.trim();
    if (t === '') return Promise.resolve(false);
    return this.triage('tag', { tag: t });
  }

  removeTag(tag: string): Promise<boolean> {
    return this.triage('untag', { tag });
  }

  /** snooze hides the checked rows (or the target) until a time; every view but Snoozed leaves them out. */
  snooze(until: Date): Promise<boolean> {
    return this.bulk('snooze', { until: until.toISOString() });
  }

  // Checking rows for a bulk action.

  /** toggleCheck is x and ctrl/cmd-click. */
  toggleCheck(index = this.selected): void {
    const c = this.items[index];
    if (c && !this.searchActive) this.checked = sel.toggle(this.checked, c.id);
  }

  /** checkRange is shift-click: from the anchor (or the highlighted row) to index. */
  checkRange(index: number): void {
    if (!this.searchActive) this.checked = sel.range(this.checked, this.items, this.selected, index);
  }

  /** extendCheck is shift+j/k: check the highlighted row and the next one, and move there. */
  extendCheck(dir: 1 | -1): void {
    if (this.searchActive || this.items.length === 0) return;
    const from = Math.max(0, this.selected);
    const to = Math.max(0, Math.min(this.items.length - 1, from + dir));
    this.checked = sel.extend(this.checked, this.items, from, to);
    this.select(to);
  }

  /** clearChecks is Esc: false when nothing was checked. */
  clearChecks(): boolean {
    if (this.checked.ids.size === 0) return false;
    this.checked = sel.NONE;
    return true;
  }

  // Notes on the open conversation.

  /** addNote adds an internal note to the open conversation; true when Go stored it. */
  async addNote(body: string): Promise<boolean> {
    const id = this.thread?.conversation.id;
    if (id === undefined || body.trim() === '') return false;
    try {
      const n = await api.addNote(id, body);
      const th = this.thread;
      // On a team server the change event can reload the thread before this answer
      // arrives, and that thread already holds the note: keep one.
      if (th && th.conversation.id === id) this.thread = { ...th, notes: withItem(th.notes, n) };
      return true;
    } catch (e) {
      this.report(e, 'InboxService.AddNote');
      return false;
    }
  }

  async deleteNote(note: Note): Promise<boolean> {
    try {
      await api.deleteNote(note.id);
      const th = this.thread;
      if (th) this.thread = { ...th, notes: th.notes.filter((n) => n.id !== note.id) };
      return true;
    } catch (e) {
      this.report(e, 'InboxService.DeleteNote');
      return false;
    }
  }

  // Saved views.

  async loadSavedViews(): Promise<void> {
    try {
      this.savedViews = await api.savedViews();
    } catch (e) {
      this.report(e, 'InboxService.SavedViews');
    }
  }

  /** saveView saves the current filters under name and shows the new view; true when saved. */
  async saveView(name: string): Promise<boolean> {
    const cur = this.view.startsWith('saved:') ? this.savedViews.find((v) => `saved:${v.id}` === this.view) : undefined;
    const base = cur ? cur.filters.base : this.view;
    try {
      const v = await api.saveView(name, { base, ...this.filters });
      this.savedViews = withItem(this.savedViews, v).sort((a, b) => a.name.localeCompare(b.name));
      this.view = `saved:${v.id}`;
      return true;
    } catch (e) {
      this.report(e, 'InboxService.SaveView');
      return false;
    }
  }

  async renameView(id: number, name: string): Promise<boolean> {
    try {
      await api.renameView(id, name);
      this.savedViews = this.savedViews
        .map((v) => (v.id === id ? { ...v, name: name.trim() } : v))
        .sort((a, b) => a.name.localeCompare(b.name));
      return true;
    } catch (e) {
      this.report(e, 'InboxService.RenameView');
      return false;
    }
  }

  async deleteView(id: number): Promise<boolean> {
    try {
      await api.deleteView(id);
      this.savedViews = this.savedViews.filter((v) => v.id !== id);
      if (this.view === `saved:${id}`) this.selectView('all');
      return true;
    } catch (e) {
      this.report(e, 'InboxService.DeleteView');
      return false;
    }
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

  /**
   * onChanged handles Go's "inbox:changed": counts always, the list unless the user is deep in
   * it. A lone change (another member's status, tag or note) refreshes at once; events that
   * follow within CHANGED_GAP_MS (a sync storing a burst) wait for the gap and then cost one
   * refresh together, so a burst never reloads more than once per gap.
   */
  onChanged(): void {
    if (this.#changedTimer !== undefined) {
      this.#changedPending = true;
      return;
    }
    this.#applyChanged();
    this.#changedTimer = setTimeout(() => this.#changedGapOver(), CHANGED_GAP_MS);
  }

  #changedGapOver(): void {
    this.#changedTimer = undefined;
    if (!this.#changedPending) return;
    this.#changedPending = false;
    this.onChanged();
  }

  #changedTimer: ReturnType<typeof setTimeout> | undefined;
  #changedPending = false;

  /**
   * resync handles "events:reset" (the page missed events the server no longer has): what
   * "inbox:changed" reloads, at once, plus the accounts and saved views, which other events
   * never reload.
   */
  resync(): void {
    clearTimeout(this.#changedTimer);
    this.#changedTimer = undefined;
    this.#changedPending = false;
    api.accounts().then((v) => (this.accounts = v), (e) => this.report(e, 'Accounts'));
    void this.loadSavedViews();
    this.#applyChanged();
  }

  /** refreshInfo asks AppService.Info again. Its failure is not shown here: the offline and access banners hear of every failed call. */
  refreshInfo(): void {
    api.info().then((v) => (this.info = v), () => {});
  }

  #applyChanged(): void {
    void this.refreshCounts();
    // Demo seeding finishes in the background and flips Info.demo.
    this.refreshInfo();
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
