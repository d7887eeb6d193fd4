import { describe, expect, it } from 'vitest';
import { render } from '@testing-library/svelte';
import { badgeState, errorLines, parseGoDuration, summarizePolicies } from './sla';
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

describe('summarizePolicies', () => {
  const set = {
    policies: [
      {
        name: 'public',
        targets: { firstResponse: '1h0m0s', nextResponse: '2h0m0s', resolution: '24h0m0s' },
        hours: { timeZone: 'Europe/Berlin', always: true },
      },
      {
        name: 'mail',
        targets: { firstResponse: '8h0m0s', nextResponse: '0s', resolution: 259200 },
        hours: { timeZone: 'America/New_York', week: [{ day: 'mon', start: '09:00', end: '12:00' }, { day: 'mon', start: '13:00', end: '18:00' }] },
      },
    ],
    rules: [{ policy: 'public', kinds: ['comment'] }],
    default: 'mail',
    crisisRules: [],
    crisisDefault: 'public',
  };

  it('lists names, the three targets and the hours with their time zone', () => {
    setLang('en');
    const s = summarizePolicies(JSON.stringify(set));
    expect(s.error).toBe('');
    expect(s.policies).toEqual([
      { name: 'public', firstResponse: '1h', nextResponse: '2h', resolution: '1d', hours: '24/7 (Europe/Berlin)' },
      { name: 'mail', firstResponse: '8h', nextResponse: 'no target', resolution: '3d', hours: 'business hours, 2 shifts (America/New_York)' },
    ]);
    expect(s).toMatchObject({ defaultPolicy: 'mail', crisisDefault: 'public', rules: 1, crisisRules: 0 });
  });

  it('is translated', () => {
    setLang('ru');
    const s = summarizePolicies(JSON.stringify(set));
    expect(s.policies[0]!.hours).toBe('круглосуточно (Europe/Berlin)');
    expect(s.policies[1]!.nextResponse).toBe('без цели');
    setLang('en');
  });

  it('reports unreadable JSON instead of throwing', () => {
    expect(summarizePolicies('{"policies": [').error).not.toBe('');
    expect(summarizePolicies('[1,2]').error).toBe('the policy set must be a JSON object');
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
