import { describe, expect, it } from 'vitest';
import type { LoopHealth } from './api';
import { translate } from './i18n';
import { downLoops, failureKey, loopName, loopNotice, nextRestartIn } from './loops';

const now = Date.parse('2026-06-01T10:00:00Z');

/** A loop as Go sends it in AppInfo.loops. */
function loop(o: Partial<LoopHealth> = {}): LoopHealth {
  return { loop: 'crisis', state: 'restarting', lastError: 'panic: index out of range [-1]', failedAt: '2026-06-01T09:59:58Z', restarts: 0, restartAt: '2026-06-01T10:00:30Z', recovered: false, ...o };
}

const clock = (iso: string, l: string) => new Intl.DateTimeFormat(l, { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(new Date(iso));

describe('loopNotice', () => {
  it.each([
    ['en', `Crisis detection stopped after an error and restarts at ${clock('2026-06-01T10:00:30Z', 'en')} (in 30 seconds).`],
    ['ru', `Обнаружение кризисов: работа остановлена из-за ошибки; перезапуск в ${clock('2026-06-01T10:00:30Z', 'ru')} (через 30 секунд).`],
    ['de', `Krisenerkennung: nach einem Fehler angehalten; Neustart um ${clock('2026-06-01T10:00:30Z', 'de')} (in 30 Sekunden).`],
  ] as const)('%s: a loop waiting to restart says which and when', (l, want) => {
    expect(loopNotice(loop(), now, l)).toBe(want);
  });

  it.each([
    ['a restart that is due', loop({ restartAt: '2026-06-01T09:59:59Z' }), 'Crisis detection stopped after an error and is restarting now.'],
    ['no restart time', loop({ restartAt: null }), 'Crisis detection stopped after an error and is restarting now.'],
    ['minutes away', loop({ loop: 'sla', restartAt: '2026-06-01T10:05:00Z' }), `SLA tracking stopped after an error and restarts at ${clock('2026-06-01T10:05:00Z', 'en')} (in 5 minutes).`],
    ['restarted before', loop({ restarts: 3, restartAt: '2026-06-01T09:59:59Z' }), 'Crisis detection stopped after an error and is restarting now. Restarts so far: 3.'],
    ['stopped for the session', loop({ loop: 'sync', state: 'stopped', restartAt: null }), 'Account sync stopped after an error and runs again when Stormdesk is restarted.'],
    ['a loop this page does not know', loop({ loop: 'reindex', state: 'stopped', restartAt: null }), 'reindex stopped after an error and runs again when Stormdesk is restarted.'],
    ['running again', loop({ state: 'running', restartAt: null, restarts: 1 }), ''],
    ['finished', loop({ state: 'finished', restartAt: null, restarts: 1 }), ''],
  ] as const)('%s', (_, h, want) => {
    expect(loopNotice(h, now, 'en')).toBe(want);
  });

  it('names every loop Go runs in every language', () => {
    for (const name of ['crisis', 'sla', 'outbox', 'classify', 'snooze', 'listening', 'forward', 'presence', 'sync', 'seed']) {
      for (const l of ['en', 'ru', 'de'] as const) expect(loopName(name, l)).toBe(translate(l, `loops.name.${name}` as never));
    }
  });
});

describe('downLoops', () => {
  it('keeps the loops that do not run now', () => {
    const list = [loop({ loop: 'a' }), loop({ loop: 'b', state: 'running' }), loop({ loop: 'c', state: 'stopped' }), loop({ loop: 'd', state: 'finished' })];
    expect(downLoops(list).map((h) => h.loop)).toEqual(['a', 'c']);
  });

  it('tells failures apart by loop and time', () => {
    expect(failureKey(loop())).not.toBe(failureKey(loop({ failedAt: '2026-06-01T10:01:00Z' })));
    expect(failureKey(loop())).not.toBe(failureKey(loop({ loop: 'sla' })));
  });
});

describe('nextRestartIn', () => {
  it.each([
    ['none waits', [loop({ state: 'stopped', restartAt: null }), loop({ state: 'running', restartAt: null })], null],
    ['the first due', [loop({ restartAt: '2026-06-01T10:05:00Z' }), loop({ restartAt: '2026-06-01T10:00:30Z' })], 30_000],
    ['an overdue one is due now', [loop({ restartAt: '2026-06-01T09:59:00Z' })], 0],
    ['an unreadable time is left out', [loop({ restartAt: 'soon' })], null],
  ] as const)('%s', (_, list, want) => {
    expect(nextRestartIn(list, now)).toBe(want);
  });
});
