import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render } from '@testing-library/svelte';
import { setLang } from '../lib/i18n';
import SLAPolicyEditor from './SLAPolicyEditor.svelte';

// Go's SLAService, with the stored set kept as text like the store keeps it.
const sla = vi.hoisted(() => {
  const state = { stored: '' };
  return {
    state,
    Policies: vi.fn(async () => state.stored),
    SavePolicies: vi.fn(async (json: string) => {
      state.stored = json;
    }),
  };
});
vi.mock('../../wailsjs/go/main/SLAService', () => sla);

const set = {
  policies: [
    {
      name: 'public',
      targets: { firstResponse: '1h0m0s', nextResponse: '2h0m0s', resolution: '24h0m0s' },
      hours: { timeZone: 'UTC', week: [{ day: 'mon', start: '08:00', end: '22:00' }] },
    },
    { name: 'mail', targets: { firstResponse: '8h0m0s', nextResponse: '8h0m0s', resolution: '40h0m0s' }, hours: { timeZone: 'UTC', always: true } },
  ],
  rules: [{ policy: 'public', kinds: ['comment'] }],
  default: 'mail',
  historyHorizon: '168h0m0s',
};

async function open() {
  const r = render(SLAPolicyEditor);
  await vi.waitFor(() => expect(r.container.querySelector('form.sla-form')).not.toBeNull());
  const input = (id: string) => r.container.querySelector<HTMLInputElement>(`#${id}`)!;
  const submit = () => fireEvent.submit(r.container.querySelector('form.sla-form')!);
  return { ...r, input, submit };
}

describe('SLAPolicyEditor', () => {
  beforeEach(() => {
    setLang('en');
    sla.state.stored = JSON.stringify(set, null, 2);
    sla.SavePolicies.mockClear();
  });

  it('shows Go’s policies as fields and saves an edited target as a policy set Go reads', async () => {
    const { input, submit, getByRole, container } = await open();
    expect([...container.querySelectorAll('[data-policy-tab]')].map((b) => b.getAttribute('data-policy-tab'))).toEqual(['public', 'mail']);
    expect(input('sla-0-firstResponse-h').value).toBe('1');
    expect(input('sla-0-firstResponse-m').value).toBe('0');
    expect(input('sla-horizon').value).toBe('7');
    expect(container.querySelector('tr[data-day="mon"]')!.textContent).toContain('Monday');

    await fireEvent.input(input('sla-0-firstResponse-m'), { target: { value: '45' } });
    await submit();
    await vi.waitFor(() => expect(sla.SavePolicies).toHaveBeenCalledTimes(1));
    const sent = JSON.parse(sla.SavePolicies.mock.calls[0]![0] as string);
    expect(sent.policies[0].targets.firstResponse).toBe('1h45m');
    expect(sent.policies[0].hours).toEqual({ timeZone: 'UTC', week: [{ day: 'mon', start: '08:00', end: '22:00' }] });
    expect(sent.rules).toEqual(set.rules);
    expect(sent.default).toBe('mail');
    await vi.waitFor(() => expect(getByRole('status').textContent).toContain('Policies saved'));
  });

  it('keeps a set with mistakes in the form, says what is wrong and moves focus to it', async () => {
    const { input, submit, container } = await open();
    await fireEvent.input(input('sla-0-tz'), { target: { value: 'Mars/Olympus_Mons' } });
    await submit();
    const box = container.querySelector('[data-testid="sla-form-errors"]')!;
    expect(box.getAttribute('role')).toBe('alert');
    expect(box.textContent).toContain('Fix 1 problem before saving');
    expect(box.textContent).toContain('“Mars/Olympus_Mons” is not a known time zone');
    expect(input('sla-0-tz').getAttribute('aria-invalid')).toBe('true');
    expect(input('sla-0-tz').getAttribute('aria-describedby')).toBe('sla-0-tz-err');
    await vi.waitFor(() => expect(document.activeElement).toBe(input('sla-0-tz')));
    expect(sla.SavePolicies).not.toHaveBeenCalled();

    // Fixed: the message goes as the user types, and the set is saved.
    await fireEvent.input(input('sla-0-tz'), { target: { value: 'Europe/Berlin' } });
    expect(container.querySelector('[data-testid="sla-form-errors"]')).toBeNull();
    await submit();
    await vi.waitFor(() => expect(sla.SavePolicies).toHaveBeenCalledTimes(1));
  });

  it('edits business hours, holidays and the crisis default, in Russian', async () => {
    setLang('ru');
    const { input, submit, getByRole, getByLabelText, container } = await open();
    await fireEvent.click(getByRole('button', { name: 'Добавить часы: вторник' }));
    expect(input('sla-0-tue-0-start').value).toBe('09:00');
    await fireEvent.input(input('sla-0-tue-0-end'), { target: { value: '08:00' } });
    await fireEvent.click(container.querySelector('[data-action="add-holiday"]')!);
    await fireEvent.input(input('sla-0-holiday-0'), { target: { value: '07.01.2027' } });
    const crisis = getByLabelText('По умолчанию в кризисном режиме') as HTMLSelectElement;
    await fireEvent.change(crisis, { target: { value: 'public' } });
    await submit();
    expect(container.querySelector('[data-testid="sla-form-errors"]')!.textContent).toContain('Заканчивается раньше, чем начинается.');
    expect(sla.SavePolicies).not.toHaveBeenCalled();

    await fireEvent.input(input('sla-0-tue-0-end'), { target: { value: '24:00' } });
    await submit();
    await vi.waitFor(() => expect(sla.SavePolicies).toHaveBeenCalledTimes(1));
    const sent = JSON.parse(sla.SavePolicies.mock.calls[0]![0] as string);
    expect(sent.policies[0].hours.week).toEqual([
      { day: 'mon', start: '08:00', end: '22:00' },
      { day: 'tue', start: '09:00', end: '24:00' },
    ]);
    expect(sent.policies[0].hours.holidays).toEqual([{ date: '2027-01-07' }]);
    expect(sent.crisisDefault).toBe('public');
    setLang('en');
  });

  it('a renamed policy takes its rules and the default with it', async () => {
    const { input, submit, container } = await open();
    await fireEvent.click(container.querySelector('[data-policy-tab="mail"]')!);
    const name = input('sla-1-name');
    await fireEvent.focus(name);
    await fireEvent.input(name, { target: { value: 'email' } });
    await fireEvent.change(name);
    await submit();
    await vi.waitFor(() => expect(sla.SavePolicies).toHaveBeenCalledTimes(1));
    const sent = JSON.parse(sla.SavePolicies.mock.calls[0]![0] as string);
    expect(sent.policies.map((p: { name: string }) => p.name)).toEqual(['public', 'email']);
    expect(sent.default).toBe('email');
  });

  it('will not delete a policy a rule uses, and says why', async () => {
    const { container, getByRole } = await open();
    await fireEvent.click(container.querySelector('[data-action="remove-policy"]')!);
    expect(getByRole('status').textContent).toContain('A rule or a default uses “public”');
    expect(container.querySelectorAll('[data-policy-tab]')).toHaveLength(2);
  });

  it('lists Go’s own lines when Go rejects the set', async () => {
    sla.SavePolicies.mockRejectedValueOnce('store: save SLA policies: sla: invalid policies: policy "public": something Go checks\nsecond line');
    const { submit, container } = await open();
    await submit();
    await vi.waitFor(() => expect(container.querySelector('[data-testid="sla-errors"]')).not.toBeNull());
    const lines = [...container.querySelectorAll('[data-testid="sla-errors"] li')].map((li) => li.textContent);
    expect(lines[lines.length - 1]).toBe('second line');
  });
});
