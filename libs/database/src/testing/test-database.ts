import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { buildDataSource } from '../data-source.factory.js';
import { MIGRATIONS } from '../migrations/index.js';

export interface TestDatabase {
  /** PostgreSQL URL of a fresh database, or null for the embedded back-end. */
  databaseUrl: string | null;
  /** A migrated PGlite snapshot to start from (embedded back-end). */
  embeddedSnapshot?: Blob;
  drop(): Promise<void>;
}

const CACHE_DIR = join(process.cwd(), '.cache');

/** Changes whenever the list of migrations changes, so a stale snapshot is never reused. */
function migrationsHash(): string {
  return createHash('sha256')
    .update(MIGRATIONS.map((migration) => migration.name).join(','))
    .digest('hex')
    .slice(0, 12);
}

async function embeddedSnapshot(): Promise<Blob> {
  const file = join(CACHE_DIR, `pglite-${migrationsHash()}.tar.gz`);
  if (!existsSync(file)) {
    const { dataSource, pglite } = await buildDataSource({
      databaseUrl: null,
      dataDir: 'memory://',
      statementTimeoutMs: 60000,
      entities: [],
    });
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    await dataSource.destroy();
    const dump = await pglite!.dumpDataDir('gzip');
    await pglite!.close();
    mkdirSync(CACHE_DIR, { recursive: true });
    // Written aside and renamed, so a parallel worker never reads half a file.
    const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    renameSync(partial, file);
  }
  return new Blob([readFileSync(file)]);
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** One migrated template per migration set; each test file copies it (fast) into its own database. */
async function postgresDatabase(serverUrl: string): Promise<TestDatabase> {
  const template = `edp_tpl_${migrationsHash()}`;
  const admin = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  try {
    await admin.query('SELECT pg_advisory_lock(7322002)');
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
    if (exists.rowCount === 0) {
      await admin.query(
        `CREATE DATABASE "${template}" ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0`,
      );
      const { dataSource } = await buildDataSource({
        databaseUrl: withDatabase(serverUrl, template),
        dataDir: '',
        statementTimeoutMs: 60000,
        entities: [],
        poolSize: 1,
      });
      await dataSource.initialize();
      await dataSource.runMigrations({ transaction: 'each' });
      await dataSource.destroy();
    }
    const name = `edp_t_${process.pid}_${randomBytes(4).toString('hex')}`;
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
    await admin.query('SELECT pg_advisory_unlock(7322002)');
    return {
      databaseUrl: withDatabase(serverUrl, name),
      async drop() {
        const client = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await client.end();
      },
    };
  } finally {
    await admin.end();
  }
}

/**
 * A fresh, migrated database for one test file: on the PostgreSQL server at `serverUrl` (a copy
 * of a migrated template), or, when it is null, the embedded database from a migrated snapshot.
 */
export async function createTestDatabase(serverUrl: string | null): Promise<TestDatabase> {
  if (serverUrl) return postgresDatabase(serverUrl);
  return { databaseUrl: null, embeddedSnapshot: await embeddedSnapshot(), drop: async () => {} };
}
