// AccountsService: the accounts in Settings (stored settings, sync state, secrets the
// channel needs, platform limits), saving, testing and syncing one. Its "sync:progress"
// event is in events.ts.
import * as AccountsService from '../../../wailsjs/go/main/AccountsService';
import type { channels, registry, store, workspace } from '../../../wailsjs/go/models';
import { call } from './call';
import { normAccount, type Account } from './inbox';
import { filled, goDuration, goTime, nonNull } from './normalize';
import type { Channel, Plain, Sent, With } from './types';

export type SecretSpec = Plain<registry.Secret>;
export type SyncState = With<store.SyncState, { syncedAt: string }>;
/** deleteWindowMs: how long a sent reply can still be deleted; 0 = no limit. */
export type Limits = Omit<Plain<channels.Limits>, 'deleteWindow'> & { deleteWindowMs: number };
/** settings: the stored settings, parsed; {} when Go sent nothing or broken JSON. */
export type AccountStatus = With<
  workspace.AccountStatus,
  { account: Account; settings: Record<string, unknown>; sync: SyncState; limits: Limits }
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
    sync: { ...filled<SyncState>(v?.sync, { cursor: '', fetched: 0, skipped: 0, lastError: '' }), syncedAt: goTime(v?.sync?.syncedAt) },
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

export function syncNow(name: string): Promise<void> {
  return call('AccountsService.SyncNow', () => AccountsService.SyncNow(name));
}
