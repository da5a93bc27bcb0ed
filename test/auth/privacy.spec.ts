import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import type { Response } from 'supertest';
import { Factory, type MadeUser } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const PASSWORD = 'hemligt-lösenord-åäö-42';

describe('privacy: no one else’s e-mail, no hash or token in responses or logs', () => {
  let t: TestApp;
  let f: Factory;
  const logLines: string[] = [];
  const responses: Response[] = [];
  const record = (res: Response) => {
    responses.push(res);
    return res;
  };
  let admin: MadeUser;
  let region: MadeUser;
  let facilitator: MadeUser;

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString('utf8'));
        done();
      },
    });
    // The app's own logger (and its redaction) at the most verbose level, written into memory.
    t = await createTestApp(
      { logLevel: 'trace' },
      {
        logger: pino(
          {
            level: 'trace',
            redact: {
              paths: (await import('@edp/common')).REDACTED_PATHS,
              censor: '[redacted]',
            },
          },
          sink,
        ),
      },
    );
    f = new Factory(t);
    admin = await f.user({ role: 'admin' });
    region = await f.user({ role: 'region', regionCode: 'SE224' });
    facilitator = await f.user({ role: 'facilitator', regionCode: 'SE224' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('exercises every account route, then finds no secret in any response or log line', async () => {
    const http = () => t.http();
    const registered = record(
      await http()
        .post('/api/auth/register')
        .set('User-Agent', 'privacy-test')
        .send({
          email: 'Integritet@Exempel.se',
          password: PASSWORD,
          displayName: 'Ingrid Integritet',
          role: 'researcher',
        })
        .expect(201),
    );
    const { accessToken, refreshToken } = registered.body as Record<string, string>;
    record(
      await http()
        .post('/api/auth/login')
        .send({ email: 'integritet@exempel.se', password: 'fel-lösenord-123' })
        .expect(401),
    );
    const login = record(
      await http()
        .post('/api/auth/login')
        .send({ email: 'integritet@exempel.se', password: PASSWORD })
        .expect(200),
    );
    const refreshed = record(
      await http()
        .post('/api/auth/refresh')
        .send({ refreshToken: login.body.refreshToken })
        .expect(200),
    );
    record(
      await http()
        .post('/api/auth/refresh')
        .send({ refreshToken: login.body.refreshToken })
        .expect(401),
    );
    record(
      await http().get('/api/auth/me').set('Authorization', `Bearer ${accessToken}`).expect(200),
    );
    const created = record(
      await http()
        .post('/api/users')
        .set(region.auth)
        .send({
          email: 'ny.facilitator@region.se',
          password: PASSWORD,
          displayName: 'Ny Facilitator',
          role: 'facilitator',
        })
        .expect(201),
    );
    const renamed = record(
      await http()
        .patch(`/api/users/${facilitator.user.id}`)
        .set(region.auth)
        .send({ displayName: 'Fia Ny' })
        .expect(200),
    );
    const byAdmin = record(
      await http()
        .patch(`/api/users/${facilitator.user.id}`)
        .set(admin.auth)
        .send({ displayName: 'Fia Nyare' })
        .expect(200),
    );
    record(
      await http()
        .post('/api/auth/logout')
        .set('Authorization', `Bearer ${accessToken}`)
        .send({ refreshToken })
        .expect(204),
    );
    record(
      await http().get('/api/auth/me').set('Authorization', 'Bearer forged.token.here').expect(401),
    );

    // Region staff never see another user's address; admins do; everyone sees their own.
    expect(created.body).not.toHaveProperty('email');
    expect(renamed.body).not.toHaveProperty('email');
    expect(byAdmin.body.email).toBe(facilitator.user.email);
    expect(registered.body.user.email).toBe('integritet@exempel.se');

    const secrets = [
      PASSWORD,
      facilitator.password,
      accessToken,
      refreshToken,
      login.body.accessToken,
      login.body.refreshToken,
      refreshed.body.refreshToken,
      refreshed.body.accessToken,
      region.token,
      admin.token,
    ];
    const leaks = (text: string) => [
      ...secrets.filter((secret) => text.includes(secret)),
      ...(/\$argon2|password_?hash/i.exec(text) ?? []),
    ];

    const ownTokens = new Set([
      accessToken,
      refreshToken,
      login.body.accessToken,
      login.body.refreshToken,
      refreshed.body.accessToken,
      refreshed.body.refreshToken,
    ]);
    for (const res of responses) {
      const text = JSON.stringify(res.body) + JSON.stringify(res.headers);
      // A session's own tokens are returned once, by the call that issued them; nothing else.
      const found = leaks(text).filter((secret) => !ownTokens.has(secret));
      expect({ url: res.request.url, found }).toEqual({ url: res.request.url, found: [] });
      expect(text).not.toContain(region.token);
    }

    const log = logLines.join('');
    expect(logLines.length).toBeGreaterThan(10); // request lines were really captured
    expect(log).toContain('/api/auth/login');
    expect(leaks(log)).toEqual([]);
    expect(log).not.toContain('integritet@exempel.se');
  });
});
