// Test harness for the browser tests: starts the real built binary in `serve`
// mode and Debian's Chromium through playwright-core (never a downloaded browser).
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
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
 * env adds variables, e.g. STORMDESK_ROLE=approver.
 *
 * serve prints its address with the run's token (`http://127.0.0.1:PORT/?token=…`):
 * `pageUrl` is that address, for the browser (the server swaps the token for a
 * cookie and redirects to `/`); `url` is the bare origin, for building paths;
 * `call` and `fetch` send the token as a bearer header, as a script would.
 */
export async function startServer({ db, args = [], waitFor = '', timeoutMs = 60_000, env = {} }) {
  const proc = spawn(binary(), ['serve', '--db', db, '--addr', '127.0.0.1:0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stdout = '';
  let stderr = '';
  proc.stdout.setEncoding('utf8');
  proc.stderr.setEncoding('utf8');
  const exited = new Promise((res) => proc.once('exit', (code, signal) => res({ code, signal })));
  const pageUrl = await new Promise((res, rej) => {
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
  const printed = new URL(pageUrl);
  const token = printed.searchParams.get('token');
  if (!token) {
    proc.kill('SIGKILL');
    throw new Error(`stormdesk serve printed no token in its address: ${pageUrl}`);
  }
  const url = printed.origin;
  /** authFetch is fetch on this server with the token as a bearer header. */
  const authFetch = (path, init = {}) =>
    fetch(`${url}${path}`, { ...init, headers: { ...init.headers, Authorization: `Bearer ${token}` } });
  return {
    url,
    pageUrl,
    token,
    fetch: authFetch,
    get stderr() {
      return stderr;
    },
    /** call invokes a bound Go method over the bridge, as the page does. */
    async call(service, method, ...callArgs) {
      const res = await authFetch(`/bridge/call/${service}/${method}`, {
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

/**
 * openSession is the usual setup of a browser test: `stormdesk serve` on a fresh
 * database (with the demo data unless demo is false) and a Chromium page on it.
 * Script errors, console errors and failed requests are collected in `errors`
 * (pass an array to share it), except failures of the bridge calls listed in
 * expectFailing ("Service/Method": Go errors the test provokes on purpose).
 * initScript runs in the page before the app. prepare({ dir, db }) runs before
 * serve starts, e.g. a `stormdesk import` into the database, as a user who imports
 * a file and then opens the app. close() shuts everything down and
 * asserts that serve exited cleanly after SIGINT.
 */
export async function openSession(prefix, { demo = true, db = 'demo.db', args = [], env = {}, expectFailing = [], initScript, prepare, errors = [] } = {}) {
  const dir = tempDir(prefix);
  const dbPath = join(dir, db);
  let server, browser;
  const session = {
    dir,
    db: dbPath,
    errors,
    get server() {
      return server;
    },
    get browser() {
      return browser;
    },
    page: null,
    async close() {
      await browser?.close();
      const exit = server ? await server.stop() : null;
      rmSync(dir, { recursive: true, force: true });
      if (exit) assert.deepEqual(exit, { code: 0, signal: null }, `serve did not shut down cleanly:\n${server.stderr}`);
    },
  };
  try {
    if (prepare) await prepare({ dir, db: dbPath });
    server = await startServer({
      db: dbPath,
      args: demo ? args : ['--no-demo', ...args],
      env,
      // The list is complete when the page loads.
      waitFor: demo ? 'demo data stored' : '',
    });
    browser = await launchBrowser();
    const page = await browser.context.newPage();
    session.page = page;
    const expected = (url) => expectFailing.some((m) => url.endsWith(`/bridge/call/${m}`));
    page.on('pageerror', (e) => errors.push(String(e)));
    // A failed request is checked by its URL below; the console's copy of it carries none.
    page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && errors.push(m.text()));
    page.on('response', (r) => r.status() >= 400 && !expected(r.url()) && errors.push(`HTTP ${r.status()} for ${r.url()}`));
    if (initScript) await page.addInitScript(initScript);
    await page.goto(server.pageUrl);
    if (demo) await page.locator('[role=listbox] .row').first().waitFor({ timeout: 30_000 });
  } catch (e) {
    await session.close().catch(() => {});
    throw e;
  }
  return session;
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

/** REPO_ROOT is the repository checkout the tests run from. */
export const REPO_ROOT = resolve(here, '../..');

/**
 * spawnHelper runs a test helper command that prints one JSON line when ready
 * and resolves with that line (info), the process and its exit promise. stdin
 * is 'ignore' or 'pipe' (a helper that stops when its stdin closes).
 */
export async function spawnHelper(bin, name, readyMs, stdin = 'ignore') {
  const proc = spawn(bin, [], { stdio: [stdin, 'pipe', 'pipe'] });
  let out = '';
  let errOut = '';
  proc.stdout.setEncoding('utf8');
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (d) => (errOut += d));
  const exited = new Promise((res) => proc.once('exit', (code, signal) => res({ code, signal })));
  const info = await new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`${name} printed nothing: ${out}${errOut}`)), readyMs);
    proc.stdout.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        try {
          res(JSON.parse(out.slice(0, nl)));
        } catch (e) {
          rej(new Error(`${name}: ${e.message}: ${out}`));
        }
      }
    });
    proc.once('exit', (code) => (clearTimeout(timer), rej(new Error(`${name} exited with ${code}: ${errOut}`))));
  });
  return { info, exited, proc };
}

/**
 * startTeamWithWhatsApp starts a team server (startTeam) and, beside it, the
 * WhatsApp Cloud API fake (backend/e2e/cmd/wafake) playing Meta's side.
 * Resolves with the team, the fake's JSON line (wa) and stop().
 */
export async function startTeamWithWhatsApp(prefix) {
  const bin = await buildGoCommand('./backend/e2e/cmd/wafake', 120_000);
  const [team, helper] = await Promise.all([startTeam(prefix), spawnHelper(bin, 'wafake', 20_000)]);
  return {
    team,
    wa: helper.info,
    async stop() {
      if (helper.proc.exitCode === null) helper.proc.kill('SIGTERM');
      await helper.exited;
      await team.stop();
    },
  };
}

/**
 * startFakeAPI builds (once per process, unless STORMDESK_FAKEAPI_BIN points at a
 * built one) and runs backend/e2e/cmd/fakeapi: the Mastodon test server as its own
 * process. Resolves with its JSON line ({url, inspect, token, status}) plus
 * posted() (what the app created through the API) and stop().
 */
export async function startFakeAPI({ timeoutMs = 120_000 } = {}) {
  const bin = process.env.STORMDESK_FAKEAPI_BIN || (await buildFakeAPI(timeoutMs));
  const { info, exited, proc } = await spawnHelper(bin, 'fakeapi', 20_000);
  return {
    ...info,
    /** posted lists the statuses the fake accepted through POST /api/v1/statuses. */
    async posted() {
      const res = await fetch(`${info.inspect}/posted`);
      if (!res.ok) throw new Error(`fakeapi /posted: HTTP ${res.status}`);
      return res.json();
    },
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      return exited;
    },
  };
}

const goBuilds = new Map();
/** buildGoCommand builds a command of this repository (once per process) and resolves with its path. */
export function buildGoCommand(pkg, timeoutMs) {
  if (!goBuilds.has(pkg)) {
    goBuilds.set(
      pkg,
      new Promise((res, rej) => {
        const name = pkg.split('/').pop();
        const out = join(tempDir(name), name);
        const go = spawn(process.env.GO || 'go', ['build', '-o', out, pkg], {
          cwd: REPO_ROOT,
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let errOut = '';
        go.stderr.setEncoding('utf8');
        go.stderr.on('data', (d) => (errOut += d));
        const timer = setTimeout(() => go.kill('SIGKILL'), timeoutMs);
        go.once('exit', (code) => {
          clearTimeout(timer);
          code === 0 ? res(out) : rej(new Error(`go build ${pkg} failed (${code}):\n${errOut}`));
        });
      }),
    );
  }
  return goBuilds.get(pkg);
}

function buildFakeAPI(timeoutMs) {
  return buildGoCommand('./backend/e2e/cmd/fakeapi', timeoutMs);
}

/**
 * startPGCluster builds and runs backend/e2e/cmd/pgcluster: a throwaway
 * PostgreSQL cluster. Resolves with { dsn, stop() }; the cluster also stops
 * when this process ends, as that closes the command's stdin.
 */
export async function startPGCluster({ timeoutMs = 120_000 } = {}) {
  const bin = await buildGoCommand('./backend/e2e/cmd/pgcluster', timeoutMs);
  const { info, exited, proc } = await spawnHelper(bin, 'pgcluster', 90_000, 'pipe');
  return {
    dsn: info.dsn,
    async stop() {
      proc.stdin.end();
      return exited;
    },
  };
}

/** runStormdesk runs the built binary to completion and resolves with its output. */
export function runStormdesk(args, { timeoutMs = 120_000, cwd } = {}) {
  return runBinary(args, timeoutMs, cwd);
}

/**
 * startTeamServer runs `stormdesk server` with args on a free loopback port
 * (cwd: dir) and resolves once it logs that it listens. Its log is JSON lines:
 * `logs()` parses what it wrote so far.
 */
export async function startTeamServer({ args, dir, timeoutMs = 60_000 }) {
  const proc = spawn(binary(), ['server', '--addr', '127.0.0.1:0', ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.setEncoding('utf8');
  proc.stdout.resume();
  proc.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((res) => proc.once('exit', (code, signal) => res({ code, signal })));
  const logs = () =>
    stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
  const url = await waitUntil(() => logs().find((l) => l.msg === 'listening')?.url, { timeoutMs, what: `the server to listen:\n${stderr}` }).catch(
    (e) => {
      proc.kill('SIGKILL');
      throw e;
    },
  );
  return {
    url: url.replace(/\/$/, ''),
    logs,
    get stderr() {
      return stderr;
    },
    /** stop sends SIGTERM (as systemd does) and returns how the process ended. */
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      const r = await exited;
      clearTimeout(t);
      return r;
    },
  };
}

/** waitUntil polls fn until it returns a truthy value (returned) or timeoutMs passes (throws with what). */
export async function waitUntil(fn, { timeoutMs = 20_000, intervalMs = 200, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: last ${last instanceof Error ? last.message : JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * loadStore returns a copy (in dir) of the load-test database with
 * STORMDESK_LOAD_MESSAGES (default 1,000,000) synthetic messages. The source is
 * STORMDESK_1M_DB when set (the Makefile builds it once per run); otherwise it is
 * generated once per process with `stormdesk demo --messages N`. The copy is opened
 * once with `stormdesk stats`, so migrations and a cold page cache are not part of
 * what the caller then times.
 */
export async function loadStore(dir) {
  const src = process.env.STORMDESK_1M_DB || (await generateLoadStore());
  const db = join(dir, 'load.db');
  copyFileSync(src, db);
  await runBinary(['stats', '--db', db], 300_000);
  return db;
}

let loadStoreBuild;
function generateLoadStore() {
  loadStoreBuild ??= (async () => {
    const n = process.env.STORMDESK_LOAD_MESSAGES || '1000000';
    const db = join(tempDir('load'), 'load.db');
    await runBinary(['demo', '--db', db, '--messages', n], 600_000);
    return db;
  })();
  return loadStoreBuild;
}

function runBinary(args, timeoutMs, cwd) {
  return new Promise((res, rej) => {
    const p = spawn(binary(), args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.setEncoding('utf8');
    p.stderr.setEncoding('utf8');
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.once('exit', (code) => {
      clearTimeout(timer);
      code === 0 ? res(out) : rej(new Error(`stormdesk ${args.join(' ')} exited with ${code}:\n${out}`));
    });
  });
}

/**
 * recordNotifications is an init script: what the page shows through the Web
 * Notifications API is recorded in window.__notes ({ title, body, tag }).
 */
export function recordNotifications() {
  window.__notes = [];
  class RecordingNotification {
    static permission = 'granted';
    static requestPermission = async () => 'granted';
    constructor(title, options = {}) {
      window.__notes.push({ title, body: options.body ?? '', tag: options.tag ?? '' });
    }
  }
  window.Notification = RecordingNotification;
}

/** mastodonAccount is AccountsService.Save's input for a brand account at the Mastodon fake. */
export function mastodonAccount(fake, name) {
  return { name, channel: 'mastodon', brand: 'Acme', handle: '', settings: JSON.stringify({ baseUrl: fake.url }), secrets: { token: fake.token } };
}

/** printedToken reads the access token `server init` or `server user add` printed. */
export function printedToken(out) {
  const tok = /\b[0-9a-f]{64}\b/.exec(out)?.[0];
  assert.ok(tok, `a token was printed:\n${out}`);
  return tok;
}

/**
 * startTeam sets up what a team test runs against: a PostgreSQL cluster, the
 * Mastodon fake, `server init` (first admin Ada, whose token is admin) and
 * `stormdesk server` (team.server; team.restart(args) starts it again after
 * team.server.stop(), with args added, e.g. the same --addr). stop() ends all
 * of it and asserts the server exited cleanly after SIGTERM.
 */
export async function startTeam(prefix) {
  const dir = tempDir(prefix);
  const [pg, fake] = await Promise.all([startPGCluster(), startFakeAPI()]);
  const key = join(dir, 'secrets.key');
  const admin = printedToken(await runStormdesk(['server', 'init', '--db', pg.dsn, '--admin', 'Ada', '--secrets-key', key], { cwd: dir }));
  const team = {
    dir,
    pg,
    fake,
    admin,
    server: null,
    async restart(args = []) {
      team.server = await startTeamServer({ dir, args: ['--db', pg.dsn, '--secrets-key', key, ...args] });
      return team.server;
    },
    async stop() {
      const exit = team.server ? await team.server.stop() : null;
      await fake.stop();
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
      if (exit) assert.deepEqual(exit, { code: 0, signal: null }, `the server did not shut down cleanly after SIGTERM:\n${team.server.stderr}`);
    },
  };
  /** addMember runs `server user add` and resolves with the token it printed. */
  team.addMember = async (name, role) => printedToken(await runStormdesk(['server', 'user', 'add', name, '--role', role, '--db', pg.dsn], { cwd: dir }));
  /** call invokes a bound Go method on the server as the member whose token it is. */
  team.call = (token, service, method, ...args) => callOK(team.server, token, service, method, ...args);
  await team.restart();
  return team;
}

/** addMastodonAccount saves a Mastodon account at the team's fake, as the admin. */
export function addMastodonAccount(team, name) {
  return team.call(team.admin, 'AccountsService', 'Save', mastodonAccount(team.fake, name));
}

/** callAs sends one bridge call to a team server with a member's token and resolves with { status, body }. */
export async function callAs(server, token, service, method, ...args) {
  const res = await fetch(`${server.url}/bridge/call/${service}/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify(args),
  });
  return { status: res.status, body: await res.json() };
}

/** callOK is callAs that resolves with the answer and throws Go's error (with .status) on a refusal. */
export async function callOK(server, token, service, method, ...args) {
  const { status, body } = await callAs(server, token, service, method, ...args);
  if (status !== 200) throw Object.assign(new Error(body.error), { status });
  return body.result;
}
