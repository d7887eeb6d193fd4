// AccountsService: the accounts in Settings (stored settings, state, sync state with the
// scheduler's next attempt, secrets the channel needs, platform limits), saving, testing
// (a stored account or a form's unsaved one), syncing, disabling and removing one. Its
// "sync:progress" event is in events.ts.
import * as AccountsService from '../../../wailsjs/go/main/AccountsService';
import type { channels, registry, workspace } from '../../../wailsjs/go/models';
import { call } from './call';
import { normAccount, type Account } from './inbox';
import type { Channel, Plain, With } from './types';

export type SecretSpec = Plain<registry.Secret>;
/** syncedAt: null before the first sync. */
export type SyncState = Plain<workspace.SyncStatus>;
/** deleteWindowMs: how long a sent reply can still be deleted; 0 = no limit. */
export type Limits = Plain<workspace.AccountLimits>;
/** active: synced and sending; disabled: neither, until enabled (removed accounts are not listed). */
export type AccountState = 'active' | 'disabled';
/** The background sync's backoff: nextAttempt is null unless it waits after failed runs. */
export type SyncRetry = Plain<workspace.RetryStatus>;
/** settings: the stored settings, parsed; {} when Go sent broken JSON. */
export type AccountStatus = With<workspace.AccountStatus, { account: Account; state: AccountState; settings: Record<string, unknown> }>;
/**
 * What a passing test answers: the permissions the account's token was granted and
 * those the channel needs that it was not (Meta's channels; empty lists for the others).
 */
export type TestPermissions = Plain<channels.Permissions>;
/** AccountInput is what AccountsService.Save receives; settings is JSON object text. */
export type AccountInput = With<workspace.AccountInput, { channel: Channel }>;

function parseSettings(text: string): Record<string, unknown> {
  try {
    const o: unknown = JSON.parse(text === '' ? '{}' : text);
    return o && typeof o === 'object' && !Array.isArray(o) ? { ...o } : {};
  } catch {
    return {};
  }
}

export function normAccountStatus(v: Plain<workspace.AccountStatus>): AccountStatus {
  return { ...v, account: normAccount(v.account), settings: parseSettings(v.settings), state: v.state === 'disabled' ? 'disabled' : 'active' };
}

export function listAccounts(): Promise<AccountStatus[]> {
  return call('AccountsService.List', () => AccountsService.List(), (list) => list.map(normAccountStatus));
}

export function saveAccount(input: AccountInput): Promise<Account> {
  return call('AccountsService.Save', () => AccountsService.Save(input), normAccount);
}

/** testAccount resolves with the token's permissions (see TestPermissions) or rejects with the reason. */
export function testAccount(name: string): Promise<TestPermissions> {
  return call('AccountsService.Test', () => AccountsService.Test(name));
}

/**
 * testAccountInput tests the account a form describes without storing anything; it
 * rejects with a coded ApiError (its message in the user's language with the next step).
 */
export function testAccountInput(input: AccountInput): Promise<TestPermissions> {
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
