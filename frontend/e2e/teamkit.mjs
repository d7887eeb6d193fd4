// A team for browser tests (issue 17): a throwaway PostgreSQL cluster, `stormdesk server
// init` with the admin Ada, `stormdesk server` on it, and the Mastodon fake for
// conversations; plus bound calls over HTTP as one member or another.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { runStormdesk, startFakeAPI, startPGCluster, startTeamServer, tempDir } from './harness.mjs';

/**
 * startTeam starts the team. It resolves with { pg, fake, server, dir, adminToken,
 * addMember(name, role) → token, call(token, service, method, ...args), stop() → the
 * server's exit }.
 */
export async function startTeam(prefix) {
  const dir = tempDir(prefix);
  const [pg, fake] = await Promise.all([startPGCluster(), startFakeAPI()]);
  const key = join(dir, 'secrets.key');
  const out = await runStormdesk(['server', 'init', '--db', pg.dsn, '--admin', 'Ada', '--secrets-key', key], { cwd: dir });
  const adminToken = /\b[0-9a-f]{64}\b/.exec(out)?.[0];
  assert.ok(adminToken, `server init printed the admin's token:\n${out}`);
  const server = await startTeamServer({ dir, args: ['--db', pg.dsn, '--secrets-key', key] });
  return {
    pg,
    fake,
    server,
    dir,
    adminToken,
    /** addMember runs `server user add` and resolves with the token it printed. */
    async addMember(name, role) {
      const added = await runStormdesk(['server', 'user', 'add', name, '--role', role, '--db', pg.dsn], { cwd: dir });
      const token = /\b[0-9a-f]{64}\b/.exec(added)?.[0];
      assert.ok(token, `user add printed ${name}'s token:\n${added}`);
      return token;
    },
    /** call invokes a bound Go method on the server as the member whose token it is. */
    async call(token, service, method, ...args) {
      const res = await fetch(`${server.url}/bridge/call/${service}/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify(args),
      });
      const body = await res.json();
      if (!res.ok) throw Object.assign(new Error(body.error), { status: res.status });
      return body.result;
    },
    /** stop stops the server (SIGTERM), the fake and the cluster, and resolves with how the server ended. */
    async stop() {
      const exit = await server.stop();
      await fake.stop();
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
      return exit;
    },
  };
}

/** addMastodonAccount saves a Mastodon account at the team's fake, as the admin. */
export function addMastodonAccount(team, name) {
  return team.call(team.adminToken, 'AccountsService', 'Save', {
    name,
    channel: 'mastodon',
    brand: 'Acme',
    handle: '',
    settings: JSON.stringify({ baseUrl: team.fake.url }),
    secrets: { token: team.fake.token },
  });
}
