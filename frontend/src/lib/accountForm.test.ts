import { describe, expect, it } from 'vitest';
import type { AccountStatus } from './api';
import { buildInput, changeChannel, destination, emptyForm, formFromStatus, serverChanged, settingsObject, validate, type FormState, nextAttemptText } from './accountForm';

function mail(over: Partial<FormState['fields']> = {}): FormState {
  const f = emptyForm('mail');
  return {
    ...f,
    name: 'acme-mail',
    brand: 'Acme',
    fields: { ...f.fields, host: 'imap.acme.test', username: 'support', from: 'support@acme.test', smtpHost: 'smtp.acme.test', ...over },
    secrets: { password: 'pw' },
  };
}

describe('account form validation', () => {
  it('accepts a complete mail form', () => {
    expect(validate(mail())).toEqual({});
  });

  it.each([
    ['0', 'form.port'],
    ['65536', 'form.port'],
    ['99a', 'form.port'],
    ['-1', 'form.port'],
    ['1.5', 'form.port'],
    ['', 'form.required'],
  ])('rejects IMAP port %j with %s', (port, key) => {
    expect(validate(mail({ port }))['field.port']).toBe(key);
  });

  it('accepts ports at the edges of the range', () => {
    expect(validate(mail({ port: '1', smtpPort: '65535' }))).toEqual({});
  });

  it('requires the name, the required fields and a required secret for a new account', () => {
    const f = { ...emptyForm('mastodon'), name: '  ' };
    const e = validate(f);
    expect(e.name).toBe('form.required');
    expect(e['field.baseUrl']).toBe('form.required');
    expect(e['secret.token']).toBe('form.required');
  });

  it('does not require secrets of a stored account: empty keeps them', () => {
    const f = { ...emptyForm('telegram'), name: 'bot', existing: true };
    expect(validate(f)).toEqual({});
  });

  it('checks URLs, e-mail addresses, whole numbers and names without spaces', () => {
    const tg = { ...emptyForm('telegram'), name: 'my bot', fields: { baseUrl: 'ftp://x' }, secrets: { token: 't' } };
    expect(validate(tg)).toEqual({ name: 'form.noSpaces', 'field.baseUrl': 'form.url' });
    expect(validate(mail({ from: 'not-an-address' }))['field.from']).toBe('form.email');
    const vk = { ...emptyForm('vk'), name: 'vk', fields: { groupId: '12x' }, secrets: { token: 't' } };
    expect(validate(vk)['field.groupId']).toBe('form.integer');
    expect(validate({ ...vk, fields: { groupId: '123' } })).toEqual({});
  });
});

describe('payload building', () => {
  it('types numbers, splits folder lists, drops empty optional fields and false flags', () => {
    const s = settingsObject(mail({ folders: ' INBOX, Support ,, ', includeSpecial: true, smtpUsername: '  ' }));
    expect(s).toEqual({
      host: 'imap.acme.test',
      port: 993,
      tls: 'imaps',
      username: 'support',
      from: 'support@acme.test',
      smtpHost: 'smtp.acme.test',
      smtpPort: 465,
      smtpTls: 'tls',
      folders: ['INBOX', 'Support'],
      includeSpecial: true,
    });
  });

  it('sends settings as JSON text and omits empty secrets so Go keeps the stored ones', () => {
    const f = { ...mail(), secrets: { password: '', 'smtp-password': 'smtp-secret' } };
    const input = buildInput(f);
    expect(input.secrets).toEqual({ 'smtp-password': 'smtp-secret' });
    expect(Object.keys(input.secrets)).not.toContain('password');
    expect(JSON.parse(input.settings).port).toBe(993);
    expect(input).toMatchObject({ name: 'acme-mail', channel: 'mail', brand: 'Acme', handle: '' });
  });

  it('builds the Telegram payload of the e2e test', () => {
    const f: FormState = { ...emptyForm('telegram'), name: ' tg-bot ', fields: { baseUrl: 'http://127.0.0.1:9/' }, secrets: { token: '123:abc' } };
    expect(validate(f)).toEqual({});
    expect(buildInput(f)).toEqual({
      name: 'tg-bot', channel: 'telegram', brand: '', handle: '',
      settings: '{"baseUrl":"http://127.0.0.1:9/"}', secrets: { token: '123:abc' },
    });
  });

  it('round-trips a stored account and keeps settings the form does not show', () => {
    const st: AccountStatus = {
      account: { id: 1, channel: 'vk', name: 'vk-acme', brand: 'Acme', handle: 'club1', createdAt: '' },
      settings: { groupId: 42, baseUrl: 'http://127.0.0.1:8080' },
      sync: { cursor: '', syncedAt: null, fetched: 0, skipped: 0, lastError: '' },
      state: 'active',
      retry: { failures: 0, nextAttempt: null, lastError: '' },
      secrets: [],
      limits: { maxTextLength: 0, deleteWindowMs: 0, notes: [] },
    };
    const f = formFromStatus(st);
    expect(f.existing).toBe(true);
    expect(f.fields.groupId).toBe('42');
    expect(f.secrets).toEqual({});
    const input = buildInput(f);
    expect(JSON.parse(input.settings)).toEqual({ groupId: 42, baseUrl: 'http://127.0.0.1:8080' });
    expect(input.secrets).toEqual({});
  });

  it('switching channel keeps the common fields and resets the channel fields', () => {
    const f = changeChannel({ ...mail(), handle: '@acme' }, 'youtube');
    expect(f).toMatchObject({ channel: 'youtube', name: 'acme-mail', brand: 'Acme', handle: '@acme', secrets: {} });
    expect(f.fields).toEqual({ channelId: '' });
  });
});

describe('a stored account pointed at another server', () => {
  function stored(channel: AccountStatus['account']['channel'], settings: Record<string, unknown>): FormState {
    return formFromStatus({
      account: { id: 1, channel, name: 'acme', brand: 'Acme', handle: '', createdAt: '' },
      settings,
      sync: { cursor: '', syncedAt: null, fetched: 0, skipped: 0, lastError: '' },
      state: 'active',
      retry: { failures: 0, nextAttempt: null, lastError: '' },
      secrets: [],
      limits: { maxTextLength: 0, deleteWindowMs: 0, notes: [] },
    });
  }
  const mailSettings = {
    host: 'imap.acme.test', port: 993, tls: 'imaps', username: 'support', from: 's@acme.test',
    smtpHost: 'smtp.acme.test', smtpPort: 465, smtpTls: 'tls',
  };

  it.each([
    ['the same instance', 'https://social.acme.test', false],
    ['another spelling of it', 'HTTPS://Social.Acme.test:443/', false],
    ['another host', 'https://evil.test', true],
    ['another port', 'https://social.acme.test:8443', true],
    ['plain http', 'http://social.acme.test', true],
  ])('mastodon base URL %s: token required again = %s', (_, baseUrl, moved) => {
    const f = stored('mastodon', { baseUrl: 'https://social.acme.test' });
    f.fields.baseUrl = baseUrl;
    expect(serverChanged(f)).toBe(moved);
    expect(validate(f)['secret.token']).toBe(moved ? 'form.secretAgain' : undefined);
    f.secrets.token = 'new-token';
    expect(validate(f)).toEqual({});
    expect(buildInput(f).secrets).toEqual({ token: 'new-token' });
  });

  it.each([
    ['user name', 'username', 'help', false],
    ['IMAP host', 'host', 'imap.evil.test', true],
    ['IMAP port', 'port', '1993', true],
    ['SMTP host', 'smtpHost', 'smtp.evil.test', true],
    ['SMTP port', 'smtpPort', '587', true],
  ])('mail %s changed: password required again = %s', (_, key, value, moved) => {
    const f = stored('mail', mailSettings);
    expect(validate(f)).toEqual({});
    f.fields[key] = value;
    const e = validate(f);
    expect(e['secret.password']).toBe(moved ? 'form.secretAgain' : undefined);
    expect(e['secret.smtp-password']).toBeUndefined();
  });

  it('a new account has no stored server and needs its secrets anyway', () => {
    const f = { ...emptyForm('mastodon'), name: 'new', fields: { baseUrl: 'https://x.test', replyVisibility: '' } };
    expect(serverChanged(f)).toBe(false);
    expect(validate(f)['secret.token']).toBe('form.required');
  });

  it('names the same servers the Go side compares', () => {
    expect(destination('mail', mailSettings)).toBe('imap imap.acme.test:993 smtp smtp.acme.test:465');
    expect(destination('telegram', {})).toBe('api ');
    expect(destination('vk', { groupId: 1, baseUrl: 'http://127.0.0.1:8080/method/' })).toBe('api http://127.0.0.1:8080');
    // Reddit sends the password to the token host and the token to the API host: both count.
    expect(destination('reddit', { authUrl: 'https://WWW.reddit.com/', apiUrl: 'https://oauth.reddit.com' })).toBe(
      'auth https://www.reddit.com:443 api https://oauth.reddit.com:443',
    );
  });

  it('asks again for the Reddit password when the token host moves, not when the user agent changes', () => {
    const settings = { username: 'acme', clientId: 'app', userAgent: 'desktop:x:1.0 (by /u/acme)', authUrl: 'https://www.reddit.com', apiUrl: 'https://oauth.reddit.com' };
    const f = stored('reddit', settings);
    f.fields.userAgent = 'desktop:x:1.1 (by /u/acme)';
    expect(serverChanged(f)).toBe(false);
    f.extra.authUrl = 'https://evil.test';
    expect(serverChanged(f)).toBe(true);
    expect(validate(f)['secret.password']).toBe('form.secretAgain');
    expect(validate(f)['secret.client-secret']).toBe('form.secretAgain');
  });
});

describe('the Bluesky and Reddit forms', () => {
  it('require the handle and app password for Bluesky; the PDS address is optional', () => {
    const f = { ...emptyForm('bluesky'), name: 'acme-bluesky' };
    expect(validate(f)).toEqual({ 'field.identifier': 'form.required', 'secret.app-password': 'form.required' });
    f.fields.identifier = 'acme.bsky.social';
    f.fields.baseUrl = 'not a url';
    f.secrets['app-password'] = 'abcd-efgh-ijkl-mnop';
    expect(validate(f)).toEqual({ 'field.baseUrl': 'form.url' });
    f.fields.baseUrl = '';
    const input = buildInput(f);
    expect(JSON.parse(input.settings)).toEqual({ identifier: 'acme.bsky.social' });
    expect(input.secrets).toEqual({ 'app-password': 'abcd-efgh-ijkl-mnop' });
  });

  it('require the username, client id, user agent and both Reddit secrets', () => {
    const f = { ...emptyForm('reddit'), name: 'acme-reddit' };
    expect(Object.keys(validate(f)).sort()).toEqual(
      ['field.clientId', 'field.userAgent', 'field.username', 'secret.client-secret', 'secret.password'].sort(),
    );
    Object.assign(f.fields, { username: 'AcmeAir', clientId: 'app', userAgent: 'desktop:com.acme:1.0 (by /u/AcmeAir)' });
    f.secrets = { 'client-secret': 's', password: 'p' };
    expect(validate(f)).toEqual({});
    expect(JSON.parse(buildInput(f).settings)).toEqual({ username: 'AcmeAir', clientId: 'app', userAgent: 'desktop:com.acme:1.0 (by /u/AcmeAir)' });
  });
});

describe('nextAttemptText', () => {
  const now = Date.parse('2026-06-01T10:00:00Z');
  it('says nothing while sync is not backing off', () => {
    expect(nextAttemptText({ failures: 0, nextAttempt: null, lastError: '' }, now, 'en')).toBe('');
  });
  it('gives the scheduler’s own time of the next attempt, to the second, and how far off it is', () => {
    const at = '2026-06-01T10:00:40Z';
    const time = new Intl.DateTimeFormat('en', { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(new Date(at));
    expect(nextAttemptText({ failures: 1, nextAttempt: at, lastError: 'x' }, now, 'en')).toBe(`Sync failed; next attempt at ${time} (in 40 seconds).`);
    expect(nextAttemptText({ failures: 3, nextAttempt: '2026-06-01T10:05:00Z', lastError: 'x' }, now, 'en')).toMatch(/^Sync failed 3 times in a row; next attempt at .* \(in 5 minutes\)\.$/);
    expect(nextAttemptText({ failures: 5, nextAttempt: '2026-06-01T10:05:00Z', lastError: 'x' }, now, 'ru')).toMatch(/^Синхронизация не удалась 5 раз подряд; следующая попытка в .* \(через 5 минут\)\.$/);
    expect(nextAttemptText({ failures: 2, nextAttempt: '2026-06-01T10:05:00Z', lastError: 'x' }, now, 'de')).toMatch(/^Synchronisierung 2-mal in Folge fehlgeschlagen; nächster Versuch um .* \(in 5 Minuten\)\.$/);
  });
  it('says it is trying now once the time has come or a run is under way', () => {
    expect(nextAttemptText({ failures: 2, nextAttempt: '2026-06-01T09:59:59Z', lastError: 'x' }, now, 'en')).toBe('Sync failed; trying again now.');
    expect(nextAttemptText({ failures: 2, nextAttempt: null, lastError: 'x' }, now, 'en')).toBe('Sync failed; trying again now.');
  });
});
