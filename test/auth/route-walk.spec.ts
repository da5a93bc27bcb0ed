import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RequestMethod, type INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { ACCESS_KEY, TokenService, type AccessRule } from '@edp/auth';
import { createTestApp, type TestApp } from '../support/test-app.js';

interface DiscoveredRoute {
  method: string;
  path: string;
  handler: string;
  rule: AccessRule | undefined;
}

const join = (...parts: string[]) =>
  `/${parts
    .flatMap((part) => part.split('/'))
    .filter(Boolean)
    .join('/')}`;

/** Every HTTP handler of every controller in the running app, with its declared access rule. */
function discoverRoutes(t: TestApp): DiscoveredRoute[] {
  const discovery = new DiscoveryService(t.app.get(ModulesContainer));
  const scanner = new MetadataScanner();
  const reflector = new Reflector();
  const routes: DiscoveredRoute[] = [];
  for (const wrapper of discovery.getControllers()) {
    const controller = wrapper.metatype as (new (...args: never[]) => unknown) | undefined;
    if (!controller) continue;
    const prefixes = [reflector.get<string | string[]>(PATH_METADATA, controller) ?? '/'].flat();
    for (const name of scanner.getAllMethodNames(controller.prototype)) {
      const handler = (controller.prototype as Record<string, unknown>)[name] as () => unknown;
      const paths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
      if (paths === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
      const rule = reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, [
        handler,
        controller,
      ]);
      for (const prefix of prefixes) {
        for (const path of [paths].flat()) {
          routes.push({
            method,
            path: join('api', prefix, path),
            handler: `${controller.name}.${name}`,
            rule,
          });
        }
      }
    }
  }
  return routes;
}

/** Records the routes Fastify is given from here on (Nest registers every handler as one). */
function recordServedRoutes(app: INestApplication): { method: string; path: string }[] {
  const served: { method: string; path: string }[] = [];
  const fastify = app.getHttpAdapter().getInstance() as FastifyInstance;
  fastify.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) served.push({ method, path: route.url });
  });
  return served;
}

describe('every route declares its access', () => {
  let t: TestApp;
  let routes: DiscoveredRoute[];
  let served: { method: string; path: string }[] = [];

  beforeAll(async () => {
    t = await createTestApp({}, { beforeListen: (app) => (served = recordServedRoutes(app)) });
    routes = discoverRoutes(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('finds the routes of every lib, including this issue', () => {
    const keys = routes.map((route) => `${route.method} ${route.path}`);
    expect(keys).toEqual(
      expect.arrayContaining([
        'POST /api/auth/register',
        'POST /api/auth/login',
        'POST /api/auth/refresh',
        'POST /api/auth/logout',
        'GET /api/auth/me',
        'PATCH /api/auth/me',
        'POST /api/users',
        'PATCH /api/users/:id',
        'GET /api/regions',
        'POST /api/regions',
        'GET /api/health',
      ]),
    );
  });

  it('has no handler without @Public, @RequirePermissions or @AllowGuests', () => {
    const undeclared = routes.filter((route) => !route.rule).map((route) => route.handler);
    expect(undeclared).toEqual([]);
  });

  it('discovered every route Fastify serves under /api (nothing registered around Nest)', () => {
    const known = new Set(routes.map((route) => `${route.method} ${route.path}`));
    const underApi = served
      .filter((route) => route.path.startsWith('/api') && !route.path.startsWith('/api/docs'))
      // Fastify answers HEAD for every GET route, with that route's handler and guards.
      .map((route) => `${route.method === 'HEAD' ? 'GET' : route.method} ${route.path}`);
    expect(underApi.length).toBeGreaterThanOrEqual(routes.length);
    expect(underApi.filter((route) => !known.has(route))).toEqual([]);
  });

  it('refuses a guest token (401) on every route that does not allow guests', async () => {
    const guest = t.app.get(TokenService).signGuest({
      sub: randomUUID(),
      workshopId: randomUUID(),
      displayName: 'Gäst',
    });
    const closed = routes.filter(
      (route) => route.rule?.kind === 'permissions' && !route.rule.guests,
    );
    expect(closed.length).toBeGreaterThan(3);
    const answers: Record<string, number> = {};
    for (const route of closed) {
      const path = route.path.replace(/:\w+/g, randomUUID());
      const agent = t.http();
      const res = await agent[route.method.toLowerCase() as 'get'](path)
        .set('Authorization', `Bearer ${guest}`)
        .send({});
      answers[`${route.method} ${route.path}`] = res.status;
    }
    expect(answers).toEqual(Object.fromEntries(Object.keys(answers).map((key) => [key, 401])));
  });

  it('refuses an anonymous caller (401) on every route that is not public', async () => {
    const closed = routes.filter((route) => route.rule?.kind === 'permissions');
    const answers: Record<string, number> = {};
    for (const route of closed) {
      const path = route.path.replace(/:\w+/g, randomUUID());
      const agent = t.http();
      const res = await agent[route.method.toLowerCase() as 'get'](path).send({});
      answers[`${route.method} ${route.path}`] = res.status;
    }
    expect(answers).toEqual(Object.fromEntries(Object.keys(answers).map((key) => [key, 401])));
  });

  it('documents the access rule of every operation in OpenAPI (x-access)', async () => {
    const doc = await t.http().get('/api/docs-json').expect(200);
    const operations = Object.entries(
      doc.body.paths as Record<string, Record<string, Record<string, unknown>>>,
    ).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        key: `${method.toUpperCase()} ${path}`,
        access: operation['x-access'],
      })),
    );
    expect(operations.length).toBeGreaterThanOrEqual(routes.length);
    expect(operations.filter((op) => typeof op.access !== 'string' || !op.access)).toEqual([]);
    expect(operations).toEqual(
      expect.arrayContaining([
        { key: 'POST /api/auth/login', access: 'public' },
        { key: 'POST /api/regions', access: 'region:create' },
        { key: 'PATCH /api/users/{id}', access: 'user:update' },
      ]),
    );
  });
});
