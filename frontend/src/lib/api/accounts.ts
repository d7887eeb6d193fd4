// AccountsService: the accounts in Settings (stored settings, state, sync state with the
// scheduler's next attempt, secrets the channel needs, platform limits), saving, testing
// (a stored account or a form's unsaved one), syncing, disabling and removing one. Its
// "sync:progress" event is in events.ts.
import * as AccountsService from '../../../wailsjs/go/main/AccountsService';
import type { channels, ingest, registry, store, workspace } from '../../../wailsjs/go/models';
import { call } from './call';
import { normAccount, type Account } from './inbox';
import { filled, goDuration, goTime, nonNull } from './normalize';
import type { Channel, Plain, Sent, With } from './types';

export type SecretSpec = Plain<registry.Secret>;
export type SyncState = With<store.SyncState, { syncedAt: string }>;
/** deleteWindowMs: how long a sent reply can still be deleted; 0 = no limit. */
export type Limits = Omit<Plain<channels.Limits>, 'deleteWindow'> & { deleteWindowMs: number };
/** active: synced and sending; disabled: neither, until enabled (removed accounts are not listed). */
export type AccountState = 'active' | 'disabled';
/** The background sync's backoff: nextAttempt is '' unless it waits after failed runs. */
export type SyncRetry = With<ingest.Backoff, { nextAttempt: string }>;
/** settings: the stored settings, parsed; {} when Go sent nothing or broken JSON. */
export type AccountStatus = With<
  workspace.AccountStatus,
  { account: Account; state: AccountState; settings: Record<string, unknown>; sync: SyncState; retry: SyncRetry; limits: Limits }
>;
/** AccountInput is what AccountsService.Save receives; settings is JSON object text. */
export type AccountInput = With<workspace.AccountInput, { channel: Channel }>;

function parseSettings(text: unknown): Record<string, unknown> {
  try {
    const o: unknown = JSON.parse(typeof text === 'string' && text !== '' ? text : '{}');
    return o && typeof o === 'object' && !Array.isArray(o) ? { ...o } : {};
  } catch {
    return {};
  }
}

export function normAccountStatus(v: Sent<workspace.AccountStatus>): AccountStatus {
  const limits = v?.limits;
  return {
    account: normAccount(v?.account),
    settings: parseSettings(v?.settings),
    state: v?.state === 'disabled' ? 'disabled' : 'active',
    sync: { ...filled<SyncState>(v?.sync, { cursor: '', fetched: 0, skipped: 0, lastError: '' }), syncedAt: goTime(v?.sync?.syncedAt) },
    retry: { failures: v?.retry?.failures ?? 0, lastError: v?.retry?.lastError ?? '', nextAttempt: goTime(v?.retry?.nextAttempt) },
    secrets: nonNull(v?.secrets).map((s) => filled<SecretSpec>(s, { required: false })),
    limits: { maxTextLength: limits?.maxTextLength ?? 0, deleteWindowMs: goDuration(limits?.deleteWindow), notes: nonNull(limits?.notes).map((n) => filled<Plain<channels.Note>>(n, { code: '', params: {}, text: '' })) },
  };
}

export function listAccounts(): Promise<AccountStatus[]> {
  return call('AccountsService.List', () => AccountsService.List(), (list) => nonNull(list).map(normAccountStatus));
}

export function saveAccount(input: AccountInput): Promise<Account> {
  return call('AccountsService.Save', () => AccountsService.Save(input), normAccount);
}

/** testAccount resolves with Go's answer ("connected") or rejects with the reason. */
export function testAccount(name: string): Promise<string> {
  return call('AccountsService.Test', () => AccountsService.Test(name));
}

/**
 * testAccountInput tests the account a form describes without storing anything; it
 * rejects with a coded ApiError (its message in the user's language with the next step).
 */
export function testAccountInput(input: AccountInput): Promise<string> {
  return call('AccountsService.TestInput', () => AccountsService.TestInput(input));
}

/** setAccountEnabled disables an account (sync and sending stop, data stays) or enables it. */
export function setAccountEnabled(name: string, enabled: boolean): Promise<void> {
  return call('AccountsService.SetEnabled', () => AccountsService.SetEnabled(name, enabled));
}

/** removeAccount removes an account and its secrets; its conversations stay, read-only. */
export function removeAccount(name: string): Promise<void> {
  return call('AccountsService.Remove', () => AccountsService.Remove(name));
}

export function syncNow(name: string): Promise<void> {
  return call('AccountsService.SyncNow', () => AccountsService.SyncNow(name));
}
