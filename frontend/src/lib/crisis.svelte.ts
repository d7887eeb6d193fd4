// Crisis dashboard state: the detector's per-key states, its alerts (newest
// first), the alert open in the detail view with its near-duplicate groups,
// and the unseen-alert badge and toast fed by Go's "crisis:alert" event.
import * as api from './api';
import type { ApiError, CrisisAlert, CrisisKey, KeyState, SeriesBin } from './api';
import { toApiError } from './api';

export class CrisisStore {
  states = $state.raw<KeyState[]>([]);
  alerts = $state.raw<CrisisAlert[]>([]);
  loading = $state(false);
  loaded = $state(false);
  error = $state.raw<ApiError | null>(null);
  /** alerts that arrived while the dashboard was not shown */
  unseen = $state(0);
  /** the newest live alert, shown as a toast until dismissed */
  toast = $state.raw<CrisisAlert | null>(null);
  selectedId = $state<string | null>(null);
  /** near-duplicate groups of the selected alert's samples (indexes into samples) */
  groups = $state.raw<number[][] | null>(null);
  groupsError = $state.raw<ApiError | null>(null);
  /** accounts with crisis mode on (Go's CrisisService.InCrisis) */
  inCrisis = $state.raw<string[]>([]);
  /** accounts whose crisis mode is being switched */
  switching = $state.raw<ReadonlySet<string>>(new Set());
  modeError = $state.raw<ApiError | null>(null);
  /** bumped by Go's "crisis:event" (a timeline entry was recorded): timelines reload on it */
  timelineVersion = $state(0);
  /** set by the app: true while the dashboard is on screen, so live alerts count as seen */
  visible = false;
  /** the stream whose 72-hour chart the dashboard shows ("account/channel") */
  streamId = $state<string | null>(null);
  streamSeries = $state.raw<SeriesBin[] | null>(null);
  streamError = $state.raw<ApiError | null>(null);

  #gen = 0;
  #groupGen = 0;
  #seriesGen = 0;
  #stop: (() => void)[] = [];
  #statesTimer: ReturnType<typeof setTimeout> | undefined;

  get selected(): CrisisAlert | null {
    return this.alerts.find((a) => a.id === this.selectedId) ?? null;
  }

  get stream(): KeyState | null {
    return this.states.find((s) => streamId(s.key) === this.streamId) ?? null;
  }

  /** streamAlerts are the alerts of the charted stream, for marking their windows. */
  get streamAlerts(): CrisisAlert[] {
    return this.alerts.filter((a) => streamId(a.key) === this.streamId);
  }

  /** init subscribes to live alerts; load() fetches when the dashboard is first shown. */
  init(): void {
    this.#stop.push(api.onCrisisAlert((a) => this.onAlert(a)));
    this.#stop.push(api.onCrisisEvent(() => this.timelineVersion++));
    // Alerts and timeline entries recorded while the page was away are not replayed.
    this.#stop.push(
      api.onStreamReset(() => {
        this.timelineVersion++;
        void this.load();
      }),
    );
  }

  destroy(): void {
    for (const f of this.#stop.splice(0)) f();
    clearTimeout(this.#statesTimer);
  }

  async load(): Promise<void> {
    const gen = ++this.#gen;
    this.loading = true;
    try {
      const [states, alerts, inCrisis] = await Promise.all([api.crisisStates(), api.crisisAlerts(), api.inCrisis()]);
      if (gen !== this.#gen) return;
      this.inCrisis = inCrisis;
      this.states = states;
      // Keep live alerts Go may not list yet (an event can overtake the list call).
      const ids = new Set(alerts.map((a) => a.id));
      this.alerts = [...this.alerts.filter((a) => !ids.has(a.id)), ...alerts].sort(newestFirst);
      this.error = null;
      const pick = this.stream ?? defaultStream(states);
      if (pick) void this.showStream(pick.key);
    } catch (e) {
      if (gen !== this.#gen) return;
      this.error = toApiError('Crisis', e);
    } finally {
      if (gen === this.#gen) {
        this.loading = false;
        this.loaded = true;
      }
    }
  }

  /** onAlert handles one "crisis:alert": list it, toast it, badge it, refresh the cards. */
  onAlert(a: CrisisAlert): void {
    const known = this.alerts.some((x) => x.id === a.id);
    this.alerts = [a, ...this.alerts.filter((x) => x.id !== a.id)].sort(newestFirst);
    if (!known) {
      this.toast = a;
      if (!this.visible) this.unseen++;
    }
    clearTimeout(this.#statesTimer);
    this.#statesTimer = setTimeout(() => {
      api.crisisStates().then(
        (s) => (this.states = s),
        () => {}, // the cards keep their last values; the next load reports errors
      );
      if (this.streamId === streamId(a.key)) void this.showStream(a.key);
    }, 300);
  }

  /** showStream charts one stream's last 72 hours; called again it refreshes the chart. */
  async showStream(key: CrisisKey): Promise<void> {
    const id = streamId(key);
    if (id !== this.streamId) {
      this.streamId = id;
      this.streamSeries = null;
    }
    const gen = ++this.#seriesGen;
    try {
      const bins = await api.crisisSeries(key);
      if (gen !== this.#seriesGen) return;
      this.streamSeries = bins;
      this.streamError = null;
    } catch (e) {
      if (gen === this.#seriesGen) this.streamError = toApiError('CrisisService.Series', e);
    }
  }

  /** setMode opens (on) or ends crisis mode for an account, then rereads Go's list. */
  async setMode(account: string, on: boolean): Promise<void> {
    if (this.switching.has(account)) return;
    this.switching = new Set([...this.switching, account]);
    try {
      await api.setCrisisMode(account, on);
      this.modeError = null;
      this.inCrisis = await api.inCrisis();
    } catch (e) {
      this.modeError = toApiError('CrisisService.SetCrisisMode', e);
    } finally {
      const next = new Set(this.switching);
      next.delete(account);
      this.switching = next;
    }
  }

  markSeen(): void {
    this.unseen = 0;
  }

  dismissToast(): void {
    this.toast = null;
  }

  /** select opens an alert's detail and groups its samples by near-duplicate text. */
  async select(id: string | null): Promise<void> {
    this.selectedId = id;
    this.groups = null;
    this.groupsError = null;
    const a = this.selected;
    if (!a || a.samples.length === 0) return;
    const gen = ++this.#groupGen;
    try {
      const g = await api.crisisGroups(a.samples.map((s) => s.text));
      if (gen === this.#groupGen) this.groups = g;
    } catch (e) {
      if (gen === this.#groupGen) this.groupsError = toApiError('CrisisService.Groups', e);
    }
  }
}

/** streamId names a stream (brand account and channel) for the UI. */
export function streamId(k: CrisisKey): string {
  return `${k.account}/${k.channel}`;
}

/**
 * defaultStream is the stream the dashboard charts when none was picked: one
 * in alert, else the one whose last alert is newest (a storm a PR lead comes
 * back to, with its baseline), else the first with history, else the first.
 * Of several in alert, the newest alert wins too.
 */
export function defaultStream(states: KeyState[]): KeyState | undefined {
  const lastAlert = (s: KeyState) => (s.lastAlert ? Date.parse(s.lastAlert) || 0 : 0);
  const newest = (xs: KeyState[]) => xs.reduce<KeyState | undefined>((best, s) => (!best || lastAlert(s) > lastAlert(best) ? s : best), undefined);
  const alerting = newest(states.filter((s) => s.status === 'alert'));
  const alerted = newest(states.filter((s) => lastAlert(s) > 0));
  return alerting ?? alerted ?? states.find((s) => s.status !== 'learning') ?? states[0];
}

function newestFirst(a: CrisisAlert, b: CrisisAlert): number {
  return (Date.parse(b.detectedAt || b.start) || 0) - (Date.parse(a.detectedAt || a.start) || 0);
}

export const crisis = new CrisisStore();
