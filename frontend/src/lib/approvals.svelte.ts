// The approval queue: replies submitted for approval, crisis replies first.
// It reloads on Go's "approval:changed" and reports fresh submissions (Go's
// "approval:requested") to the app, which notifies approvers on the desktop.
import * as api from './api';
import type { ApiError, PendingApproval, Reply } from './api';
import { toApiError } from './api';

export class ApprovalStore {
  items = $state.raw<PendingApproval[]>([]);
  loading = $state(false);
  loaded = $state(false);
  error = $state.raw<ApiError | null>(null);
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
      api.onApprovalRequested((r) => this.onRequested(r)),
    );
    void this.load();
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
