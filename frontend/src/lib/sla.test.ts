import { describe, expect, it } from 'vitest';
import { render } from '@testing-library/svelte';
import { badgeState, errorLines, fieldId, formFromSet, formToSet, parseGoDuration, validatePolicyForm } from './sla';
import { setLang } from './i18n';
import SlaBadge from '../ui/SlaBadge.svelte';

const now = Date.parse('2025-03-10T12:00:00Z');
const at = (mins: number) => new Date(now + mins * 60000).toISOString();

describe('badgeState', () => {
  it.each([
    ['no deadline', '', null, null, 'none'],
    ['state none', 'none', at(30), at(10), 'none'],
    ['bad date', '', 'not a date', null, 'none'],
    ['paused wins over an old deadline', 'paused', at(-30), null, 'paused'],
    ['ok before warnAt', 'ok', at(60), at(30), 'ok'],
    ['warning once warnAt passed, before Go recomputed', 'ok', at(60), at(-1), 'warning'],
    ['Go says warning', 'warning', at(60), at(-10), 'warning'],
    ['breached once the deadline passed', 'warning', at(-1), at(-20), 'breached'],
    ['a reply at the deadline is still within it', 'warning', at(0), at(-20), 'warning'],
    ['Go says breached', 'breached', at(5), at(-20), 'breached'],
    ['breached without a deadline (e.g. a stored breach)', 'breached', null, null, 'breached'],
    ['never computed: amber under an hour', '', at(20), null, 'warning'],
    ['never computed: ok beyond an hour', '', at(180), null, 'ok'],
    ['historical: no clock, whatever an old row holds', 'historical', at(-60 * 24 * 4298), null, 'historical'],
  ] as const)('%s', (_name, state, due, warn, want) => {
    expect(badgeState(state, due, warn, now)).toBe(want);
  });
});

describe('SlaBadge', () => {
  it('colours by state with a countdown and names the policy in the tooltip', () => {
    setLang('en');
    const cases = [
      { state: 'breached', due: at(-75), warnAt: at(-100), cls: 'sla-breached', text: 'Overdue 1h 15m' },
      { state: 'warning', due: at(20), warnAt: at(-5), cls: 'sla-warning', text: '20m left' },
      { state: 'ok', due: at(300), warnAt: at(240), cls: 'sla-ok', text: '5h left' },
    ];
    for (const c of cases) {
      const r = render(SlaBadge, { due: c.due, warnAt: c.warnAt, state: c.state, policy: 'public-fast', now });
      const el = r.container.querySelector('[data-state]')!;
      expect(el.getAttribute('data-state')).toBe(c.state);
      expect(el.classList.contains(c.cls)).toBe(true);
      expect(el.textContent).toContain(c.text);
      expect(el.getAttribute('title')).toContain('Policy: public-fast');
      r.unmount();
    }
  });

  it('shows a grey pause with no countdown while waiting on the customer', () => {
    setLang('en');
    const { container } = render(SlaBadge, { due: null, state: 'paused', policy: 'mail', now });
    const el = container.querySelector('[data-state]')!;
    expect(el.getAttribute('data-state')).toBe('paused');
    expect(el.classList.contains('sla-paused')).toBe(true);
    expect(el.querySelector('svg.pause')).not.toBeNull();
    expect(el.textContent!.trim()).toBe('Paused');
    expect(el.getAttribute('title')).toContain('waiting on the customer');
  });

  it('never says "0m left" for a breach: crisis mode opened 28 minutes after the deadline', () => {
    setLang('en');
    // Go keeps a breached deadline at the breach; even a row whose deadline a
    // looser policy moved ahead must read as overdue, never as time left.
    for (const due of [at(-28), at(0), at(5)]) {
      const { container, unmount } = render(SlaBadge, { due, state: 'breached', policy: 'crisis-private', now });
      const el = container.querySelector('[data-state]')!;
      expect(el.getAttribute('data-state')).toBe('breached');
      expect(el.textContent).toContain('Overdue');
      expect(el.textContent).not.toContain('left');
      unmount();
    }
    const { container } = render(SlaBadge, { due: at(-28), state: 'breached', now });
    expect(container.textContent).toContain('Overdue 28m');
  });

  it('marks imported history as historical with no countdown', () => {
    for (const [l, word] of [['en', 'Historical'], ['ru', 'Архив'], ['de', 'Archiv']] as const) {
      setLang(l);
      const { container, unmount } = render(SlaBadge, { due: null, state: 'historical', now });
      const el = container.querySelector('[data-state]')!;
      expect(el.getAttribute('data-state')).toBe('historical');
      expect(el.textContent!.trim()).toBe(word);
      unmount();
    }
    setLang('en');
  });

  it('renders nothing without a deadline', () => {
    const { container } = render(SlaBadge, { due: null, now });
    expect(container.querySelector('[data-state]')).toBeNull();
  });

  it('follows the language', () => {
    setLang('de');
    const { container } = render(SlaBadge, { due: at(-30), state: 'breached', policy: 'p', now });
    expect(container.textContent).toContain('30 Min. überfällig');
    expect(container.querySelector('[data-state]')!.getAttribute('title')).toContain('SLA verletzt');
    setLang('en');
  });
});

describe('parseGoDuration', () => {
  it.each([
    ['1h30m', 90 * 60000],
    ['45m0s', 45 * 60000],
    ['24h0m0s', 24 * 3600000],
    ['1.5h', 90 * 60000],
    ['0s', 0],
    ['0', 0],
    [3600, 3600000],
    ['ten minutes', null],
    ['1h junk', null],
    ['', null],
    [null, null],
  ] as const)('%s', (v, want) => {
    expect(parseGoDuration(v)).toBe(want);
  });
});

describe('policy form model', () => {
  const set = {
    policies: [
      {
        name: 'public',
        targets: { firstResponse: '1h30m0s', nextResponse: '2h0m0s', resolution: '24h0m0s' },
        hours: { timeZone: 'Europe/Berlin', always: true, holidays: [{ date: '2026-12-25', name: 'Weihnachten' }] },
        warnShare: 0.5,
      },
      {
        name: 'mail',
        targets: { firstResponse: '8h0m0s', nextResponse: '0s', resolution: 259200 },
        hours: { timeZone: 'America/New_York', week: [{ day: 'mon', start: '09:00', end: '12:00' }, { day: 'mon', start: '13:00', end: '18:00' }] },
      },
    ],
    rules: [{ policy: 'public', kinds: ['comment'], channels: ['vk', 'mastodon'] }, { policy: 'public', vip: true, minReach: 100000, tags: ['press'] }],
    default: 'mail',
    crisisRules: [{ policy: 'public', kinds: ['comment'] }],
    crisisDefault: 'public',
    historyHorizon: '168h0m0s',
  };

  it('reads targets, hours, holidays, rules and the horizon, and writes what Go reads', () => {
    const f = formFromSet(set);
    expect(f.policies[0]!.targets.firstResponse).toEqual({ h: 1, m: 30 });
    expect(f.policies[1]!.targets.resolution).toEqual({ h: 72, m: 0 });
    expect(f.policies[0]!.warnPercent).toBe(50);
    expect(f.policies[1]!.warnPercent).toBeNull();
    expect(f.policies[1]!.week.mon).toEqual([{ start: '09:00', end: '12:00' }, { start: '13:00', end: '18:00' }]);
    expect(f.rules[1]!.tags).toBe('press');
    expect(f.horizonDays).toBe(7);
    const back = formToSet(f) as typeof set & { policies: Record<string, unknown>[] };
    expect(back.policies[0]).toEqual({
      name: 'public',
      targets: { firstResponse: '1h30m', nextResponse: '2h0m', resolution: '24h0m' },
      hours: { timeZone: 'Europe/Berlin', always: true, holidays: [{ date: '2026-12-25', name: 'Weihnachten' }] },
      warnShare: 0.5,
    });
    expect(back.policies[1]!.targets).toEqual({ firstResponse: '8h0m', nextResponse: '0s', resolution: '72h0m' });
    expect(back.rules).toEqual(set.rules);
    expect(back.crisisRules).toEqual(set.crisisRules);
    expect(back.crisisDefault).toBe('public');
    expect(back.historyHorizon).toBe('10080m');
    expect(parseGoDuration(back.historyHorizon)).toBe(7 * 86_400_000);
  });

  it('a set without a horizon shows the 7-day default', () => {
    expect(formFromSet({ ...set, historyHorizon: undefined }).horizonDays).toBe(7);
  });

  it('finds what a person gets wrong, keyed by the field, in their language', () => {
    setLang('en');
    const f = formFromSet(set);
    expect(validatePolicyForm(f)).toEqual({});
    f.policies[1]!.name = 'public';
    f.policies[0]!.targets.nextResponse.m = 75;
    f.policies[0]!.timeZone = 'Mars/Olympus_Mons';
    f.policies[0]!.warnPercent = 120;
    f.policies[1]!.week.mon[1]!.start = '11:00';
    f.policies[1]!.week.tue = [{ start: '18:00', end: '09:00' }];
    f.policies[0]!.holidays.push({ date: '', name: '' });
    f.rules[0]!.policy = 'gone';
    f.horizonDays = 0;
    const errs = validatePolicyForm(f);
    expect(errs).toEqual({
      [fieldId(1, 'name')]: 'Another policy is already called “public”.',
      [fieldId(0, 'nextResponse', 'm')]: 'Whole minutes from 0 to 59.',
      [fieldId(0, 'tz')]: '“Mars/Olympus_Mons” is not a known time zone; use a name such as Europe/Berlin.',
      [fieldId(0, 'warn')]: 'A share from 1 to 99 %, or empty for 80 %.',
      [fieldId(1, 'mon', 1, 'start')]: 'Overlaps the hours before it on the same day.',
      [fieldId(1, 'tue', 0, 'end')]: 'Ends before it starts.',
      [fieldId(0, 'holiday', 1)]: 'Type a date as YYYY-MM-DD.',
      [fieldId('rules', 0, 'policy')]: 'Choose a policy.',
      // "mail" was renamed away: the default names no policy any more.
      [fieldId('default')]: 'Choose the policy for conversations no rule matches.',
      [fieldId('horizon')]: 'At least 1 day.',
    });
    setLang('ru');
    expect(validatePolicyForm(f)[fieldId(1, 'tue', 0, 'end')]).toBe('Заканчивается раньше, чем начинается.');
    setLang('de');
    expect(validatePolicyForm(f)[fieldId('horizon')]).toBe('Mindestens 1 Tag.');
    setLang('en');
  });

  it('needs business hours unless the policy runs around the clock', () => {
    setLang('en');
    const f = formFromSet(set);
    f.policies[1]!.week.mon = [];
    expect(validatePolicyForm(f)[fieldId(1, 'week')]).toBe('No business hours: add hours on at least one day, or choose 24/7.');
    f.policies[1]!.always = true;
    expect(validatePolicyForm(f)).toEqual({});
  });
});

describe('errorLines', () => {
  it("keeps Go's lines, drops blank ones", () => {
    expect(errorLines('store: save SLA policies: sla: policy "x": unknown time zone "Mars/Base"\npolicy "y": empty range mon 10:00–10:00\n')).toEqual([
      'store: save SLA policies: sla: policy "x": unknown time zone "Mars/Base"',
      'policy "y": empty range mon 10:00–10:00',
    ]);
  });
});
