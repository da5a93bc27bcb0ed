import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import pg from 'pg';
import { DataSource, type DataSourceOptions, type MixedList, type EntitySchema } from 'typeorm';
import { MIGRATIONS } from './migrations/index.js';

export interface DatabaseOptions {
  /** null → embedded PGlite. */
  databaseUrl: string | null;
  /** PGlite data folder, or `memory://` for a throwaway database. */
  dataDir: string;
  statementTimeoutMs: number;
  /** A PGlite data-dir tarball to start from (tests load a migrated snapshot). */
  embeddedSnapshot?: Blob;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  poolSize?: number;
}

export interface EdpDataSource {
  dataSource: DataSource;
  /** The in-process database, when embedded. */
  pglite: PGlite | null;
}

/** Time beyond the server's statement timeout before the client stops waiting for an answer. */
const CLIENT_TIMEOUT_MARGIN_MS = 2000;

/**
 * A pg client that closes its connection when a query times out on the client side: the
 * query is still outstanding on the wire, so the connection must not go back to the pool.
 */
class BoundedClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    const query = this.query.bind(this) as (...args: unknown[]) => unknown;
    const stream = () =>
      (this as unknown as { connection: { stream: { destroy(): void } } }).connection.stream;
    Object.assign(this, {
      query: (...args: unknown[]) => {
        const result = query(...args);
        if (!(result instanceof Promise)) return result;
        return result.catch((error: unknown) => {
          if (error instanceof Error && error.message === 'Query read timeout') {
            stream().destroy();
            // The SQLSTATE of a cancelled statement: callers answer 503 UNAVAILABLE, as for a server-side timeout.
            Object.assign(error, { code: '57014' });
          }
          throw error;
        });
      },
    });
  }
}

export async function createEmbeddedDatabase(dataDir: string, snapshot?: Blob): Promise<PGlite> {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  return PGlite.create({
    dataDir,
    loadDataDir: snapshot,
    extensions: { pg_trgm },
  });
}

export async function buildDataSource(options: DatabaseOptions): Promise<EdpDataSource> {
  const common: Partial<DataSourceOptions> = {
    entities: options.entities,
    migrations: MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    logging: false,
  };
  if (options.databaseUrl) {
    const dataSource = new DataSource({
      ...common,
      type: 'postgres',
      url: options.databaseUrl,
      uuidExtension: 'pgcrypto',
      installExtensions: false,
      applicationName: 'edp-api',
      extra: {
        max: options.poolSize ?? 20,
        connectionTimeoutMillis: 5000,
        // statement_timeout only works while the server hears us. A reply lost to a network
        // partition would hold a pooled connection forever; this gives up on it and drops it.
        Client: BoundedClient,
        query_timeout: options.statementTimeoutMs + CLIENT_TIMEOUT_MARGIN_MS,
        keepAlive: true,
        statement_timeout: options.statementTimeoutMs,
        lock_timeout: options.statementTimeoutMs,
        idle_in_transaction_session_timeout: Math.max(options.statementTimeoutMs * 4, 60000),
      },
    } as DataSourceOptions);
    return { dataSource, pglite: null };
  }
  const pglite = await createEmbeddedDatabase(options.dataDir, options.embeddedSnapshot);
  await pglite.exec(`SET statement_timeout = ${Number(options.statementTimeoutMs)}`);
  const dataSource = new DataSource({
    ...common,
    type: 'postgres',
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    // PGlite is a single session: one connection, shared by every request in turn.
    extra: { ...createPgConfig(pglite), max: 1, connectionTimeoutMillis: 30000 },
  } as DataSourceOptions);
  return { dataSource, pglite };
}
