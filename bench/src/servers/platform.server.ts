/**
 * The real platform (createApp, as main.ts builds it) in a child process, with the probe and
 * a few seeding commands: users are inserted straight into the database with tokens signed by
 * the platform's own TokenService (as test/support/factories.ts does), everything else goes
 * through the public API.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { pino } from 'pino';
import { loadConfig } from '@edp/common';
import { Organisation, PasswordHasher, TokenService, User, type Role } from '@edp/auth';
import { createTestDatabase, embeddedDatabaseOf } from '@edp/database';
import { createApp } from '../../../apps/api/src/app.factory.js';
import { installProbe } from '../probe.js';

const loaded = loadConfig({ ...process.env, PORT: '0' });
// The embedded database lives in memory for a run; nothing is written to a data folder.
const config = loaded.databaseUrl ? loaded : { ...loaded, dataDir: 'memory://' };
const snapshot = config.databaseUrl ? undefined : (await createTestDatabase(null)).embeddedSnapshot;
const app = await createApp(config, {
  database: snapshot ? { embeddedSnapshot: snapshot } : undefined,
  logger: pino({ level: config.logLevel }),
});
await app.listen(0, '127.0.0.1');
const dataSource = app.get<DataSource>(getDataSourceToken());
const tokens = app.get(TokenService);
let passwordHash: string | null = null;

async function seedUsers(args: Record<string, unknown>) {
  const count = Number(args.count);
  const role = String(args.role) as Role;
  const regionCode = (args.regionCode as string | undefined) ?? null;
  passwordHash ??= await app.get(PasswordHasher).hash('bench-password-not-used');
  const manager = dataSource.manager;
  const organisation = await manager.save(
    manager.create(Organisation, {
      name: `Bench ${role} AB`,
      helix: role === 'researcher' ? 'academia' : role === 'company' ? 'industry' : 'public',
      orgNumber: null,
      naceCode: null,
    }),
  );
  const made: { id: string; token: string }[] = [];
  const tag = Math.random().toString(36).slice(2, 8);
  for (let start = 0; start < count; start += 500) {
    const rows = Array.from({ length: Math.min(500, count - start) }, (_, k) =>
      manager.create(User, {
        email: `bench-${role}-${tag}-${start + k}@example.se`,
        passwordHash: passwordHash!,
        displayName: `Bänk ${role} ${start + k}`,
        role,
        regionCode,
        organisationId: organisation.id,
        disabled: false,
      }),
    );
    const saved = await manager.save(rows, { chunk: 100 });
    for (const user of saved) {
      made.push({ id: user.id, token: tokens.signAccess({ sub: user.id, role, regionCode }) });
    }
  }
  return made;
}

const probe = installProbe({
  seedUsers,
  sql: async (args) => dataSource.query(String(args.text), (args.params as unknown[]) ?? []),
  /** Writes the embedded database to a file, so the bare server can start from the same data. */
  dump: async (args) => {
    const pglite = embeddedDatabaseOf(dataSource);
    if (!pglite) throw new Error('dump is for the embedded database');
    const blob = await pglite.dumpDataDir('gzip');
    writeFileSync(String(args.file), Buffer.from(await blob.arrayBuffer()));
    return true;
  },
});
const address = app.getHttpServer().address() as { port: number };
probe.ready({ port: address.port });
process.on('SIGTERM', () => {
  void app.close().finally(() => process.exit(0));
});
