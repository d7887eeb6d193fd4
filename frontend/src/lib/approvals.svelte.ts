// The approval queue: replies submitted for approval, crisis replies first.
// It reloads on Go's "approval:changed" and reports fresh submissions (Go's
// "approval:requested") to the app, which notifies approvers on the desktop.
// It also holds how approval works in this workspace (Go's ApprovalPolicy),
// for the composer's self-review and the roles section of Settings.
import * as api from './api';
import type { ApiError, ApprovalPolicy, PendingApproval, Reply } from './api';
import { toApiError } from './api';
import { problemMarkers } from './compose';

/** The line Go's self-review adds to its audit comment (drafts.SelfReviewed). */
export const SELF_REVIEWED = 'self-review checklist: ';

/**
 * splitSelfReview takes the checklist line of a self-review's audit comment
 * out of the note, so the audit can list the items in the user's language.
 */
export function splitSelfReview(note: string): { note: string; checklist: string[] } {
  const lines = note.split('\n');
  const i = lines.findIndex((l) => l.startsWith(SELF_REVIEWED));
  if (i < 0) return { note, checklist: [] };
  const checklist = lines[i]!.slice(SELF_REVIEWED.length).split(', ').filter((c) => c !== '');
  lines.splice(i, 1);
  return { note: lines.join('\n').trim(), checklist };
}

/**
 * warningCount is how many warnings a reply carries: the markers the composer
 * shows (claims nothing backs, broken drafts, settings that read like
 * instructions) and each suspected prompt injection in its thread.
 */
export function warningCount(r: Pick<Reply, 'problems' | 'injection'>): number {
  return problemMarkers(r.problems, r.injection).length;
}

export class ApprovalStore {
  items = $state.raw<PendingApproval[]>([]);
  loading = $state(false);
  loaded = $state(false);
  error = $state.raw<ApiError | null>(null);
  /** how approval works here; null until Go answered */
  policy = $state.raw<ApprovalPolicy | null>(null);
  /** set by the app: called for each reply newly submitted for approval */
  onRequested: (r: Reply) => void = () => {};

  #gen = 0;
  #stop: (() => void)[] = [];

  /** crisis counts the waiting replies drafted in crisis mode (shown as a badge). */
  get crisis(): number {
    return this.items.filter((p) => p.crisis).length;
  }

  init(): void {
    this.#stop.push(
      api.onApprovalChanged(() => void this.load()),
      api.onStreamReset(() => {
        void this.load();
        void this.loadPolicy();
      }),
      api.onApprovalRequested((r) => this.onRequested(r)),
    );
    void this.load();
    void this.loadPolicy();
  }

  async loadPolicy(): Promise<void> {
    try {
      this.policy = await api.approvalPolicy();
    } catch (e) {
      this.error = toApiError('ComposeService.ApprovalPolicy', e);
    }
  }

  destroy(): void {
    for (const f of this.#stop.splice(0)) f();
  }

  async load(): Promise<void> {
    const gen = ++this.#gen;
    this.loading = true;
    try {
      const items = await api.approvalQueue();
      if (gen !== this.#gen) return;
      this.items = items;
      this.error = null;
    } catch (e) {
      if (gen === this.#gen) this.error = toApiError('ComposeService.ApprovalQueue', e);
    } finally {
      if (gen === this.#gen) {
        this.loading = false;
        this.loaded = true;
      }
    }
  }
}

export const approvals = new ApprovalStore();
