import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ActorResolver, TokenService, User } from '@edp/auth';
import type { AppException } from '@edp/common';
import { Factory, type MadeUser } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Lookups that arrive together are read in one statement (ActorResolver): each caller must
 * still get exactly its own row, as it stands, and a refusal must stay the caller's own.
 */
describe('ActorResolver: many lookups at once', () => {
  let t: TestApp;
  let resolver: ActorResolver;
  let people: MadeUser[];

  beforeAll(async () => {
    t = await createTestApp();
    resolver = t.app.get(ActorResolver);
    const f = new Factory(t);
    people = [];
    for (let i = 0; i < 12; i++) {
      people.push(
        await f.user({
          role: (['company', 'researcher', 'facilitator', 'region'] as const)[i % 4],
          regionCode: i % 4 >= 2 ? (i % 2 ? 'SE224' : 'SE110') : null,
          displayName: `Användare ${i} – Åsa Östlund`,
        }),
      );
    }
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 50 concurrent lookups of 12 users (some twice at once) each with its own user', async () => {
    const asked = Array.from({ length: 50 }, (_, i) => people[(i * 7) % people.length]);
    const actors = await Promise.all(asked.map((person) => resolver.resolve(person.token)));
    actors.forEach((actor, i) => {
      const { user } = asked[i];
      expect(actor).toEqual({
        kind: 'user',
        id: user.id,
        role: user.role,
        regionCode: user.regionCode,
        displayName: user.displayName,
        organisationId: user.organisationId,
      });
    });
  });

  it('refuses only the disabled and the unknown among concurrent lookups, and reads a change at once', async () => {
    const [disabled, promoted, ...others] = people.slice(0, 6);
    await t.dataSource.manager.update(User, { id: disabled.user.id }, { disabled: true });
    await t.dataSource.manager.update(User, { id: promoted.user.id }, { role: 'agency' });
    const unknown = t.app
      .get(TokenService)
      .signAccess({ sub: randomUUID(), role: 'company', regionCode: null });
    const guest = t.app.get(TokenService).signGuest({
      sub: randomUUID(),
      workshopId: randomUUID(),
      displayName: 'Gäst',
    });
    const tokens = [disabled.token, promoted.token, unknown, guest, ...others.map((o) => o.token)];
    const outcomes = await Promise.allSettled(
      [...tokens, ...tokens].map((token) => resolver.resolve(token)),
    );
    const summary = outcomes.map((outcome) =>
      outcome.status === 'fulfilled'
        ? `${outcome.value.kind}:${outcome.value.kind === 'user' ? outcome.value.role : 'guest'}`
        : `${(outcome.reason as AppException).status} ${(outcome.reason as AppException).code}`,
    );
    const once = [
      '401 UNAUTHORIZED',
      'user:agency',
      '401 UNAUTHORIZED',
      'guest:guest',
      ...others.map((o) => `user:${o.user.role}`),
    ];
    expect(summary).toEqual([...once, ...once]);
    await t.dataSource.manager.update(User, { id: disabled.user.id }, { disabled: false });
    await expect(resolver.resolve(disabled.token)).resolves.toMatchObject({ id: disabled.user.id });
  });
});
