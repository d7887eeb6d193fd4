import { afterEach, describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import { describe as describeError, describeText, ERROR_CODES, ERROR_MARKER, parseCoded, sentence } from './errors';
import { dictionaries, LANGS, setLang, translate, type Key } from './i18n';
import { toApiError } from './api';
import ErrorDetails from '../ui/ErrorDetails.svelte';
import ErrorBanner from '../ui/ErrorBanner.svelte';
import { inbox } from './stores.svelte';
import { flushSync } from 'svelte';

// What Go's apperr.Encode returns for a demo account's failed send.
const demo = `${ERROR_MARKER}{"code":"demo-account","params":{"account":"aurora-air-mail"},"detail":"no connector for account 4: account aurora-air-mail is demo data"}`;

afterEach(() => {
  setLang('en');
  inbox.errors = [];
});

describe('error codes from Go', () => {
  it('the list generated from backend/apperr is not empty', () => {
    expect(ERROR_CODES).toContain('demo-account');
    expect(ERROR_CODES).toContain('internal');
  });

  for (const lang of LANGS) {
    it(`every code has a message and a next step in ${lang}`, () => {
      const dict = dictionaries[lang] as Record<string, unknown>;
      for (const code of ERROR_CODES) {
        for (const key of [`error.code.${code}`, `error.next.${code}`]) {
          const text = dict[key];
          expect(typeof text === 'string' && text.trim() !== '', `${lang}: ${key}`).toBe(true);
        }
      }
    });
  }
});

describe('a mail send with an unknown outcome', () => {
  // What Go's apperr.Encode gives the imap connector's error after a dropped SMTP connection.
  const mail = `${ERROR_MARKER}{"code":"outcome-unknown","params":{"platform":"mail"},"detail":"mail error 0: the outcome of this send is unknown (the mail server may have taken the reply but did not confirm it: unexpected EOF); check the recipient's mailbox and your Sent folder before sending again"}`;
  const want = {
    en: 'It is not known whether the reply was sent. Look in your Sent folder and the recipient’s mailbox before retrying, or the customer may get the reply twice.',
    ru: 'Неизвестно, был ли отправлен ответ. Прежде чем повторять, проверьте папку «Отправленные» и ящик получателя, иначе клиент может получить ответ дважды.',
    de: 'Es ist unklar, ob die Antwort gesendet wurde. Sehen Sie im Ordner „Gesendet“ und im Postfach des Empfängers nach, bevor Sie es erneut versuchen, sonst erhält der Kunde die Antwort womöglich doppelt.',
  } as const;
  for (const l of LANGS) {
    it(`says to check the Sent folder in ${l}, Go's English only under Details`, () => {
      const d = describeText(mail, l);
      expect(sentence(d)).toBe(want[l]);
      expect(d.detail).toContain('unexpected EOF');
    });
  }
  it('other platforms keep the general next step', () => {
    const other = mail.replace('"platform":"mail"', '"platform":"telegram"');
    expect(describeText(other, 'en').next).toBe('Check the conversation on the platform before retrying.');
  });
});

describe('parseCoded', () => {
  it('reads the marker and JSON, also after a prefix', () => {
    expect(parseCoded(demo)).toEqual({ code: 'demo-account', params: { account: 'aurora-air-mail' }, detail: 'no connector for account 4: account aurora-air-mail is demo data' });
    expect(parseCoded(`reply failed: ${demo}`)?.code).toBe('demo-account');
  });

  it('leaves plain and broken text alone', () => {
    expect(parseCoded('no connector for account 3: token missing')).toBeNull();
    expect(parseCoded(`${ERROR_MARKER}{not json`)).toBeNull();
    expect(parseCoded(`${ERROR_MARKER}{"params":{}}`)).toBeNull();
    expect(parseCoded(`${ERROR_MARKER}{"code":"x","params":{"n":3,"s":"ok"}}`)).toEqual({ code: 'x', params: { s: 'ok' }, detail: '' });
  });
});

describe('describe', () => {
  it('words a demo account in three languages with the next step', () => {
    const coded = parseCoded(demo)!;
    expect(sentence(describeError(coded, 'en'))).toBe('aurora-air-mail is a demo account. Demo accounts cannot send. Connect an account in Settings.');
    expect(sentence(describeError(coded, 'ru'))).toBe('aurora-air-mail — демо-аккаунт. Демо-аккаунты не могут отправлять сообщения. Подключите аккаунт в настройках.');
    expect(sentence(describeError(coded, 'de'))).toBe('aurora-air-mail ist ein Demo-Konto. Demo-Konten können nicht senden. Verbinden Sie ein Konto in den Einstellungen.');
    expect(describeError(coded, 'ru').detail).toBe(coded.detail);
    // Without the account's name it still says the rule and the next step.
    expect(sentence(describeError({ ...coded, params: {} }, 'en'))).toBe('Demo accounts cannot send. Connect an account in Settings.');
  });

  it('explains a named approval rule, and falls back to the code without one', () => {
    const rule = { code: 'not-allowed', params: { rule: 'second-person' }, detail: 'approve reply r1: not allowed' };
    expect(describeError(rule, 'de').text).toBe(translate('de', 'error.rule.second-person' as Key));
    expect(describeError({ ...rule, params: { rule: 'no-such-rule' } }, 'en').text).toBe('This action is not allowed.');
  });

  it('says when a Messenger or Instagram window closed, in the reader’s language', () => {
    const closed = { code: 'not-allowed', params: { rule: 'messaging-window', closedAt: '2026-05-30T09:00:00Z' }, detail: 'facebook: the messaging window closed' };
    for (const l of LANGS) {
      const d = describeError(closed, l);
      expect(d.text).not.toContain('{closedAt}');
      expect(d.text).toMatch(/2026|30/);
      expect(d.next).toBe(translate(l, 'error.ruleNext.messaging-window' as Key));
    }
  });

  it('says when to retry a rate limit, and reads an unknown code as internal', () => {
    const rl = describeError({ code: 'rate-limited', params: { retryAfter: '90', retryAt: '2026-06-01T12:01:30Z' }, detail: '' }, 'en');
    expect(rl.next).toMatch(/^Try again after .+\.$/);
    expect(describeError({ code: 'rate-limited', params: {}, detail: '' }, 'ru').next).toBe('Повторите через несколько минут.');
    expect(describeError({ code: 'from-a-newer-build', params: {}, detail: 'x' }, 'en').text).toBe('x');
    expect(describeError({ code: 'from-a-newer-build', params: {}, detail: '' }, 'en').text).toBe('Something went wrong inside Stormdesk.');
  });

  it('shows an internal error as Go’s own text, not a generic line, and without a repeated fold', () => {
    const d = describeError({ code: 'internal', params: {}, detail: 'tag "x": name is too long' }, 'ru');
    expect(d).toEqual({ text: 'tag "x": name is too long', next: '', detail: '' });
    expect(sentence(describeError({ code: 'internal', params: {}, detail: ' ' }, 'de'))).toBe(
      'In Stormdesk ist ein Fehler aufgetreten. Versuchen Sie es erneut; wenn es wieder passiert, senden Sie die Details an den Support.',
    );
  });

  it('words the codes of a starting app, a changed conversation and a missing keyring', () => {
    expect(sentence(describeError({ code: 'starting', params: { what: 'database' }, detail: 'the database is still opening' }, 'ru'))).toBe(
      'Stormdesk ещё запускается. Подождите немного и повторите.',
    );
    expect(describeError({ code: 'changed-since-approval', params: {}, detail: '' }, 'en').next).toBe('Read them, review the reply, then retry.');
    expect(describeError({ code: 'keyring-unavailable', params: {}, detail: 'dbus' }, 'de').text).toContain('Schlüsselbund');
  });

  it('keeps plain text as it is', () => {
    expect(describeText('smtp: 550 mailbox full')).toEqual({ text: 'smtp: 550 mailbox full', next: '', detail: '' });
  });
});

describe('toApiError', () => {
  it('turns an encoded rejection into a coded ApiError in the current language', () => {
    setLang('ru');
    const e = toApiError('ComposeService.Step', demo);
    expect(e.code).toBe('demo-account');
    expect(e.params).toEqual({ account: 'aurora-air-mail' });
    expect(e.detail).toContain('no connector for account 4');
    expect(e.message).toBe('aurora-air-mail — демо-аккаунт. Демо-аккаунты не могут отправлять сообщения. Подключите аккаунт в настройках.');
  });

  it('gives an internal error Go’s text as its message, so screens keep showing the reason', () => {
    setLang('ru');
    const e = toApiError('InboxService.Tag', `${ERROR_MARKER}{"code":"internal","params":{},"detail":"store: tag: name is too long"}`);
    expect(e.code).toBe('internal');
    expect(e.message).toBe('store: tag: name is too long');
    expect(e.detail).toBe('store: tag: name is too long');
  });

  it('keeps an old error without a marker as today', () => {
    const e = toApiError('InboxService.Get', 'store: conversation 9: not found');
    expect(e.code).toBe('');
    expect(e.message).toBe('store: conversation 9: not found');
    expect(e.detail).toBe(e.message);
  });
});

describe('ErrorDetails', () => {
  it('folds the technical text under Details, closed', () => {
    setLang('de');
    render(ErrorDetails, { message: 'Demo-Konten können nicht senden.', detail: 'keyring read: secret not found' });
    expect(screen.getByText('Demo-Konten können nicht senden.')).toBeTruthy();
    const fold = document.querySelector('details[data-role=error-details]') as HTMLDetailsElement;
    expect(fold.open).toBe(false);
    expect(fold.querySelector('summary')!.textContent).toBe('Details');
    expect(fold.querySelector('code')!.textContent).toBe('keyring read: secret not found');
  });

  it('shows no fold for a plain message', () => {
    render(ErrorDetails, { message: 'smtp: 550 mailbox full' });
    expect(document.querySelector('details')).toBeNull();
  });
});

describe('ErrorBanner', () => {
  it('shows a coded error in the current language, follows a switch, and folds Go’s text', () => {
    inbox.errors = [{ id: 1, error: toApiError('ComposeService.Step', demo) }];
    render(ErrorBanner);
    const banner = document.querySelector('.banner')!;
    expect(banner.textContent).toContain('aurora-air-mail is a demo account. Demo accounts cannot send. Connect an account in Settings.');
    expect(banner.querySelector('details code')!.textContent).toContain('no connector for account 4');
    setLang('ru');
    flushSync();
    expect(banner.textContent).toContain('Демо-аккаунты не могут отправлять сообщения.');
    expect(banner.querySelector('details summary')!.textContent).toBe('Подробности');
  });

  it('shows an internal error as its text, with no fold repeating it', () => {
    inbox.errors = [{ id: 3, error: toApiError('InboxService.Get', `${ERROR_MARKER}{"code":"internal","params":{},"detail":"sqlite: disk I/O error"}`) }];
    render(ErrorBanner);
    expect(document.querySelector('.banner')!.textContent).toContain('sqlite: disk I/O error');
    expect(document.querySelector('.banner')!.textContent).not.toContain('Something went wrong');
    expect(document.querySelector('.banner details')).toBeNull();
  });

  it('shows an old error without a marker as its text, with no fold', () => {
    inbox.errors = [{ id: 2, error: toApiError('InboxService.Get', 'store: conversation 9: not found') }];
    render(ErrorBanner);
    expect(document.querySelector('.banner')!.textContent).toContain('store: conversation 9: not found');
    expect(document.querySelector('.banner details')).toBeNull();
  });
});
