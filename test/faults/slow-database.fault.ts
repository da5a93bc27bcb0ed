import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { ApiServer } from './support/api-server.js';
import { register } from './support/accounts.js';
import { LEAK, call, isUnavailableBody } from './support/http.js';
import { PostgresServer } from './support/postgres-server.js';

const STATEMENT_TIMEOUT_MS = 1500;
/** More blocked requests than the pool has connections (20), so an exhausted pool would show. */
const BLOCKED_REQUESTS = 45;

/**
 * Issue 8, scenario 5: a statement held up by a lock fails at DB_STATEMENT_TIMEOUT_MS with
 * 503, and the connections it held are back in the pool for everybody else.
 */
describe('slow database (statements held by a lock)', () => {
  let pg: PostgresServer;
  let api: ApiServer;
  let locker: pg.Client;

  beforeAll(async () => {
    pg = await PostgresServer.create();
    const url = await pg.createDatabase('edp_slow');
    api = await ApiServer.start('slow-db', {
      DATABASE_URL: url,
      DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
    });
    locker = await pg.client('edp_slow');
  });

  afterAll(async () => {
    await locker?.end();
    await api?.terminate();
    pg?.destroy();
  });

  it('fails reads behind a table lock with 503 at the timeout, and other routes keep working', async () => {
    expect((await call(api.url, 'GET', '/api/regions')).status).toBe(200);
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE regions IN ACCESS EXCLUSIVE MODE');
    try {
      const blocked = call(api.url, 'GET', '/api/regions');
      const wave = await Promise.all(
        Array.from({ length: BLOCKED_REQUESTS }, () => call(api.url, 'GET', '/api/regions')),
      );
      // While the lock is still held, the pool serves queries that do not need it.
      const health = await Promise.all(
        Array.from({ length: 10 }, () => call(api.url, 'GET', '/api/health')),
      );
      const replies = [await blocked, ...wave];
      console.log(
        `slow database (reads): ${replies.length} requests behind the lock → ` +
          `${replies.filter(isUnavailableBody).length} × 503 UNAVAILABLE; ` +
          `health while locked: ${health.filter((h) => h.status === 200).length}/10 × 200`,
      );
      for (const reply of replies) {
        expect(isUnavailableBody(reply)).toBe(true);
        expect(reply.text).not.toMatch(LEAK);
      }
      expect(health.map((h) => h.status)).toEqual(Array(10).fill(200));
    } finally {
      await locker.query('ROLLBACK');
    }
    expect((await call(api.url, 'GET', '/api/regions')).status).toBe(200);
  });

  it('fails a write waiting on a row lock with 503 and stores none of it', async () => {
    const taken = `held-${Date.now()}@faults.example.se`;
    await locker.query('BEGIN');
    // An uncommitted row with the same e-mail: the api's insert must wait for this transaction.
    await locker.query(
      `INSERT INTO users (email, password_hash, display_name, role) VALUES ($1, 'x', 'Låst', 'company')`,
      [taken],
    );
    let writes;
    try {
      writes = await Promise.all(
        Array.from({ length: 25 }, (_, i) =>
          i === 0 ? register(api.url, 'held', taken) : register(api.url, 'slow'),
        ),
      );
      const health = await call(api.url, 'GET', '/api/health');
      expect(health.status).toBe(200);
    } finally {
      await locker.query('ROLLBACK');
    }
    const [held, ...others] = writes;
    console.log(
      `slow database (write): the held write answered ${held.reply?.status} ${String(held.reply?.body?.code)}; ` +
        `${others.filter((w) => w.reply?.status === 201).length}/${others.length} other writes acknowledged`,
    );
    expect(isUnavailableBody(held.reply)).toBe(true);
    // Other writes were not starved by the one stuck behind the lock.
    expect(others.map((w) => w.reply?.status)).toEqual(Array(others.length).fill(201));
    // Nothing of the refused write remains: neither its user nor its organisation.
    expect(await pg.query('SELECT 1 FROM users WHERE email = $1', [taken], 'edp_slow')).toEqual([]);
    expect(
      await pg.query(
        'SELECT 1 FROM organisations WHERE name = $1',
        [held.organisation],
        'edp_slow',
      ),
    ).toEqual([]);
    // Once the lock is gone the same write succeeds.
    expect((await register(api.url, 'held', taken)).reply?.status).toBe(201);
  });
});
