import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('HTTP edges every route inherits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers health with the database up', async () => {
    const res = await t.http().get('/api/health').expect(200);
    expect(res.body).toEqual({ status: 'ok', database: 'up' });
    expect(res.headers['x-request-id']).toMatch(/^[\w-]{8,}$/);
  });

  it('keeps a well-formed caller request id', async () => {
    const res = await t.http().get('/api/health').set('x-request-id', 'abc-123-def-456');
    expect(res.headers['x-request-id']).toBe('abc-123-def-456');
  });

  it('turns an unknown route into a 404 in the error format', async () => {
    const res = await t.http().get('/api/no-such-thing').expect(404);
    expect(res.body).toEqual({ statusCode: 404, code: 'NOT_FOUND', message: expect.any(String) });
  });

  it('refuses a body over 1 MB with 413', async () => {
    const big = JSON.stringify({ email: 'a'.repeat(1024 * 1024 + 10) });
    const res = await t
      .http()
      .post('/api/auth/login')
      .set('content-type', 'application/json')
      .send(big)
      .expect(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it.each(['{"email": ', '{"a":1}}', "{'a':1}", 'null', '"x"'])(
    'refuses malformed JSON %p with 400',
    async (body) => {
      const res = await t
        .http()
        .post('/api/auth/login')
        .set('content-type', 'application/json')
        .send(body)
        .expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'INVALID_JSON' });
      expect(JSON.stringify(res.body)).not.toMatch(/at \w+ \(|node_modules|SELECT/);
    },
  );

  it.each([
    ['__proto__', '{"email":"a@b.se","password":"x","__proto__":{"admin":true}}'],
    ['constructor', '{"email":"a@b.se","password":"x","constructor":{"prototype":{}}}'],
    ['nested __proto__', '{"email":"a@b.se","password":{"__proto__":{}}}'],
  ])('refuses a %s key on every route with 400', async (_name, body) => {
    const res = await t
      .http()
      .post('/api/auth/login')
      .set('content-type', 'application/json')
      .send(body)
      .expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });

  it.each([
    [
      'arrays',
      (n: number) => `{"email":"a@b.se","password":"x","p":${'['.repeat(n)}${']'.repeat(n)}}`,
    ],
    [
      'objects',
      (n: number) => `{"email":"a@b.se","password":"x","p":${'{"a":'.repeat(n)}1${'}'.repeat(n)}}`,
    ],
  ])(
    'refuses a body of deeply nested %s (10 kB) with 400, not a stack overflow',
    async (_name, make) => {
      const res = await t
        .http()
        .post('/api/auth/login')
        .set('content-type', 'application/json')
        .send(make(5000))
        .expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    },
  );

  it('refuses a body that is not JSON with 415, and stores nothing', async () => {
    const account = {
      email: 'text-plain@example.se',
      password: 'ett-långt-lösenord',
      displayName: 'Åsa Öberg',
    };
    const res = await t
      .http()
      .post('/api/auth/register')
      .set('content-type', 'text/plain')
      .send(JSON.stringify(account))
      .expect(415);
    expect(res.body).toEqual({
      statusCode: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'Request bodies must be JSON (Content-Type: application/json), not text/plain',
    });
    const { email, password } = account;
    const login = await t.http().post('/api/auth/login').send({ email, password }).expect(401);
    expect(login.body.code).toBe('INVALID_CREDENTIALS');
  });

  it('refuses a body without a Content-Type with 415, saying what to send', async () => {
    // A byte body: fetch names no type for it.
    const bytes = new TextEncoder().encode(JSON.stringify({ email: 'a@b.se', password: 'x' }));
    const res = await fetch(`${t.url}/api/auth/login`, { method: 'POST', body: bytes });
    expect(res.status).toBe(415);
    expect(await res.json()).toEqual({
      statusCode: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'Request bodies must be JSON (Content-Type: application/json)',
    });
  });

  it('takes an empty JSON body as no body: a validation error, not a parse error', async () => {
    const res = await t
      .http()
      .post('/api/auth/login')
      .set('content-type', 'application/json')
      .send('')
      .expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });

  it('answers a malformed URL with 400 in the error format', async () => {
    const res = await t.http().get('/api/ideas/%E0%A4%A').expect(400);
    expect(res.body).toEqual({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: expect.any(String),
    });
  });

  it('finds a route with a trailing slash, and answers HEAD for a GET route', async () => {
    expect((await t.http().get('/api/health/').expect(200)).body.status).toBe('ok');
    const head = await t.http().head('/api/regions').expect(200);
    expect(head.headers['content-type']).toMatch(/^application\/json/);
  });

  it('serves responses gzipped to clients that accept it', async () => {
    const res = await t.http().get('/api/docs-json').set('accept-encoding', 'gzip').expect(200);
    expect(res.headers['content-encoding']).toBe('gzip');
  });

  it('answers writes uncompressed, even a long answer', async () => {
    const unknown = Object.fromEntries(
      Array.from({ length: 60 }, (_, i) => [`okänd_egenskap_nummer_${i}`, i]),
    );
    const res = await t
      .http()
      .post('/api/auth/login')
      .set('accept-encoding', 'gzip')
      .send({ email: 'a@example.se', password: 'ett-långt-lösenord', ...unknown })
      .expect(400);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(Number(res.headers['content-length'])).toBeGreaterThan(1024);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });

  it('publishes OpenAPI at /api/docs-json and the UI at /api/docs', async () => {
    const json = await t.http().get('/api/docs-json').expect(200);
    expect(json.body.openapi).toMatch(/^3\./);
    expect(json.body.paths['/api/health']).toBeDefined();
    const ui = await t.http().get('/api/docs').expect(200);
    expect(ui.text).toContain('swagger');
  });

  it('serves the seeded regions', async () => {
    const res = await t.http().get('/api/regions').expect(200);
    expect(res.body).toContainEqual({
      code: 'SE224',
      name: 'Skåne län',
      kind: 'county',
      parentCode: 'SE22',
    });
  });

  it('answers 503 in the error shape, never a 500, when the database is gone', async () => {
    // The connection pool goes away under the running server (a real outage of a PostgreSQL
    // server is in the fault suite, `npm run test:faults`).
    await t.dataSource.destroy();
    const health = await t.http().get('/api/health').expect(503);
    expect(health.body).toMatchObject({ status: 'unavailable', database: 'down' });
    const res = await t.http().get('/api/regions').expect(503);
    expect(res.body).toEqual({ statusCode: 503, code: 'UNAVAILABLE', message: expect.any(String) });
  });
});

describe('the web client beside the API', () => {
  let t: TestApp;
  let root: string;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'edp-web-'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>EDP</title>');
    writeFileSync(join(root, 'app.js'), 'console.log("hej");');
    // A file where an API route lives must never shadow the route.
    mkdirSync(join(root, 'api'));
    writeFileSync(join(root, 'api', 'health'), 'not the API');
    t = await createTestApp({ webRoot: root });
  });
  afterAll(async () => {
    await t.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves its files, and index.html for its client-side routes', async () => {
    expect((await t.http().get('/').expect(200)).text).toContain('<title>EDP</title>');
    expect((await t.http().get('/app.js').expect(200)).text).toBe('console.log("hej");');
    const route = await t.http().get('/processes/123/ideas').expect(200);
    expect(route.text).toContain('<title>EDP</title>');
  });

  it('lets the assets be cached, never index.html (it names the current build)', async () => {
    expect((await t.http().get('/app.js').expect(200)).headers['cache-control']).toBe(
      'public, max-age=3600',
    );
    for (const path of ['/', '/index.html', '/processes/123/ideas']) {
      const res = await t.http().get(path).expect(200);
      expect(res.headers['cache-control']).toBe('public, max-age=0');
    }
  });

  it('never serves a file outside its folder', async () => {
    for (const path of ['/../package.json', '/%2e%2e/%2e%2e/package.json', '/..%2fpackage.json']) {
      const res = await t.http().get(path);
      expect(res.text).not.toContain('"dependencies"');
    }
  });

  it('leaves /api to the API, found or not', async () => {
    expect((await t.http().get('/api/health').expect(200)).body).toEqual({
      status: 'ok',
      database: 'up',
    });
    const missing = await t.http().get('/api/no-such-thing').expect(404);
    expect(missing.body.code).toBe('NOT_FOUND');
  });
});

describe('the request log at info', () => {
  let t: TestApp;
  const lines: Record<string, unknown>[] = [];
  beforeAll(async () => {
    const logger = pino(
      { level: 'info' },
      { write: (line: string) => lines.push(JSON.parse(line)) },
    );
    t = await createTestApp({}, { logger });
  });
  afterAll(async () => {
    await t.close();
  });

  it('writes one line per request, with its id and path but not its query, none for health', async () => {
    lines.length = 0;
    const res = await t.http().get('/api/regions?q=hemlig-sökning').expect(200);
    await t.http().get('/api/health').expect(200);
    await t.http().get('/api/no-such-thing').expect(404);
    const requests = lines.filter((line) => line.msg === 'request completed');
    expect(requests).toEqual([
      expect.objectContaining({
        req: { id: res.headers['x-request-id'], method: 'GET', path: '/api/regions' },
        res: { statusCode: 200 },
        responseTime: expect.any(Number),
      }),
      expect.objectContaining({
        req: expect.objectContaining({ path: '/api/no-such-thing' }),
        res: { statusCode: 404 },
      }),
    ]);
    expect(JSON.stringify(lines)).not.toContain('hemlig');
  });
});
