// The built binary's window for browser tests that need a desktop as well:
// Xvfb, a D-Bus session with an unlocked gnome-keyring (the member's token goes
// there), the window driven by xdotool and seen by ImageMagick's `import`. The
// same parts backend/e2e uses from Go, for a test whose other actors are
// Chromium pages.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitUntil } from './harness.mjs';

/** startXvfb starts a virtual screen on a free display (above the ones backend/e2e takes) and resolves with it. */
export async function startXvfb() {
  for (let n = 150; n < 200; n++) {
    if (existsSync(`/tmp/.X${n}-lock`) || existsSync(`/tmp/.X11-unix/X${n}`)) continue;
    const display = `:${n}`;
    const proc = spawn('Xvfb', [display, '-screen', '0', '1400x900x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
    await waitUntil(() => existsSync(`/tmp/.X11-unix/X${n}`), { timeoutMs: 10_000, what: `Xvfb ${display}` });
    return { display, stop: () => stopProcess(proc, 'SIGTERM', false) };
  }
  throw new Error('no free X display');
}

/** stopProcess sends signal (to its process group when group), then SIGKILL after 10 s. */
function stopProcess(proc, signal, group) {
  const kill = (sig) => {
    try {
      process.kill(group ? -proc.pid : proc.pid, sig);
    } catch {
      // gone already
    }
  };
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((res) => {
    const t = setTimeout(() => kill('SIGKILL'), 10_000);
    proc.once('exit', () => {
      clearTimeout(t);
      res();
    });
    kill(signal);
  });
}

/**
 * startWindow runs the built binary with a window on display, its config and
 * data under home, in a D-Bus session of its own with an unlocked keyring.
 * logs() is what it printed so far (slog text).
 */
export function startWindow(bin, display, home) {
  const keyring = 'echo -n x | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$@"';
  const proc = spawn('dbus-run-session', ['--', 'sh', '-c', keyring, 'keyring', bin], {
    env: {
      ...process.env,
      DISPLAY: display,
      XDG_CONFIG_HOME: join(home, 'config'),
      XDG_DATA_HOME: join(home, 'data'),
      XDG_RUNTIME_DIR: home,
      NO_AT_BRIDGE: '1',
      STORMDESK_AGENT: 'e2e',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so stop() ends the keyring and the bus too
  });
  let out = '';
  for (const s of [proc.stdout, proc.stderr]) {
    s.setEncoding('utf8');
    s.on('data', (d) => (out += d));
  }
  const x = (...args) => execFileSync('xdotool', args, { env: { ...process.env, DISPLAY: display } });
  return {
    logs: () => out,
    /** until waits for text in the window's log. */
    until: (text, timeoutMs = 90_000) => waitUntil(() => out.includes(text), { timeoutMs, what: `"${text}" in the window's log:\n${out}` }),
    /** keys presses each key in turn (xdotool key names), the pointer out of the way. */
    keys: (...keys) => {
      x('mousemove', '100', '45');
      x('key', '--delay', '120', ...keys);
    },
    type: (text) => x('type', '--delay', '30', text),
    stop: () => stopProcess(proc, 'SIGTERM', true),
  };
}

/** screenshot grabs the whole screen as PNG bytes. */
export function screenshot(display) {
  return execFileSync('import', ['-display', display, '-window', 'root', 'png:-'], { maxBuffer: 64 << 20 });
}

/** colours counts the distinct colours of a PNG (ImageMagick). */
export function colours(png) {
  return Number(execFileSync('identify', ['-format', '%k', 'png:-'], { input: png }).toString().trim());
}

/**
 * changedPixels counts the pixels two screenshots differ in (ImageMagick's compare, AE metric,
 * which prints the count on stderr and exits 1 when they differ).
 */
function changedPixels(a, b) {
  const dir = mkdtempSync(join(tmpdir(), 'stormdesk-settle-'));
  try {
    writeFileSync(join(dir, 'a.png'), a);
    writeFileSync(join(dir, 'b.png'), b);
    const r = spawnSync('compare', ['-metric', 'AE', join(dir, 'a.png'), join(dir, 'b.png'), 'null:']);
    const n = Number.parseFloat(r.stderr.toString().trim());
    return Number.isFinite(n) ? n : Infinity;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * settled waits until the screen shows something and stops changing, so keys go to what it
 * shows. A blinking caret or a small spinner (under 400 pixels) does not count as a change: on
 * a loaded machine one kept the access-lost screen from ever comparing equal for 30 s.
 */
export async function settled(display, timeoutMs = 30_000) {
  let prev = null;
  return waitUntil(
    () => {
      const png = screenshot(display);
      const same = prev !== null && (png.equals(prev) || changedPixels(png, prev) < 400);
      prev = png;
      return same && colours(png) > 20 ? png : null;
    },
    { timeoutMs, intervalMs: 300, what: 'the window to settle' },
  );
}

/** saveShot keeps a screen where dir says (the test's own directory). */
export function saveShot(png, dir, name) {
  const path = join(dir, name);
  writeFileSync(path, png);
  return path;
}
