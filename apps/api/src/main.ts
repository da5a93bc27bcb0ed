import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { ConfigError, createPino, loadConfig } from '@edp/common';
import { createApp } from './app.factory.js';

/** Longer than the gateway's drain (5 s) plus closing the pools. */
const SHUTDOWN_TIMEOUT_MS = 20000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const logger = createPino(config.logLevel);
  const app = await createApp(config, { logger });
  // A shutdown that cannot finish (a dependency that never answers) must still end the process.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => {
        logger.error({ signal }, `Shutdown took over ${SHUTDOWN_TIMEOUT_MS} ms; exiting`);
        process.exit(1);
      }, SHUTDOWN_TIMEOUT_MS).unref();
    });
  }
  await app.listen(config.port, '0.0.0.0');
  // The port bound, which PORT=0 leaves to the system.
  const { port } = app.getHttpServer().address() as AddressInfo;
  logger.info(
    {
      port,
      database: config.databaseUrl ? 'postgresql' : `embedded (${config.dataDir})`,
      redis: config.redisUrl ? 'on' : 'off',
    },
    `EDP Platform listening on http://localhost:${port}`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Start-up failed: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
