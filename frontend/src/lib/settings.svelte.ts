// Settings screen state: the accounts Go knows with their sync state, live sync
// progress from "sync:progress", and the outcome of each test/sync action.
import * as api from './api';
import type { AccountInput, AccountStatus, ApiError, SyncProgress, TestPermissions } from './api';
import { toApiError } from './api';

export interface TestResult {
  ok: boolean;
  /** why it failed; '' when it passed (the screen says so in the current language) */
  text: string;
  /** what a passing test found on the token (Meta's channels; empty lists otherwise) */
  perms?: TestPermissions;
  /** why the test failed, shown worded with Go's text under Details */
  error?: ApiError;
}

export class SettingsStore {
  accounts = $state.raw<AccountStatus[]>([]);
  loading = $state(false);
  loaded = $state(false);
  error = $state.raw<ApiError | null>(null);
  /** the last progress event per account name */
  progress = $state<Record<string, SyncProgress>>({});
  tests = $state<Record<string, TestResult>>({});
  testing = $state<Record<string, boolean>>({});
  syncErrors = $state<Record<string, string>>({});

  #stop: (() => void)[] = [];
  #reloadTimer: ReturnType<typeof setTimeout> | undefined;

  init(): void {
    this.#stop.push(api.onSyncProgress((p) => this.onProgress(p)));
    this.#stop.push(api.onStreamReset(() => void (this.loaded && this.load())));
  }

  destroy(): void {
    for (const f of this.#stop.splice(0)) f();
    clearTimeout(this.#reloadTimer);
  }

  async load(): Promise<void> {
    this.loading = true;
    try {
      this.accounts = await api.listAccounts();
      this.error = null;
    } catch (e) {
      this.error = toApiError('AccountsService.List', e);
    } finally {
      this.loading = false;
      this.loaded = true;
    }
  }

  onProgress(p: SyncProgress): void {
    if (p.account === '') return;
    this.progress = { ...this.progress, [p.account]: p };
    // A finished run changed the stored sync state (time, count, error): show it.
    if (p.completed && this.loaded) {
      clearTimeout(this.#reloadTimer);
      this.#reloadTimer = setTimeout(() => void this.load(), 200);
    }
  }

  /** save stores an account; it rejects with an ApiError carrying Go's text. */
  async save(input: AccountInput): Promise<void> {
    try {
      await api.saveAccount(input);
    } finally {
      // Go may store the account and then fail to start its sync: list what it has either way.
      await this.load();
    }
  }

  async test(name: string): Promise<void> {
    this.testing = { ...this.testing, [name]: true };
    const { [name]: _, ...rest } = this.tests;
    this.tests = rest;
    try {
      const perms = await api.testAccount(name);
      this.tests = { ...this.tests, [name]: { ok: true, text: '', perms } };
    } catch (e) {
      const err = toApiError('AccountsService.Test', e);
      this.tests = { ...this.tests, [name]: { ok: false, text: err.message || err.op, error: err } };
    } finally {
      this.testing = { ...this.testing, [name]: false };
    }
  }

  async syncNow(name: string): Promise<void> {
    const { [name]: _, ...rest } = this.syncErrors;
    this.syncErrors = rest;
    try {
      await api.syncNow(name);
    } catch (e) {
      const err = toApiError('AccountsService.SyncNow', e);
      this.syncErrors = { ...this.syncErrors, [name]: err.message || err.op };
    }
  }
}

export const settings = new SettingsStore();
