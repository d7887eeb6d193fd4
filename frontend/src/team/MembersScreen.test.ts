import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render } from '@testing-library/svelte';
import { setLang } from '../lib/i18n';
import MembersScreen from './MembersScreen.svelte';

// A team as TeamService keeps it, behind the generated bindings; the api module
// (lib/api/team.ts) and the error wording are the real ones.
type M = { name: string; role: string; disabled: boolean; passwordSet: boolean; lastSeen: string | null; me: boolean };
type I = { id: number; role: string; name: string; createdBy: string; createdAt: string; expiresAt: string; usedBy: string; usedAt: string | null; state: string };
const team = vi.hoisted(() => ({ members: [] as M[], invites: [] as I[], next: 1 }));
const coded = (code: string, params: Record<string, string>) => `stormdesk-error:${JSON.stringify({ code, params, detail: 'from Go' })}`;

vi.mock('../../wailsjs/go/main/TeamService', () => ({
  Members: async () => team.members.map((m) => ({ ...m })),
  Invites: async () => team.invites.map((i) => ({ ...i })),
  Invite: async (role: string, name: string, hours: number) => {
    const id = team.next++;
    const expiresAt = new Date(Date.UTC(2026, 11, 3) + hours * 3600e3).toISOString();
    team.invites.unshift({ id, role, name, createdBy: 'Ada', createdAt: '2026-12-03T00:00:00Z', expiresAt, usedBy: '', usedAt: null, state: 'open' });
    return { id, code: `abcde-fghij-${id}`, link: `https://team.example/join?code=abcde-fghij-${id}`, expiresAt };
  },
  RevokeInvite: async (id: number) => {
    const i = team.invites.find((x) => x.id === id);
    if (i) i.state = 'revoked';
  },
  SetRole: async (name: string, role: string) => {
    const admins = team.members.filter((m) => m.role === 'admin' && !m.disabled);
    if (role !== 'admin' && admins.length === 1 && admins[0].name === name) throw coded('not-allowed', { rule: 'last-admin' });
    team.members.find((m) => m.name === name)!.role = role;
  },
  SetDisabled: async (name: string, disabled: boolean) => {
    team.members.find((m) => m.name === name)!.disabled = disabled;
  },
}));

beforeEach(() => {
  setLang('en');
  team.members = [
    { name: 'Ada', role: 'admin', disabled: false, passwordSet: false, lastSeen: '2026-12-03T06:00:00Z', me: true },
    { name: 'Ann', role: 'agent', disabled: false, passwordSet: true, lastSeen: null, me: false },
  ];
  team.invites = [];
  team.next = 1;
});

describe('MembersScreen', () => {
  it('shows nothing on the desktop alone or to a member who is not an admin', async () => {
    team.members = [];
    const alone = render(MembersScreen);
    await vi.waitFor(() => expect(alone.container.querySelector('[data-role="members"]')).toBeNull());
    alone.unmount();
    team.members = [{ name: 'Ann', role: 'agent', disabled: false, passwordSet: false, lastSeen: null, me: true }];
    const agent = render(MembersScreen);
    await new Promise((r) => setTimeout(r, 0));
    expect(agent.container.querySelector('[data-role="members"]')).toBeNull();
  });

  it('lists members, invites once with code and link, and revokes', async () => {
    const { container, findByText } = render(MembersScreen);
    await findByText('Members');
    expect([...container.querySelectorAll('[data-member]')].map((r) => r.getAttribute('data-member'))).toEqual(['Ada', 'Ann']);
    expect(container.querySelector('[data-member="Ann"]')!.textContent).toContain('never');

    await fireEvent.change(container.querySelector<HTMLSelectElement>('select[name="role"]')!, { target: { value: 'approver' } });
    await fireEvent.input(container.querySelector<HTMLInputElement>('input[name="name"]')!, { target: { value: 'Pete Lee' } });
    await fireEvent.submit(container.querySelector('form')!);
    await vi.waitFor(() => expect(container.querySelector('[data-role="invite-code"]')?.textContent).toBe('abcde-fghij-1'));
    expect(container.querySelector('[data-role="invite-link"]')!.textContent).toBe('https://team.example/join?code=abcde-fghij-1');
    expect(team.invites[0]).toMatchObject({ role: 'approver', name: 'Pete Lee' });
    const row = await vi.waitFor(() => {
      const r = container.querySelector('[data-invite="1"]');
      if (!r) throw new Error('no invitation row yet');
      return r;
    });
    expect(row.textContent).toContain('Approver');
    expect(row.textContent).toContain('Pete Lee');

    await fireEvent.click(row.querySelector('[data-action="revoke-invite"]')!);
    await vi.waitFor(() => expect(container.querySelector('[data-invite="1"]')!.getAttribute('data-state')).toBe('revoked'));
    expect(container.querySelector('[data-invite="1"] [data-action="revoke-invite"]')).toBeNull();
  });

  it('changes roles and disables, and shows the server’s refusal of the last admin', async () => {
    const { container, findByText } = render(MembersScreen);
    await findByText('Members');
    await fireEvent.click(container.querySelector('[data-member="Ann"] [data-action="disable-member"]')!);
    await vi.waitFor(() => expect(container.querySelector('[data-member="Ann"]')!.getAttribute('data-disabled')).toBe('true'));
    expect(team.members[1].disabled).toBe(true);

    const adaRole = container.querySelector<HTMLSelectElement>('[data-member="Ada"] select')!;
    await fireEvent.change(adaRole, { target: { value: 'agent' } });
    await vi.waitFor(() =>
      expect(container.querySelector('[data-role="members-error"]')?.textContent).toContain('The team’s only enabled admin must stay an enabled admin.'),
    );
    expect(team.members[0].role).toBe('admin');
  });
});
