import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfig } from '@edp/common';
import { TokenService } from '@edp/auth';
import { buildDataSource, runMigrations } from '@edp/database';
import pg from 'pg';
import { FAULTS_JWT_SECRET } from './api-server.js';
import { PostgresServer } from './postgres-server.js';
import { recordSecret } from './run-dir.js';

export type Query = <T = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<T[]>;

/**
 * The database a scenario's servers run on: a throwaway PostgreSQL server, or an embedded
 * PGlite DATA_DIR. Both are migrated and given a region staff user before the first server starts.
 */
export interface Backend {
  kind: 'postgresql' | 'embedded';
  /** Environment for the api process (DATABASE_URL or DATA_DIR). */
  env: Record<string, string>;
  /** Access token of a `region` staff member of SE224. */
  staffToken: string;
  /**
   * Runs SQL against the data. On the embedded database only while no server holds it
   * (PGlite is one process's files).
   */
  withQuery<T>(work: (query: Query) => Promise<T>): Promise<T>;
  postgres: PostgresServer | null;
  /** The embedded database's folder (null on PostgreSQL). */
  dataDir: string | null;
  dispose(): void;
}

async function prepare(databaseUrl: string | null, dataDir: string): Promise<string> {
  const { dataSource, pglite } = await buildDataSource({
    databaseUrl,
    dataDir,
    statementTimeoutMs: 60000,
    entities: [],
    poolSize: 1,
  });
  await dataSource.initialize();
  try {
    await runMigrations(dataSource);
    const [staff] = await dataSource.query<{ id: string }[]>(
      `INSERT INTO users (email, password_hash, display_name, role, region_code)
       VALUES ($1, 'not-a-hash', 'Facilitatorn Åsa', 'region', 'SE224') RETURNING id`,
      [`staff-${Date.now()}@faults.example.se`],
    );
    const token = new TokenService({ jwtSecret: FAULTS_JWT_SECRET } as AppConfig).signAccess({
      sub: staff.id,
      role: 'region',
      regionCode: 'SE224',
    });
    recordSecret('access-token', token);
    return token;
  } finally {
    await dataSource.destroy();
    await pglite?.close();
  }
}

export async function postgresBackend(): Promise<Backend> {
  const server = await PostgresServer.create();
  const url = await server.createDatabase('edp_faults');
  const staffToken = await prepare(url, '');
  return {
    kind: 'postgresql',
    env: { DATABASE_URL: url },
    staffToken,
    postgres: server,
    dataDir: null,
    async withQuery(work) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return await work(async (sql, params = []) => (await client.query(sql, params)).rows);
      } finally {
        await client.end();
      }
    },
    dispose: () => server.destroy(),
  };
}

export async function embeddedBackend(): Promise<Backend> {
  const dir = mkdtempSync(join(tmpdir(), 'edp-faults-embedded-'));
  const dataDir = join(dir, 'data');
  const staffToken = await prepare(null, dataDir);
  return {
    kind: 'embedded',
    env: { DATA_DIR: dataDir },
    staffToken,
    postgres: null,
    dataDir,
    async withQuery(work) {
      const { dataSource, pglite } = await buildDataSource({
        databaseUrl: null,
        dataDir,
        statementTimeoutMs: 60000,
        entities: [],
      });
      await dataSource.initialize();
      try {
        return await work((sql, params = []) => dataSource.query(sql, params));
      } finally {
        await dataSource.destroy();
        await pglite?.close();
      }
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
