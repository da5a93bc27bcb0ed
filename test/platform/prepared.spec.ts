import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { prepared } from '@edp/database';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('prepared statements', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
    await t.dataSource.query(`CREATE TABLE prepared_probe (k text PRIMARY KEY, v text NOT NULL)`);
  });
  afterAll(async () => {
    await t.close();
  });

  const INSERT = `INSERT INTO prepared_probe (k, v) VALUES ($1, $2) RETURNING k, v`;
  const COUNT = `SELECT count(*)::int AS n FROM prepared_probe WHERE k = $1`;

  it('runs the same statement again with new values, byte-identical for å, ä, ö', async () => {
    const manager = t.dataSource.manager;
    expect(await prepared(manager, INSERT, ['a', 'Åsa på ön'])).toEqual([
      { k: 'a', v: 'Åsa på ön' },
    ]);
    expect(await prepared(manager, INSERT, ['b', 'Även här'])).toEqual([{ k: 'b', v: 'Även här' }]);
    expect(await prepared(manager, COUNT, ['a'])).toEqual([{ n: 1 }]);
  });

  it('inside a transaction uses its connection: what it wrote goes when the transaction rolls back', async () => {
    await expect(
      t.dataSource.transaction(async (manager) => {
        await prepared(manager, INSERT, ['c', 'tillfällig']);
        expect(await prepared(manager, COUNT, ['c'])).toEqual([{ n: 1 }]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await prepared(t.dataSource.manager, COUNT, ['c'])).toEqual([{ n: 0 }]);
  });

  it("throws PostgreSQL's error with its SQLSTATE, and the connection stays usable", async () => {
    const error = await prepared(t.dataSource.manager, INSERT, ['a', 'igen']).catch(
      (e: unknown) => e,
    );
    expect((error as { code?: string }).code).toBe('23505');
    expect(await prepared(t.dataSource.manager, COUNT, ['a'])).toEqual([{ n: 1 }]);
  });
});
