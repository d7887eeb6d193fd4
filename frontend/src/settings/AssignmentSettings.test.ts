import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { tick } from 'svelte';

const presenceApi = vi.hoisted(() => ({
  assignmentSettings: vi.fn(async () => ({ roundRobin: false, cap: 0 })),
  saveAssignmentSettings: vi.fn(async (_a: { roundRobin: boolean; cap: number }) => {}),
}));
vi.mock('../lib/api/presence', () => presenceApi);

import { approvals } from '../lib/approvals.svelte';
import AssignmentSettings from './AssignmentSettings.svelte';

const policy = (mode: string) => ({ mode, me: { name: 'Ada', role: 'approver' }, checklist: [] }) as unknown as typeof approvals.policy;

describe('AssignmentSettings', () => {
  beforeEach(() => {
    presenceApi.saveAssignmentSettings.mockClear();
  });

  it('is not shown in the single-person app', async () => {
    approvals.policy = policy('single');
    render(AssignmentSettings);
    await tick();
    expect(screen.queryByRole('heading', { name: 'Assignment' })).toBeNull();
  });

  it('saves round-robin with a cap on the team server', async () => {
    approvals.policy = policy('team');
    render(AssignmentSettings);
    const box = (await screen.findByRole('checkbox')) as HTMLInputElement;
    expect(box.checked).toBe(false);
    await fireEvent.click(box);
    const cap = screen.getByRole('spinbutton');
    await fireEvent.input(cap, { target: { value: '5' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save assignment' }));
    expect(presenceApi.saveAssignmentSettings).toHaveBeenCalledWith({ roundRobin: true, cap: 5 });
    expect((await screen.findByRole('status')).textContent).toContain('Saved');
  });

  it("shows the server's refusal to a member who is not an admin", async () => {
    approvals.policy = policy('team');
    presenceApi.saveAssignmentSettings.mockRejectedValueOnce('role-required: nope');
    render(AssignmentSettings);
    await fireEvent.click(await screen.findByRole('button', { name: 'Save assignment' }));
    expect(await screen.findByRole('alert')).toBeTruthy();
  });
});
