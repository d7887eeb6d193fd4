import { beforeAll, describe, expect, it } from 'vitest';
import * as api from '../lib/api';
import { installMock } from './mock';

// The dev mock stands in for every bound service in `vite dev`; this keeps it answering
// each call the UI makes with the shapes Go sends, through the real lib/api modules.
beforeAll(() => installMock());

describe('dev mock', () => {
  it('answers the inbox calls', async () => {
    const page = await api.conversations({
      status: '', channel: '', accountId: 0, tag: '', sentiment: '', assignee: '', unassigned: false, mine: false, order: 'newest', cursor: '', limit: 5, snoozed: false,
    });
    expect(page.items.length).toBeGreaterThan(0);
    const c = page.items[0]!;
    expect(typeof c.author.displayName).toBe('string');
    const th = await api.thread(c.id);
    expect(th.messages.length).toBeGreaterThan(0);
    expect(Array.isArray(th.messages[0]!.flags)).toBe(true);
    expect((await api.stats()).channels.length).toBeGreaterThan(0);
    expect(await api.accounts()).not.toHaveLength(0);
    expect(Array.isArray(await api.tags())).toBe(true);
    expect(Array.isArray(await api.search({ text: 'refund', channel: '', beforeId: 0, limit: 5 }))).toBe(true);
    const closed = await api.triage([c.id], { action: 'close', assignee: '', tag: '', until: '' });
    expect(closed.items[0]!.status).toBe('closed');
    expect((await api.undo(closed.undoId))[0]!.status).toBe(c.status);
    expect((await api.saveView('Mine', { base: 'all', status: 'open', channel: '', sentiment: '', order: 'newest' })).name).toBe('Mine');
    expect((await api.savedViews()).map((v) => v.name)).toEqual(['Mine']);
    const panel = await api.authorPanel(c.author.id);
    expect(typeof panel.standing.state).toBe('string');
  });

  it('answers the settings, crisis, composer, analytics and app calls', async () => {
    const info = await api.info();
    expect([info.version, info.commit, info.date, info.me].every((s) => typeof s === 'string')).toBe(true);
    const accounts = await api.listAccounts();
    expect(accounts[0]!.limits.notes).toEqual([]);
    expect((await api.crisisStates()).length).toBeGreaterThan(0);
    expect(await api.crisisAlerts()).toEqual([]);
    expect(await api.inCrisis()).toEqual([]);
    expect((await api.crisisSeries({ account: accounts[0]!.account.name, channel: accounts[0]!.account.channel })).length).toBe(288);
    for (const b of await api.brands()) expect([b.name, b.tone, b.signature, b.defaultLang].every((s) => typeof s === 'string')).toBe(true);
    expect((await api.llmSettings()).settings.apiVersion).toBe('');
    expect((await api.cannedReplies('')).length).toBeGreaterThan(0);
    expect(await api.approvalQueue()).toEqual([]);
    expect((await api.classifyStatus()).settings.threshold).toBeTypeOf('number');
    expect((await api.analyticsOverview({ days: 7, accountId: 0, timeZone: 'UTC' })).heatmap).toHaveLength(7);
    expect(await api.slaPolicies()).toContain('policies');
  });
});
