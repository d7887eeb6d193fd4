// The team server (issue 16): `stormdesk server init` and `stormdesk server` on a
// real PostgreSQL cluster (backend/e2e/cmd/pgcluster), a Mastodon account at the
// fake (backend/e2e/cmd/fakeapi), and Debian's Chromium as a desktop signed in
// with the admin's token. Statuses are posted to the fake one at a time; for each,
// the time from the server having stored it (its "sync stored" log line) to the
// row showing in the browser's inbox is measured: none may be lost, and the p95
// must be at most 1 s.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { addMastodonAccount, launchBrowser, percentile, startTeam, waitUntil } from './harness.mjs';

const PROBES = 20;
const ACCOUNT = 'acme-mastodon';
const T = 30_000;

let team, fake, server, browser, token;
const errors = [];

before(async () => {
  team = await startTeam('team-server');
  ({ fake, server, admin: token } = team);
});

after(async () => {
  await browser?.close();
  await team?.stop();
});

/** call invokes a bound Go method on the server with the admin's token. */
const call = (service, method, ...args) => team.call(token, service, method, ...args);

test('the server refuses calls without the token, and answers health and readiness to anyone', async () => {
  const res = await fetch(`${server.url}/bridge/call/AppService/Info`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '[]' });
  assert.equal(res.status, 401);
  assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
  assert.deepEqual(await (await fetch(`${server.url}/readyz`)).json(), { status: 'ready' });
});

test(`a desktop sees each of ${PROBES} statuses synced by the server within 1 s (p95), none lost`, async () => {
  await addMastodonAccount(team, ACCOUNT);
  // The account's first sync stores the fake's seeded mention.
  await waitUntil(async () => (await call('InboxService', 'Conversations', { channel: 'mastodon' })).items?.length === 1, {
    timeoutMs: T,
    what: 'the seeded mention on the server',
  });

  browser = await launchBrowser();
  const page = await browser.context.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('response', (r) => r.status() >= 400 && errors.push(`HTTP ${r.status()} for ${r.url()}`));
  await page.goto(`${server.url}/?token=${token}`);
  await page.locator('[role=listbox] .row', { hasText: 'Casey Customer' }).first().waitFor({ timeout: T });

  const stored = () => server.logs().filter((l) => l.msg === 'sync stored' && l.account === ACCOUNT);
  const latencies = [];
  for (let i = 1; i <= PROBES; i++) {
    const text = `team sync probe-${String(i).padStart(2, '0')}-${Math.random().toString(36).slice(2, 8)}`;
    // The page notes, by the clock Go logs with, when a row with the text appears.
    const seen = page.evaluate(
      ({ text, timeoutMs }) =>
        new Promise((res, rej) => {
          const has = () => [...document.querySelectorAll('[role=listbox] .row')].some((r) => r.textContent.includes(text));
          if (has()) return res(Date.now());
          const obs = new MutationObserver(() => {
            if (has()) {
              obs.disconnect();
              res(Date.now());
            }
          });
          obs.observe(document.body, { subtree: true, childList: true, characterData: true });
          setTimeout(() => {
            obs.disconnect();
            const rows = [...document.querySelectorAll('[role=listbox] .row')].slice(0, 3).map((r) => r.textContent);
            rej(new Error(`no row with ${text}; the first rows: ${JSON.stringify(rows)}`));
          }, timeoutMs);
        }),
      { text, timeoutMs: T },
    );
    const n = stored().length;
    const res = await fetch(`${fake.inspect}/mention?text=${encodeURIComponent(`@acme ${text}`)}`, { method: 'POST' });
    assert.equal(res.status, 200, 'the fake took the status');
    const line = await waitUntil(() => stored()[n], { timeoutMs: T, intervalMs: 20, what: `the server to store probe ${i}` });
    const seenAt = await seen.catch((e) => {
      console.log(server.stderr.split('\n').slice(-40).join('\n'));
      throw e;
    });
    const storedAt = Date.parse(line.time.replace(/(\.\d{3})\d+/, '$1'));
    assert.ok(Number.isFinite(storedAt), `log time ${line.time}`);
    latencies.push(seenAt - storedAt);
    // The agent works the newest conversation: the highlight, which the list keeps in
    // view as rows arrive above it, stays at the top where the next one appears.
    await page.locator('[role=listbox] .row', { hasText: text }).first().click();
  }

  const sorted = [...latencies].sort((a, b) => a - b);
  const p50 = percentile(sorted, 50);
  const p95 = percentile(sorted, 95);
  console.log(`team server: stored → browser row, ${PROBES} statuses: p50 ${p50} ms, p95 ${p95} ms, max ${sorted.at(-1)} ms`);
  const convs = await call('InboxService', 'Conversations', { channel: 'mastodon' });
  assert.equal(convs.items.length, PROBES + 1, 'every status reached the inbox, none lost or doubled');
  assert.ok(p95 <= 1000, `p95 ${p95} ms from stored to shown; want ≤ 1000 ms (all: ${latencies.join(', ')})`);
  assert.deepEqual(errors, [], 'no script errors or failed requests in the page');
});
