// The account setup form without Svelte: which fields each channel has, how the
// form is filled from a stored account, validated, and turned into the
// AccountInput that AccountsService.Save receives (settings as JSON text, secrets
// as a map with empty values left out so Go keeps the stored ones).
import type { AccountInput, AccountStatus, Channel, SecretSpec, SyncRetry } from './api';
import { formatUntil, lang, translate, type Key, type Lang } from './i18n';
import { webHref } from './links';

/** The channels an account can be set up for (imports have no account form). */
export type FormChannel = Exclude<Channel, 'import'>;
export const FORM_CHANNELS: readonly FormChannel[] = ['mail', 'telegram', 'mastodon', 'vk', 'youtube', 'bluesky', 'reddit', 'facebook', 'instagram', 'whatsapp'];

export type FieldKind = 'text' | 'url' | 'port' | 'integer' | 'email' | 'select' | 'checkbox' | 'list';

export interface FieldSpec {
  /** the JSON key in the settings object */
  key: string;
  label: Key;
  kind: FieldKind;
  required?: boolean;
  options?: readonly string[];
  /** value a new form starts with */
  initial?: string | boolean;
  placeholder?: string;
  hint?: Key;
}

/** CHANNEL_FIELDS mirrors the settings structs of backend/channels/registry. */
export const CHANNEL_FIELDS: Record<FormChannel, readonly FieldSpec[]> = {
  mail: [
    { key: 'host', label: 'field.imapHost', kind: 'text', required: true, placeholder: 'imap.example.com' },
    { key: 'port', label: 'field.imapPort', kind: 'port', required: true, initial: '993' },
    { key: 'tls', label: 'field.imapTls', kind: 'select', required: true, options: ['imaps', 'starttls', 'plain'], initial: 'imaps' },
    { key: 'username', label: 'field.username', kind: 'text', required: true },
    { key: 'from', label: 'field.from', kind: 'email', required: true, placeholder: 'support@example.com' },
    { key: 'smtpHost', label: 'field.smtpHost', kind: 'text', required: true, placeholder: 'smtp.example.com' },
    { key: 'smtpPort', label: 'field.smtpPort', kind: 'port', required: true, initial: '465' },
    { key: 'smtpTls', label: 'field.smtpTls', kind: 'select', required: true, options: ['tls', 'starttls', 'plain'], initial: 'tls' },
    { key: 'smtpUsername', label: 'field.smtpUsername', kind: 'text', hint: 'field.smtpUsernameHint' },
    { key: 'folders', label: 'field.folders', kind: 'list', placeholder: 'INBOX, Support', hint: 'field.foldersHint' },
    { key: 'includeSpecial', label: 'field.includeSpecial', kind: 'checkbox', initial: false },
    { key: 'allowRemoteImages', label: 'field.allowRemoteImages', kind: 'checkbox', initial: false },
  ],
  telegram: [{ key: 'baseUrl', label: 'field.baseUrl', kind: 'url', placeholder: 'https://api.telegram.org', hint: 'field.baseUrlHint' }],
  mastodon: [
    { key: 'baseUrl', label: 'field.instanceUrl', kind: 'url', required: true, placeholder: 'https://mastodon.social' },
    { key: 'replyVisibility', label: 'field.replyVisibility', kind: 'select', options: ['', 'public', 'unlisted'], initial: '' },
  ],
  vk: [{ key: 'groupId', label: 'field.groupId', kind: 'integer', required: true, placeholder: '123456' }],
  youtube: [{ key: 'channelId', label: 'field.channelId', kind: 'text', required: true, placeholder: 'UC…' }],
  bluesky: [
    { key: 'identifier', label: 'field.blueskyHandle', kind: 'text', required: true, placeholder: 'acme.bsky.social' },
    { key: 'baseUrl', label: 'field.pdsUrl', kind: 'url', placeholder: 'https://bsky.social', hint: 'field.pdsUrlHint' },
  ],
  reddit: [
    { key: 'username', label: 'field.redditUsername', kind: 'text', required: true, placeholder: 'AcmeAir' },
    { key: 'clientId', label: 'field.clientId', kind: 'text', required: true, hint: 'field.clientIdHint' },
    { key: 'userAgent', label: 'field.userAgent', kind: 'text', required: true, placeholder: 'desktop:com.acme.stormdesk:1.0 (by /u/AcmeAir)', hint: 'field.userAgentHint' },
    { key: 'markRead', label: 'field.markRead', kind: 'checkbox', initial: false },
  ],
  facebook: [{ key: 'pageId', label: 'field.pageId', kind: 'text', required: true, placeholder: '104857600000000', hint: 'field.pageIdHint' }],
  instagram: [{ key: 'pageId', label: 'field.linkedPageId', kind: 'text', required: true, placeholder: '104857600000000', hint: 'field.linkedPageIdHint' }],
  whatsapp: [
    { key: 'phoneNumberId', label: 'field.phoneNumberId', kind: 'text', required: true, placeholder: '106540352242922', hint: 'field.phoneNumberIdHint' },
    { key: 'wabaId', label: 'field.wabaId', kind: 'text', required: true, placeholder: '102290129340398' },
  ],
};

/** CHANNEL_SECRETS mirrors registry.SecretsFor, for new accounts (Go lists them for stored ones). */
export const CHANNEL_SECRETS: Record<FormChannel, readonly SecretSpec[]> = {
  mail: [
    { name: 'password', label: 'IMAP password', required: true },
    { name: 'smtp-password', label: 'SMTP password (if different)', required: false },
  ],
  telegram: [{ name: 'token', label: 'Bot token from @BotFather', required: true }],
  mastodon: [{ name: 'token', label: 'Access token (read, write)', required: true }],
  vk: [
    { name: 'token', label: 'Community access token', required: true },
    { name: 'user-token', label: 'Admin user token (wall comments)', required: false },
  ],
  youtube: [
    { name: 'api-key', label: 'API key', required: true },
    { name: 'oauth-token', label: 'OAuth access token (replies, moderation)', required: false },
  ],
  bluesky: [{ name: 'app-password', label: 'App password', required: true }],
  reddit: [
    { name: 'client-secret', label: 'App secret', required: true },
    { name: 'password', label: 'Account password', required: true },
  ],
  facebook: [
    { name: 'user-token', label: 'Long-lived user access token', required: true },
    { name: 'app-secret', label: 'App secret (webhooks, team server only)', required: false },
    { name: 'verify-token', label: 'Webhook verify token (team server only)', required: false },
  ],
  instagram: [
    { name: 'user-token', label: 'Long-lived user access token', required: true },
    { name: 'app-secret', label: 'App secret (webhooks, team server only)', required: false },
    { name: 'verify-token', label: 'Webhook verify token (team server only)', required: false },
  ],
  whatsapp: [
    { name: 'access-token', label: 'System user access token', required: true },
    { name: 'app-secret', label: 'App secret (webhook signatures)', required: true },
    { name: 'verify-token', label: 'Webhook verify token', required: true },
  ],
};

export interface FormState {
  /** true for an account Go already has: its name and channel are fixed, secrets may stay empty */
  existing: boolean;
  name: string;
  channel: FormChannel;
  brand: string;
  handle: string;
  fields: Record<string, string | boolean>;
  secrets: Record<string, string>;
  /** stored settings keys the form does not show, sent back unchanged */
  extra: Record<string, unknown>;
  /** where the stored settings send the secrets (see destination); null for a new account */
  storedDestination?: string | null;
}

export function emptyForm(channel: FormChannel = 'mail'): FormState {
  const fields: Record<string, string | boolean> = {};
  for (const f of CHANNEL_FIELDS[channel]) fields[f.key] = f.initial ?? (f.kind === 'checkbox' ? false : '');
  return { existing: false, name: '', channel, brand: '', handle: '', fields, secrets: {}, extra: {} };
}

/** changeChannel switches a new form's channel, keeping what the fields have in common. */
export function changeChannel(f: FormState, channel: FormChannel): FormState {
  const next = emptyForm(channel);
  return { ...next, name: f.name, brand: f.brand, handle: f.handle };
}

/** formFromStatus fills the form from a stored account; secrets always start empty. */
export function formFromStatus(st: AccountStatus): FormState {
  const channel = (FORM_CHANNELS as readonly string[]).includes(st.account.channel) ? (st.account.channel as FormChannel) : 'mail';
  const f = emptyForm(channel);
  const known = new Set(CHANNEL_FIELDS[channel].map((x) => x.key));
  for (const spec of CHANNEL_FIELDS[channel]) {
    const v = st.settings[spec.key];
    if (v === undefined || v === null) continue;
    if (spec.kind === 'checkbox') f.fields[spec.key] = v === true;
    else if (spec.kind === 'list') f.fields[spec.key] = Array.isArray(v) ? v.map(String).join(', ') : String(v);
    else f.fields[spec.key] = String(v);
  }
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(st.settings)) if (!known.has(k)) extra[k] = v;
  return {
    ...f,
    existing: true,
    name: st.account.name,
    brand: st.account.brand,
    handle: st.account.handle,
    extra,
    storedDestination: destination(channel, st.settings),
  };
}

/** origin reduces a base URL to scheme://host:port, so spellings of one server compare equal. */
function origin(raw: unknown): string {
  const s = typeof raw === 'string' ? raw.trim() : '';
  if (s === '') return '';
  try {
    const u = new URL(s);
    if (u.hostname === '') return s;
    const port = u.port || (u.protocol === 'http:' ? '80' : u.protocol === 'https:' ? '443' : '');
    return `${u.protocol}//${u.hostname.replace(/\.$/, '')}:${port}`;
  } catch {
    return s;
  }
}

function hostPort(host: unknown, port: unknown): string {
  const h = typeof host === 'string' ? host.trim().toLowerCase().replace(/\.$/, '') : '';
  return `${h}:${typeof port === 'number' ? port : 0}`;
}

/**
 * destination names the servers a channel's settings send its secrets to, as
 * backend/workspace/accounts.go does: IMAP and SMTP host and port for mail, the
 * token and API hosts for Reddit, the base URL's origin for the others. When it changes, Go removes the stored
 * secrets on save, so the form asks for them again.
 */
export function destination(channel: FormChannel, settings: Record<string, unknown>): string {
  if (channel === 'mail') return `imap ${hostPort(settings.host, settings.port)} smtp ${hostPort(settings.smtpHost, settings.smtpPort)}`;
  if (channel === 'reddit') return `auth ${origin(settings.authUrl)} api ${origin(settings.apiUrl)}`;
  return `api ${origin(settings.baseUrl)}`;
}

/** serverChanged reports whether saving f points a stored account at another server. */
export function serverChanged(f: FormState): boolean {
  return f.existing && f.storedDestination != null && destination(f.channel, settingsObject(f)) !== f.storedDestination;
}

export type FormErrors = Record<string, Key>;

const INTEGER = /^\d+$/;

/**
 * validate returns an error per invalid field, keyed "name", "field.<key>" or
 * "secret.<name>"; an empty object means the form can be saved. Required secrets
 * are required for a new account and for a stored one whose server changed (Go
 * removes its stored secrets then); otherwise an existing account keeps them.
 */
export function validate(f: FormState, secrets: readonly SecretSpec[] = CHANNEL_SECRETS[f.channel]): FormErrors {
  const errors: FormErrors = {};
  if (f.name.trim() === '') errors.name = 'form.required';
  else if (/\s/.test(f.name.trim())) errors.name = 'form.noSpaces';
  for (const spec of CHANNEL_FIELDS[f.channel]) {
    const raw = f.fields[spec.key];
    if (spec.kind === 'checkbox') continue;
    const v = typeof raw === 'string' ? raw.trim() : '';
    const id = `field.${spec.key}`;
    if (v === '') {
      if (spec.required) errors[id] = 'form.required';
      continue;
    }
    switch (spec.kind) {
      case 'port':
        if (!INTEGER.test(v) || Number(v) < 1 || Number(v) > 65535) errors[id] = 'form.port';
        break;
      case 'integer':
        if (!INTEGER.test(v) || Number(v) < 1 || !Number.isSafeInteger(Number(v))) errors[id] = 'form.integer';
        break;
      case 'url':
        if (!webHref(v)) errors[id] = 'form.url';
        break;
      case 'email':
        if (!/^[^\s@]+@[^\s@]+$/.test(v)) errors[id] = 'form.email';
        break;
      case 'select':
        if (spec.options && !spec.options.includes(v)) errors[id] = 'form.choice';
        break;
    }
  }
  const moved = serverChanged(f);
  if (!f.existing || moved) {
    for (const s of secrets) {
      if (s.required && (f.secrets[s.name] ?? '') === '') errors[`secret.${s.name}`] = moved ? 'form.secretAgain' : 'form.required';
    }
  }
  return errors;
}

/** settingsObject builds the settings JSON object: typed values, empty optional fields left out. */
export function settingsObject(f: FormState): Record<string, unknown> {
  const out: Record<string, unknown> = { ...f.extra };
  for (const spec of CHANNEL_FIELDS[f.channel]) {
    const raw = f.fields[spec.key];
    if (spec.kind === 'checkbox') {
      if (raw === true) out[spec.key] = true;
      else delete out[spec.key];
      continue;
    }
    const v = typeof raw === 'string' ? raw.trim() : '';
    if (v === '') {
      delete out[spec.key];
      continue;
    }
    switch (spec.kind) {
      case 'port':
      case 'integer':
        out[spec.key] = Number(v);
        break;
      case 'list': {
        const items = v.split(',').map((x) => x.trim()).filter((x) => x !== '');
        if (items.length > 0) out[spec.key] = items;
        else delete out[spec.key];
        break;
      }
      default:
        out[spec.key] = v;
    }
  }
  return out;
}

/** buildInput turns a (valid) form into what AccountsService.Save receives. */
export function buildInput(f: FormState): AccountInput {
  const secrets: Record<string, string> = {};
  for (const [name, value] of Object.entries(f.secrets)) {
    // An empty secret keeps the stored one; it is not sent at all so nothing can clear it.
    if (value !== '') secrets[name] = value;
  }
  return {
    name: f.name.trim(),
    channel: f.channel,
    brand: f.brand.trim(),
    handle: f.handle.trim(),
    settings: JSON.stringify(settingsObject(f)),
    secrets,
  };
}

/**
 * nextAttemptText says when the background sync tries again after failed runs, from the
 * scheduler's own next-attempt time (AccountStatus.retry): the clock time to the second
 * and how far off it is. '' when no retry is pending.
 */
export function nextAttemptText(retry: SyncRetry, now: number, l: Lang = lang()): string {
  if (retry.failures <= 0) return '';
  if (retry.nextAttempt === null) return translate(l, 'accounts.retryingNow');
  if (Number.isNaN(new Date(retry.nextAttempt).getTime())) return '';
  const until = formatUntil(retry.nextAttempt, now, l);
  if (!until) return translate(l, 'accounts.retryingNow');
  return translate(l, 'accounts.nextAttempt', { count: retry.failures, ...until });
}
