import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';

interface Service {
  build?: unknown;
  image?: string;
  environment?: Record<string, string>;
  ports?: string[];
}

// Docker cannot run on these machines, so the scale-out topology is checked by reading it.
const compose = parse(readFileSync('docker-compose.yml', 'utf8')) as {
  services: Record<string, Service>;
  configs: Record<string, { content: string }>;
};
const apis = Object.entries(compose.services).filter(([, service]) => service.build !== undefined);

describe('docker-compose scale-out', () => {
  it('runs two api instances with the same settings on one PostgreSQL and one Redis', () => {
    expect(apis.length).toBeGreaterThanOrEqual(2);
    const [first, ...others] = apis.map(([, api]) => api.environment);
    for (const environment of others) expect(environment).toEqual(first);
    expect(first?.REDIS_URL).toBe('redis://redis:6379');
  });

  it('puts a proxy with cookie-sticky sessions in front of every api instance', () => {
    const proxy = compose.services.proxy;
    expect(proxy.image).toMatch(/^haproxy:/);
    expect(proxy.ports).toContain('8080:8080');
    const config = compose.configs.haproxy.content;
    expect(config).toMatch(/^\s*cookie EDP_API insert/m);
    expect(config).toMatch(/timeout tunnel/); // websockets outlive ordinary request timeouts
    for (const [name] of apis) {
      expect(config).toMatch(new RegExp(`^\\s*server \\w+ ${name}:3000 check cookie \\w+`, 'm'));
    }
  });
});
