import { describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { MIGRATIONS } from '@edp/database';
import { createTestApp, testDatabase } from '../support/test-app.js';

describe('migrations at start-up', () => {
  it('run outside the request timeout, which is in force afterwards', async () => {
    const database = await testDatabase();
    let holder: pg.Client | null = null;
    let released: Promise<void> = Promise.resolve();
    if (database.databaseUrl) {
      // Another instance holds the migration lock for longer than the statement timeout.
      holder = new pg.Client({ connectionString: database.databaseUrl });
      await holder.connect();
      await holder.query('SELECT pg_advisory_lock(7322001)');
      const client = holder;
      released = new Promise((resolve) => setTimeout(resolve, 1500)).then(async () => {
        await client.query('SELECT pg_advisory_unlock(7322001)');
      });
    }
    const t = await createTestApp({ statementTimeoutMs: 200 }, { database });
    try {
      await released;
      const [{ statement_timeout }] =
        await t.dataSource.query<{ statement_timeout: string }[]>('SHOW statement_timeout');
      expect(statement_timeout).toBe('200ms');
      const rows = await t.dataSource.query<{ name: string }[]>(
        'SELECT name FROM migrations ORDER BY id',
      );
      expect(rows.map((row) => row.name)).toEqual(MIGRATIONS.map((migration) => migration.name));
    } finally {
      await t.close();
      await holder?.end();
      await database.drop();
    }
  });
});
