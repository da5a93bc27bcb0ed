import type { DataSource } from 'typeorm';

/** Any constant: instances that start together take turns at migrating. */
const MIGRATION_LOCK = 7_322_001;

/** Runs pending migrations; several instances on one PostgreSQL migrate one at a time. */
export async function runMigrations(dataSource: DataSource): Promise<void> {
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  const embedded = (dataSource.options as { extra?: { max?: number } }).extra?.max === 1;
  try {
    // The embedded database has a single session: nobody to race, and a held lock would block it.
    if (!embedded) await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    if (embedded) await lock.release();
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    if (!embedded) {
      await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
      await lock.release();
    }
  }
}
