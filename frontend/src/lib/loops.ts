// The background loops the page tells the user about (AppInfo.loops): a loop Go
// restarts after an error, or one that stays stopped for the session, worded with
// the task's name and when it comes back. The Go side is backend/workspace/loophealth.go.
import type { LoopHealth } from './api';
import { formatUntil, hasKey, lang, translate, type Lang } from './i18n';

/** downLoops are the loops not running now: waiting to restart, or stopped until the app restarts. */
export function downLoops(loops: readonly LoopHealth[]): LoopHealth[] {
  return loops.filter((h) => h.state === 'restarting' || h.state === 'stopped');
}

/** loopName is a loop's name for people; one this page does not know keeps Go's name. */
export function loopName(loop: string, l: Lang = lang()): string {
  const key = `loops.name.${loop}`;
  return hasKey(key) ? translate(l, key) : loop;
}

/** loopNotice says that h is down and when it comes back; '' for a loop that runs. */
export function loopNotice(h: LoopHealth, now: number, l: Lang = lang()): string {
  const loop = loopName(h.loop, l);
  let text: string;
  if (h.state === 'stopped') {
    text = translate(l, 'loops.stopped', { loop });
  } else if (h.state === 'restarting') {
    const until = h.restartAt === null ? null : formatUntil(h.restartAt, now, l);
    text = until ? translate(l, 'loops.restarting', { loop, ...until }) : translate(l, 'loops.restartingNow', { loop });
  } else {
    return '';
  }
  return h.restarts > 0 ? `${text} ${translate(l, 'loops.restarts', { count: h.restarts })}` : text;
}

/** failureKey names one failure of a loop: hiding its notice lasts until the loop fails again. */
export function failureKey(h: LoopHealth): string {
  return `${h.loop}@${h.failedAt}`;
}

/**
 * nextRestartIn is how long until the first of the loops' restarts is due (0 when one
 * is overdue), so the page asks Go again then; null when none waits.
 */
export function nextRestartIn(loops: readonly LoopHealth[], now: number): number | null {
  let next: number | null = null;
  for (const h of loops) {
    if (h.state !== 'restarting' || h.restartAt === null) continue;
    const at = new Date(h.restartAt).getTime();
    if (Number.isNaN(at)) continue;
    const wait = Math.max(0, at - now);
    if (next === null || wait < next) next = wait;
  }
  return next;
}
