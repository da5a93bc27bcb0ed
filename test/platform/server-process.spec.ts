import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { MIGRATIONS } from '@edp/database';
import {
  ensureBuilt,
  startScript,
  startServer,
  waitForHealthy,
  type ServerProcess,
} from '../support/server-process.js';

const ADMIN = { ADMIN_EMAIL: 'admin@edp.example.se', ADMIN_PASSWORD: 'admin-password-123' };

describe('the server as a process (embedded database)', () => {
  let dataDir: string;
  const running: ServerProcess[] = [];
  const start = (env: Record<string, string>) => {
    const server = startServer(env);
    running.push(server);
    return server;
  };
  afterEach(() => {
    // A failed assertion must not leave a server behind (jest would wait for it forever).
    for (const server of running.splice(0)) server.child.kill('SIGKILL');
  });
  beforeAll(() => {
    ensureBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'edp-process-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://nope' }, 'DATABASE_URL'],
    [{ NODE_ENV: 'production' }, 'JWT_SECRET'],
  ])('refuses to start with %p and names %s', async (env, variable) => {
    const server = start({ DATA_DIR: dataDir, ...env });
    const { code } = await server.exited;
    expect(code).not.toBe(0);
    expect(server.output()).toContain(`Invalid configuration: ${variable}`);
  });

  it('starts with `npm start` (scripts/start.mjs) again and again once built', async () => {
    for (const attempt of [1, 2]) {
      const server = startScript({ DATA_DIR: dataDir });
      running.push(server);
      await waitForHealthy(server, 240_000);
      const page = await fetch(`${server.url}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<html');
      server.child.kill('SIGTERM');
      expect({ attempt, ...(await server.exited) }).toMatchObject({ attempt, code: 0 });
    }
  }, 600_000);

  it('migrates an empty database, keeps data across a restart, and migrates idempotently', async () => {
    const first = start({ DATA_DIR: dataDir, ...ADMIN });
    await waitForHealthy(first, 120_000);
    const login = async (url: string) =>
      fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: ADMIN.ADMIN_EMAIL, password: ADMIN.ADMIN_PASSWORD }),
      });
    const loggedIn = await login(first.url);
    expect(loggedIn.status).toBe(200);
    const admin = (await loggedIn.json()) as { accessToken: string };
    const created = await fetch(`${first.url}/api/regions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.accessToken}` },
      body: JSON.stringify({
        code: 'FI1D',
        name: 'Manner-Suomi Pohjois- ja Itä-Suomi',
        kind: 'nuts2',
      }),
    });
    expect(created.status).toBe(201);
    first.child.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);

    const second = start({ DATA_DIR: dataDir, ...ADMIN });
    await waitForHealthy(second, 120_000);
    const regions = (await (await fetch(`${second.url}/api/regions`)).json()) as {
      code: string;
      name: string;
    }[];
    expect(regions.find((region) => region.code === 'FI1D')?.name).toBe(
      'Manner-Suomi Pohjois- ja Itä-Suomi',
    );
    // The token issued before the restart is still valid: the generated secret was kept.
    const me = await fetch(`${second.url}/api/auth/me`, {
      headers: { authorization: `Bearer ${admin.accessToken}` },
    });
    expect(me.status).toBe(200);
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);

    // Two starts, each migration recorded once.
    const db = await PGlite.create({ dataDir });
    const { rows } = await db.query<{ name: string }>('SELECT name FROM migrations ORDER BY id');
    await db.close();
    expect(rows.map((row) => row.name)).toEqual(MIGRATIONS.map((migration) => migration.name));
  }, 300_000);
});
