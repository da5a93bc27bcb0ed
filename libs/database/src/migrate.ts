import { DataSource } from 'typeorm';
import { MIGRATIONS } from './migrations/index.js';

/** Any constant: instances that start together take turns at migrating. */
const MIGRATION_LOCK = 7_322_001;

/**
 * Runs pending migrations outside the request timeouts: a migration of a large table may
 * rightly take minutes, and an instance may wait that long for another one's lock.
 * On PostgreSQL it uses a connection of its own, and instances migrate one at a time.
 */
export async function runMigrations(dataSource: DataSource): Promise<void> {
  const options = dataSource.options as { url?: string; extra?: { max?: number } };
  if (!options.url) {
    await runEmbeddedMigrations(dataSource);
    return;
  }
  const migrator = new DataSource({
    type: 'postgres',
    url: options.url,
    migrations: MIGRATIONS,
    applicationName: 'edp-migrations',
    extra: { max: 1 },
  });
  await migrator.initialize();
  try {
    await migrator.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await migrator.runMigrations({ transaction: 'each' });
    } finally {
      await migrator.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    await migrator.destroy();
  }
}

/** The embedded database is one session: lift its statement timeout while migrating, then restore it. */
async function runEmbeddedMigrations(dataSource: DataSource): Promise<void> {
  const [{ statement_timeout: timeout }] =
    await dataSource.query<{ statement_timeout: string }[]>('SHOW statement_timeout');
  await dataSource.query('SET statement_timeout = 0');
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.query(`SELECT set_config('statement_timeout', $1, false)`, [timeout]);
  }
}
