// Test harness for the browser tests: starts the real built binary in `serve`
// mode and Debian's Chromium through playwright-core (never a downloaded browser).
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));

export const SCREENSHOT_DIR = resolve(here, '../../docs/screenshots');
export const VIEWPORT = { width: 1280, height: 800 };

/** tempDir makes a directory removed by cleanup(). */
export function tempDir(prefix) {
  return mkdtempSync(join(tmpdir(), `stormdesk-${prefix}-`));
}

function binary() {
  const bin = process.env.STORMDESK_BIN;
  if (!bin) throw new Error('STORMDESK_BIN is not set: point it at the built binary (make test-browser)');
  return bin;
}

/**
 * startServer runs `stormdesk serve` on a free loopback port and resolves once it
 * prints its address and, when waitFor is given, once stderr shows that text
 * (e.g. "demo data stored", so the list is complete when the page loads).
 */
export async function startServer({ db, args = [], waitFor = '', timeoutMs = 60_000 }) {
  const proc = spawn(binary(), ['serve', '--db', db, '--addr', '127.0.0.1:0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  proc.stdout.setEncoding('utf8');
  proc.stderr.setEncoding('utf8');
  const exited = new Promise((res) => proc.once('exit', (code, signal) => res({ code, signal })));
  const url = await new Promise((res, rej) => {
    const timer = setTimeout(() => done(new Error(`no "listening on" line after ${timeoutMs} ms`)), timeoutMs);
    let found = '';
    function check() {
      const m = /listening on (http:\/\/\S+)/.exec(stdout);
      if (m) found = m[1];
      if (found && (!waitFor || stderr.includes(waitFor))) done(null, found);
    }
    function done(err, value) {
      clearTimeout(timer);
      proc.stdout.off('data', onOut);
      proc.stderr.off('data', onErr);
      proc.off('exit', onExit);
      err ? rej(new Error(`${err.message}\nstdout:\n${stdout}\nstderr:\n${stderr}`)) : res(value);
    }
    const onOut = (d) => ((stdout += d), check());
    const onErr = (d) => ((stderr += d), check());
    const onExit = (code) => done(new Error(`stormdesk serve exited with ${code} before it was ready`));
    proc.stdout.on('data', onOut);
    proc.stderr.on('data', onErr);
    proc.once('exit', onExit);
  });
  proc.stdout.on('data', (d) => (stdout += d));
  proc.stderr.on('data', (d) => (stderr += d));
  return {
    url,
    get stderr() {
      return stderr;
    },
    /** call invokes a bound Go method over the bridge, as the page does. */
    async call(service, method, ...callArgs) {
      const res = await fetch(`${url}/bridge/call/${service}/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(callArgs),
      });
      const body = await res.json();
      if (!res.ok) throw Object.assign(new Error(body.error), { status: res.status });
      return body.result;
    },
    /** stop sends SIGINT (a clean shutdown) and returns how the process ended. */
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGINT');
      const t = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      const r = await exited;
      clearTimeout(t);
      return r;
    },
  };
}

/** launchBrowser opens Debian's Chromium with a fresh profile; close() removes it. */
export async function launchBrowser() {
  const profile = tempDir('chromium');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium',
    headless: true,
    viewport: VIEWPORT,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** screenshot saves the page to docs/screenshots/name when STORMDESK_SCREENSHOTS=1. */
export async function screenshot(page, name) {
  if (process.env.STORMDESK_SCREENSHOTS !== '1') return;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, name), animations: 'disabled', caret: 'hide' });
}

/** percentile of a sorted array, nearest-rank. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}
