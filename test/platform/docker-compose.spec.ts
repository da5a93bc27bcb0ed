import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { CONFIG_VARIABLES, loadConfig } from '@edp/common';

interface Service {
  image?: string;
  build?: unknown;
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, unknown>;
}

// Docker cannot run on these machines, so the topology is checked by reading it.
const compose = parse(readFileSync('docker-compose.yml', 'utf8')) as {
  services: Record<string, Service>;
  configs?: Record<string, { content?: string }>;
};
const apis = Object.entries(compose.services).filter(([, service]) => service.build !== undefined);

describe('docker-compose.yml', () => {
  it('has PostgreSQL, Redis and at least one api', () => {
    expect(compose.services.postgres.image).toMatch(/^postgres:\d+/);
    expect(compose.services.redis.image).toMatch(/^redis:\d+/);
    expect(apis.length).toBeGreaterThanOrEqual(1);
  });

  it.each(apis)(
    '%s only sets variables from the configuration table, with valid values',
    (_name, api) => {
      const env = api.environment ?? {};
      for (const key of Object.keys(env)) expect(CONFIG_VARIABLES).toContain(key);
      expect(env.DATABASE_URL).toMatch(/@postgres:5432\//);
      expect(env.REDIS_URL).toBe('redis://redis:6379');
      const resolved = Object.fromEntries(
        Object.entries(env).map(([key, value]) => [key, value.startsWith('${') ? '' : value]),
      );
      const config = loadConfig({
        ...resolved,
        JWT_SECRET: 'x'.repeat(48),
        DATA_DIR: '/tmp/edp-compose-check',
      });
      expect(config.databaseUrl).toBe(env.DATABASE_URL);
    },
  );

  it.each(apis)('%s is reachable on the port it listens on', (name, api) => {
    const port = api.environment?.PORT ?? '3000';
    const published = (api.ports ?? []).map((mapping) => mapping.split(':').pop());
    const proxied = JSON.stringify(compose.configs ?? {}).includes(`${name}:${port}`);
    expect(published.includes(port) || proxied).toBe(true);
  });

  it.each(apis)('%s trusts the proxy in front of it for client addresses', (_name, api) => {
    const config = loadConfig({
      TRUST_PROXY: api.environment?.TRUST_PROXY,
      DATA_DIR: '/tmp/edp-compose-check',
    });
    // Docker's bridge networks are private ranges: without this every client shares the proxy's address.
    expect(config.trustProxy).toContain('uniquelocal');
  });

  it('uses the PostgreSQL credentials the api connects with', () => {
    const pg = compose.services.postgres.environment!;
    for (const [, api] of apis) {
      const url = new URL(api.environment!.DATABASE_URL);
      expect(url.username).toBe(pg.POSTGRES_USER);
      expect(url.password).toBe(pg.POSTGRES_PASSWORD);
      expect(url.pathname).toBe(`/${pg.POSTGRES_DB}`);
    }
  });
});
