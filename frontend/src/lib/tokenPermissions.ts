// The permissions a passing test connection reports for a Meta account (Go's
// channels.Permissions: what the token was granted, and what the channel needs
// that it was not), arranged for Settings: each in words a community manager
// understands, with Meta's own name beside it for whoever grants it.
import type { TestPermissions } from './api';
import { t, type Key } from './i18n';

export interface PermissionRow {
  /** Meta's name of the permission, e.g. pages_messaging */
  name: string;
  /** what it lets Stormdesk do, or '' for a permission Stormdesk does not use */
  words: string;
}

export interface PermissionList {
  has: PermissionRow[];
  lacks: PermissionRow[];
}

function row(name: string): PermissionRow {
  const key = `metaPerm.${name}` as Key;
  const words = t(key);
  return { name, words: words === key ? '' : words };
}

// Permissions Stormdesk uses come first (they explain what works), the
// token's others after them; each group in Meta's name order.
function ordered(names: string[]): PermissionRow[] {
  const rows = [...new Set(names)].sort().map(row);
  return [...rows.filter((r) => r.words !== ''), ...rows.filter((r) => r.words === '')];
}

/**
 * permissionList arranges a test's answer. A permission is never listed as
 * both had and lacking; an answer with neither (a channel whose token carries
 * no permissions) is null, so nothing is shown.
 */
export function permissionList(p: TestPermissions | null | undefined): PermissionList | null {
  const granted = p?.granted ?? [];
  const missing = (p?.missing ?? []).filter((m) => !granted.includes(m));
  if (granted.length === 0 && missing.length === 0) return null;
  return { has: ordered(granted), lacks: ordered(missing) };
}
