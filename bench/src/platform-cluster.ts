import { createTestDatabase } from '@edp/database';
import { ServerProcess } from './server-process.js';

export interface PlatformCluster {
  servers: ServerProcess[];
  /** Name of the PostgreSQL database, or null on the embedded one. */
  database: string | null;
  stop(): Promise<void>;
}

/**
 * One or more platform instances on a fresh database of their own: a migrated copy on the
 * PostgreSQL server at DATABASE_URL (dropped afterwards), else the embedded database.
 */
export async function startPlatform(
  env: Record<string, string>,
  instances = 1,
  redisUrl = '',
): Promise<PlatformCluster> {
  if (instances > 1 && !process.env.DATABASE_URL) {
    throw new Error('several instances need one shared PostgreSQL (set DATABASE_URL)');
  }
  const database = process.env.DATABASE_URL
    ? await createTestDatabase(process.env.DATABASE_URL)
    : null;
  const servers: ServerProcess[] = [];
  const stop = async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await database?.drop();
  };
  try {
    // One after the other: the first one runs the migrations.
    for (let i = 0; i < instances; i++) {
      const { server } = await ServerProcess.start(`platform-${i}`, 'platform.server', {
        ...env,
        DATABASE_URL: database?.databaseUrl ?? '',
        REDIS_URL: redisUrl,
      });
      servers.push(server);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    servers,
    database: database ? new URL(database.databaseUrl!).pathname.slice(1) : null,
    stop,
  };
}
