import type { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { pino, type Logger } from 'pino';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '@edp/common';
import { createTestDatabase, type TestDatabase } from '@edp/database';
import { createApp } from '../../apps/api/src/app.factory.js';

export interface TestApp {
  app: INestApplication;
  /** `http://127.0.0.1:<port>` of the listening server. */
  url: string;
  http: () => ReturnType<typeof request>;
  dataSource: DataSource;
  config: AppConfig;
  close(): Promise<void>;
}

/** The suite runs on PostgreSQL when DATABASE_URL names a server, else on the embedded database. */
export function testDatabase(): Promise<TestDatabase> {
  return createTestDatabase(process.env.DATABASE_URL ?? null);
}

export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return {
    port: 0,
    nodeEnv: 'test',
    databaseUrl: null,
    dataDir: 'memory://',
    redisUrl: null,
    jwtSecret: 'test-secret-that-is-long-enough-0123456789',
    adminEmail: null,
    adminPassword: null,
    corsOrigins: [],
    logLevel: 'silent',
    statementTimeoutMs: 10000,
    webRoot: null,
    trustProxy: ['loopback'],
    ...overrides,
  };
}

/** The whole platform on a fresh, migrated database of its own, listening on a loopback port. */
export async function createTestApp(
  overrides: Partial<AppConfig> = {},
  options: {
    logger?: Logger;
    database?: TestDatabase;
    /** Runs after the app is built, before its routes are registered (at listen). */
    beforeListen?: (app: INestApplication) => void;
  } = {},
): Promise<TestApp> {
  const database = options.database ?? (await testDatabase());
  const config = testConfig({ databaseUrl: database.databaseUrl, ...overrides });
  const app = await createApp(config, {
    database: { embeddedSnapshot: database.embeddedSnapshot, poolSize: 10 },
    logger: options.logger ?? pino({ level: 'silent' }),
  });
  options.beforeListen?.(app);
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1').replace('localhost', '127.0.0.1');
  const dataSource = app.get<DataSource>(getDataSourceToken());
  return {
    app,
    url,
    http: () => request(app.getHttpServer()),
    dataSource,
    config,
    async close() {
      await app.close();
      if (!options.database) await database.drop();
    },
  };
}
