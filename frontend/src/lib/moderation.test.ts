import { describe, expect, it } from 'vitest';
import { toApiError, type ModerationAction, type ModerationWarning } from './api';
import { ERROR_MARKER } from './errors';
import { ModerationFlow, sparkline } from './moderation';

function fake(answers: (ModerationWarning | Error)[]) {
  const calls: [ModerationAction, boolean][] = [];
  const fn = async (action: ModerationAction, confirm: boolean) => {
    calls.push([action, confirm]);
    const a = answers.shift();
    if (a instanceof Error) throw a;
    return a ?? { critical: false, reasons: [] };
  };
  return { calls, fn };
}

describe('ModerationFlow', () => {
  it('shows the warning for a critical message and acts only after confirm', async () => {
    const f = fake([{ critical: true, reasons: ['negative', 'crisis'] }, { critical: true, reasons: ['negative', 'crisis'] }]);
    const flow = new ModerationFlow(f.fn);
    expect(await flow.request('delete')).toEqual({ kind: 'warning', action: 'delete', reasons: ['negative', 'crisis'] });
    expect(f.calls).toEqual([['delete', false]]);
    expect(await flow.confirm()).toEqual({ kind: 'done', action: 'delete' });
    expect(f.calls).toEqual([
      ['delete', false],
      ['delete', true],
    ]);
  });

  it('cancel leaves the message alone', async () => {
    const f = fake([{ critical: true, reasons: ['influencer'] }]);
    const flow = new ModerationFlow(f.fn);
    await flow.request('hide');
    flow.cancel();
    expect(flow.phase).toEqual({ kind: 'idle' });
    expect(await flow.confirm()).toEqual({ kind: 'idle' });
    expect(f.calls).toEqual([['hide', false]]);
  });

  it('a non-critical message is acted on at once, never confirmed', async () => {
    const f = fake([{ critical: false, reasons: [] }]);
    const flow = new ModerationFlow(f.fn);
    expect((await flow.request('hide')).kind).toBe('done');
    expect(f.calls).toEqual([['hide', false]]);
  });

  it("shows Go's error text when the connector cannot act", async () => {
    const f = fake([{ critical: true, reasons: ['negative'] }, new Error('account demo-vk cannot moderate: no connector')]);
    const phases: string[] = [];
    const flow = new ModerationFlow(f.fn, (p) => phases.push(p.kind));
    await flow.request('delete');
    expect(await flow.confirm()).toEqual({ kind: 'error', action: 'delete', message: 'account demo-vk cannot moderate: no connector' });
    expect(phases).toEqual(['checking', 'warning', 'acting', 'error']);
  });
});

describe('ModerationFlow with a coded Go error', () => {
  it('keeps the ApiError, so the menu words it and folds Go’s text under Details', async () => {
    const goText = `${ERROR_MARKER}{"code":"demo-account","params":{"account":"demo-vk"},"detail":"no connector for account demo-vk"}`;
    const f = fake([toApiError('InboxService.Moderate', goText)]);
    const flow = new ModerationFlow(f.fn);
    const p = await flow.request('hide');
    expect(p.kind).toBe('error');
    if (p.kind !== 'error') return;
    expect(p.error?.code).toBe('demo-account');
    expect(p.error?.detail).toBe('no connector for account demo-vk');
  });
});

describe('sparkline', () => {
  it('scales to the box with the peak at the top', () => {
    expect(sparkline([0, 5, 10], 100, 20)).toBe('0,20 50,10 100,0');
    expect(sparkline([], 100, 20)).toBe('');
    expect(sparkline([3], 100, 20)).toBe('0,0');
  });
});
