import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { JoinCodes, type WorkshopView } from '@edp/realtime';
import type { MadeUser } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { LiveFactory, clientId, connect, ok, send } from './live-support.js';

describe('Live workshops over HTTP: create, join, settings, results', () => {
  let t: TestApp;
  let live: LiveFactory;
  let facilitator: MadeUser;
  let processId: string;

  beforeAll(async () => {
    t = await createTestApp();
    live = new LiveFactory(t);
    facilitator = await live.users.user({ role: 'facilitator', regionCode: 'SE224' });
    processId = (await live.workshops.process({ regionCode: 'SE224' })).id;
  });
  afterAll(async () => {
    await t.close();
  });

  const create = (user: MadeUser, body: Record<string, unknown>, id = processId) =>
    t.http().post(`/api/processes/${id}/workshops`).set(user.auth).send(body);

  describe('POST /api/processes/:id/workshops', () => {
    it('creates a dots workshop in the lobby with a projector-safe join code', async () => {
      const res = await create(facilitator, {
        title: 'Verkstad i Malmö – åtgärder för hållbarhet',
        votingMode: 'dots',
        dotBudget: 7,
        maxDotsPerIdea: 3,
      }).expect(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        processId,
        title: 'Verkstad i Malmö – åtgärder för hållbarhet',
        joinCode: expect.stringMatching(/^[ABCDEFGHJKMNPQRSTUVWXYZ2-9]{6}$/),
        stage: 'lobby',
        votingMode: 'dots',
        dotBudget: 7,
        maxDotsPerIdea: 3,
        allowGuests: true,
        timerEndsAt: null,
        spotlightIdeaId: null,
        participantCount: 0,
      });
    });

    it('defaults to 5 dots, all usable on one idea; up mode has one vote per idea', async () => {
      const dots = await create(facilitator, { title: 'Standard', votingMode: 'dots' }).expect(201);
      expect(dots.body).toMatchObject({ dotBudget: 5, maxDotsPerIdea: 5, allowGuests: true });
      const up = await create(facilitator, {
        title: 'Tummen upp',
        votingMode: 'up',
        allowGuests: false,
      });
      expect(up.status).toBe(201);
      expect(up.body).toMatchObject({ votingMode: 'up', maxDotsPerIdea: 1, allowGuests: false });
    });

    it('never draws a code with I, L, O, 0 or 1 (200 codes)', () => {
      const codes = t.app.get(JoinCodes);
      for (let i = 0; i < 200; i++) expect(codes.next()).toMatch(/^[A-HJKMNP-Z2-9]{6}$/);
    });

    it('draws again when the code is taken by an open workshop, and reuses a closed one’s', async () => {
      const taken = (await create(facilitator, { title: 'Först', votingMode: 'dots' }))
        .body as WorkshopView;
      const codes = t.app.get(JoinCodes);
      const spy = jest.spyOn(codes, 'next').mockReturnValueOnce(taken.joinCode);
      const second = (await create(facilitator, { title: 'Andra', votingMode: 'dots' }).expect(201))
        .body as WorkshopView;
      expect(spy).toHaveBeenCalledTimes(2);
      expect(second.joinCode).not.toBe(taken.joinCode);
      spy.mockRestore();

      await t.dataSource.query(`UPDATE workshops SET stage = 'closed' WHERE id = $1`, [taken.id]);
      const reuse = jest.spyOn(codes, 'next').mockReturnValueOnce(taken.joinCode);
      const third = (await create(facilitator, { title: 'Tredje', votingMode: 'dots' }).expect(201))
        .body as WorkshopView;
      expect(third.joinCode).toBe(taken.joinCode);
      reuse.mockRestore();
    });

    it('the database refuses a second open workshop with the same code', async () => {
      const { workshop } = await live.workshop({ facilitator, processId });
      await expect(
        t.dataSource.query(
          `INSERT INTO workshops (process_id, region_code, title, join_code, voting_mode, dot_budget, max_dots_per_idea)
           VALUES ($1, 'SE224', 'dubblett', $2, 'dots', 5, 5)`,
          [processId, workshop.joinCode],
        ),
      ).rejects.toThrow(/UQ_workshops_join_code_open/);
    });

    it('lets admin, region staff and facilitators of the region create; others are refused', async () => {
      const admin = await live.users.user({ role: 'admin', regionCode: null });
      const region = await live.users.user({ role: 'region', regionCode: 'SE224' });
      await create(admin, { title: 'Admin', votingMode: 'up' }).expect(201);
      await create(region, { title: 'Region', votingMode: 'up' }).expect(201);

      const company = await live.users.user({ role: 'company' });
      const agency = await live.users.user({ role: 'agency', regionCode: null });
      expect((await create(company, { title: 'X', votingMode: 'up' })).status).toBe(403);
      expect((await create(agency, { title: 'X', votingMode: 'up' })).status).toBe(403);

      // Another region's staff: a published process is visible but not theirs to run.
      const stockholm = await live.users.user({ role: 'facilitator', regionCode: 'SE110' });
      const res = await create(stockholm, { title: 'X', votingMode: 'up' });
      expect(res.status).toBe(403);
      // ...and another region's draft does not exist for them.
      const draft = await live.workshops.process({ regionCode: 'SE224', phase: 'draft' });
      expect((await create(stockholm, { title: 'X', votingMode: 'up' }, draft.id)).status).toBe(
        404,
      );
      const guest = await live.guest(
        (await live.workshop({ facilitator, processId })).workshop.joinCode,
      );
      const asGuest = await t
        .http()
        .post(`/api/processes/${processId}/workshops`)
        .set({ Authorization: `Bearer ${guest.token}` })
        .send({ title: 'X', votingMode: 'up' });
      expect(asGuest.status).toBe(401);
      expect(
        (
          await t
            .http()
            .post(`/api/processes/${processId}/workshops`)
            .send({ title: 'X', votingMode: 'up' })
        ).status,
      ).toBe(401);
    });

    it.each([
      [{ votingMode: 'dots' }],
      [{ title: '', votingMode: 'dots' }],
      [{ title: 'a'.repeat(201), votingMode: 'dots' }],
      [{ title: 'Nul\u0000', votingMode: 'dots' }],
      [{ title: 'X', votingMode: 'stars' }],
      [{ title: 'X', votingMode: 'dots', dotBudget: 0 }],
      [{ title: 'X', votingMode: 'dots', dotBudget: 101 }],
      [{ title: 'X', votingMode: 'dots', dotBudget: 2.5 }],
      [{ title: 'X', votingMode: 'dots', dotBudget: '5' }],
      [{ title: 'X', votingMode: 'dots', dotBudget: 3, maxDotsPerIdea: 4 }],
      [{ title: 'X', votingMode: 'dots', allowGuests: 'yes' }],
      [{ title: 'X', votingMode: 'dots', joinCode: 'AAAAAA' }],
      [{ title: 'X', votingMode: 'dots', stage: 'voting' }],
    ])('refuses %j with 400 and stores nothing', async (body) => {
      const before = await t.dataSource.query(`SELECT count(*)::int AS n FROM workshops`);
      const res = await create(facilitator, body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        message: expect.any(String),
      });
      expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM workshops`)).toEqual(before);
    });

    it('answers 400 for a malformed process id and 404 for an unknown one', async () => {
      expect(
        (await create(facilitator, { title: 'X', votingMode: 'up' }, 'not-a-uuid')).status,
      ).toBe(400);
      const res = await create(
        facilitator,
        { title: 'X', votingMode: 'up' },
        '00000000-0000-4000-8000-000000000000',
      );
      expect(res.status).toBe(404);
    });
  });

  describe('GET /api/processes/:id/workshops', () => {
    it('lists every workshop of the process, newest first, to the region’s staff and admins', async () => {
      const own = (await live.workshops.process({ regionCode: 'SE224' })).id;
      const created: WorkshopView[] = [];
      for (const title of ['Första', 'Andra – åäö', 'Tredje']) {
        created.push(
          (await create(facilitator, { title, votingMode: 'dots' }, own).expect(201)).body,
        );
      }
      await t.dataSource.query(`UPDATE workshops SET stage = 'closed' WHERE id = $1`, [
        created[0].id,
      ]);
      await live.join(await live.users.user({ role: 'company' }), created[1].joinCode);
      // Another process's workshop is not in the list.
      await create(facilitator, { title: 'Annan process', votingMode: 'up' }).expect(201);

      const admin = await live.users.user({ role: 'admin', regionCode: null });
      const region = await live.users.user({ role: 'region', regionCode: 'SE224' });
      for (const staff of [facilitator, region, admin]) {
        const res = await t.http().get(`/api/processes/${own}/workshops`).set(staff.auth);
        expect(res.status).toBe(200);
        expect(res.body).toEqual(
          [...created].reverse().map((w) => ({
            ...w,
            stage: w.id === created[0].id ? 'closed' : 'lobby',
            participantCount: w.id === created[1].id ? 1 : 0,
          })),
        );
      }
      const empty = (await live.workshops.process({ regionCode: 'SE224' })).id;
      expect(
        (await t.http().get(`/api/processes/${empty}/workshops`).set(facilitator.auth).expect(200))
          .body,
      ).toEqual([]);
    });

    it('refuses others: 403 without the right or for another region’s published process, 404 for its draft, 401 for guests', async () => {
      const open = (await live.workshops.process({ regionCode: 'SE224' })).id;
      const draft = (await live.workshops.process({ regionCode: 'SE224', phase: 'draft' })).id;
      const { workshop } = await live.workshop({ facilitator, processId: open });
      const list = (id: string, auth?: Record<string, string>) =>
        auth
          ? t.http().get(`/api/processes/${id}/workshops`).set(auth)
          : t.http().get(`/api/processes/${id}/workshops`);
      const company = await live.users.user({ role: 'company' });
      const agency = await live.users.user({ role: 'agency', regionCode: null });
      const stockholm = await live.users.user({ role: 'facilitator', regionCode: 'SE110' });
      const guest = await live.guest(workshop.joinCode);
      const guestAuth = { Authorization: `Bearer ${guest.token}` };
      expect((await list(open, company.auth)).status).toBe(403);
      expect((await list(open, agency.auth)).status).toBe(403);
      expect((await list(open, stockholm.auth)).status).toBe(403);
      expect((await list(draft, stockholm.auth)).status).toBe(404);
      expect((await list(open, guestAuth)).status).toBe(401);
      expect((await list(open)).status).toBe(401);
      const malformed = await list('not-a-uuid', facilitator.auth);
      expect(malformed.status).toBe(400);
      expect(malformed.body.code).toBe('INVALID_ID');
      expect((await list('00000000-0000-4000-8000-000000000000', facilitator.auth)).status).toBe(
        404,
      );
    });
  });

  describe('POST /api/workshops/join', () => {
    it('gives a walk-in a guest token for that workshop, with the name byte-identical', async () => {
      const { workshop } = await live.workshop({ facilitator, processId });
      const name = 'Örjan Åkesson'.normalize('NFD');
      const res = await t
        .http()
        .post('/api/workshops/join')
        .send({
          code: ` ${workshop.joinCode.toLowerCase().slice(0, 3)}-${workshop.joinCode.slice(3)} `,
          displayName: name,
        })
        .expect(200);
      expect(res.body).toEqual({ workshopId: workshop.id, guestToken: expect.any(String) });
      const [row] = await t.dataSource.query(
        `SELECT display_name, user_id FROM workshop_participants WHERE workshop_id = $1`,
        [workshop.id],
      );
      expect(row).toEqual({ display_name: 'Örjan Åkesson'.normalize('NFC'), user_id: null });
      const view = await t
        .http()
        .get(`/api/workshops/${workshop.id}`)
        .set({ Authorization: `Bearer ${res.body.guestToken}` });
      expect(view.status).toBe(200);
      expect(view.body.participantCount).toBe(1);
    });

    it('lets a signed-in user join as itself, once however often it joins', async () => {
      const { workshop } = await live.workshop({ facilitator, processId });
      const company = await live.users.user({ role: 'company' });
      for (let i = 0; i < 3; i++) {
        const res = await t
          .http()
          .post('/api/workshops/join')
          .set(company.auth)
          .send({ code: workshop.joinCode });
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ workshopId: workshop.id });
      }
      const rows = await t.dataSource.query(
        `SELECT user_id FROM workshop_participants WHERE workshop_id = $1`,
        [workshop.id],
      );
      expect(rows).toEqual([{ user_id: company.user.id }]);
    });

    it('requires a login when guests are not allowed, and a name for a guest', async () => {
      const { workshop } = await live.workshop({ facilitator, processId, allowGuests: false });
      const res = await t
        .http()
        .post('/api/workshops/join')
        .send({ code: workshop.joinCode, displayName: 'Gäst' });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('LOGIN_REQUIRED');
      const open = (await live.workshop({ facilitator, processId })).workshop;
      const nameless = await t.http().post('/api/workshops/join').send({ code: open.joinCode });
      expect(nameless.status).toBe(400);
      for (const displayName of ['', '   ', 'x'.repeat(61), 'a\u0000b', '\uD800']) {
        const bad = await t
          .http()
          .post('/api/workshops/join')
          .send({ code: open.joinCode, displayName });
        expect(bad.status).toBe(400);
      }
      const participants = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM workshop_participants WHERE workshop_id = ANY($1)`,
        [[workshop.id, open.id]],
      );
      expect(participants[0].n).toBe(0);
    });

    it('answers 404 for unknown and closed codes; the agency does not take part', async () => {
      const { workshop } = await live.workshop({ facilitator, processId });
      const agency = await live.users.user({ role: 'agency', regionCode: null });
      expect(
        (
          await t
            .http()
            .post('/api/workshops/join')
            .set(agency.auth)
            .send({ code: workshop.joinCode })
        ).status,
      ).toBe(403);
      await t.dataSource.query(`UPDATE workshops SET stage = 'closed' WHERE id = $1`, [
        workshop.id,
      ]);
      const res = await t
        .http()
        .post('/api/workshops/join')
        .set('x-forwarded-for', '10.9.9.9')
        .send({ code: workshop.joinCode, displayName: 'Sen' });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
    });

    it('does not let a guest of workshop A join workshop B with its token', async () => {
      const a = (await live.workshop({ facilitator, processId })).workshop;
      const b = (await live.workshop({ facilitator, processId })).workshop;
      const guest = await live.guest(a.joinCode);
      const auth = { Authorization: `Bearer ${guest.token}` };
      const res = await t.http().post('/api/workshops/join').set(auth).send({ code: b.joinCode });
      expect(res.status).toBe(403);
      expect((await t.http().get(`/api/workshops/${b.id}`).set(auth)).status).toBe(404);
      expect((await t.http().get(`/api/workshops/${b.id}/results`).set(auth)).status).toBe(404);
      const again = await t.http().post('/api/workshops/join').set(auth).send({ code: a.joinCode });
      expect(again.body).toEqual({ workshopId: a.id });
    });
  });

  describe('join-code guessing', () => {
    // Loopback is a trusted proxy, so X-Forwarded-For gives each test its own client address.
    it('serves 500 successful joins from one address within a minute', async () => {
      const { workshop } = await live.workshop({ facilitator, processId });
      const statuses: number[] = [];
      for (let batch = 0; batch < 10; batch++) {
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            t
              .http()
              .post('/api/workshops/join')
              .set('x-forwarded-for', '203.0.113.50')
              .send({ code: workshop.joinCode, displayName: `Deltagare ${batch * 50 + i}` }),
          ),
        );
        statuses.push(...results.map((res) => res.status));
      }
      expect(statuses.filter((status) => status === 200)).toHaveLength(500);
      const [{ n }] = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM workshop_participants WHERE workshop_id = $1`,
        [workshop.id],
      );
      expect(n).toBe(500);
    }, 180_000);

    it('answers 429 after 30 wrong codes from one address, even for the right code then', async () => {
      const { workshop } = await live.workshop({ facilitator, processId });
      const ip = '198.51.100.7';
      const guess = (code: string) =>
        t
          .http()
          .post('/api/workshops/join')
          .set('x-forwarded-for', ip)
          .send({ code, displayName: 'Gissare' });
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++)
        statuses.push((await guess(i % 2 ? 'ZZZZZZ' : 'bad code!')).status);
      expect(new Set(statuses)).toEqual(new Set([404]));
      const blocked = await guess('ZZZZZZ');
      expect(blocked.status).toBe(429);
      expect(blocked.body.code).toBe('RATE_LIMITED');
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      expect((await guess(workshop.joinCode)).status).toBe(429);
      // Another address is unaffected.
      const other = await t
        .http()
        .post('/api/workshops/join')
        .set('x-forwarded-for', '198.51.100.8')
        .send({ code: workshop.joinCode, displayName: 'Annan' });
      expect(other.status).toBe(200);
    });
  });

  describe('GET and PATCH /api/workshops/:id', () => {
    it('shows a workshop to its region’s staff and participants only', async () => {
      const { workshop } = await live.workshop({ facilitator, processId });
      const region = await live.users.user({ role: 'region', regionCode: 'SE224' });
      const other = await live.users.user({ role: 'region', regionCode: 'SE110' });
      const company = await live.users.user({ role: 'company' });
      expect((await t.http().get(`/api/workshops/${workshop.id}`).set(region.auth)).status).toBe(
        200,
      );
      expect((await t.http().get(`/api/workshops/${workshop.id}`).set(other.auth)).status).toBe(
        404,
      );
      expect((await t.http().get(`/api/workshops/${workshop.id}`).set(company.auth)).status).toBe(
        404,
      );
      await live.join(company, workshop.joinCode);
      const res = await t.http().get(`/api/workshops/${workshop.id}`).set(company.auth).expect(200);
      expect(res.body).toMatchObject({ id: workshop.id, participantCount: 1 });
      expect((await t.http().get(`/api/workshops/${workshop.id}`)).status).toBe(401);
      expect((await t.http().get(`/api/workshops/nope`).set(region.auth)).status).toBe(400);
    });

    it('changes voting settings until the first vote, then answers 409 and keeps them', async () => {
      const { workshop } = await live.workshop({ facilitator, processId, dotBudget: 5 });
      const patch = (body: Record<string, unknown>, user = facilitator) =>
        t.http().patch(`/api/workshops/${workshop.id}`).set(user.auth).send(body);
      expect((await patch({ dotBudget: 4, maxDotsPerIdea: 5 })).status).toBe(400);
      const changed = await patch({ dotBudget: 8, maxDotsPerIdea: 2 }).expect(200);
      expect(changed.body).toMatchObject({ dotBudget: 8, maxDotsPerIdea: 2 });
      const company = await live.users.user({ role: 'company' });
      await live.join(company, workshop.joinCode);
      expect((await patch({ dotBudget: 3 }, company)).status).toBe(403);

      const socket = await connect(t.url, facilitator.token);
      const voter = await connect(t.url, company.token);
      try {
        await ok(socket, 'workshop:join', { workshopId: workshop.id });
        await live.stage(socket, workshop.id, 'ideation');
        const idea = await ok<{ id: string }>(voter, 'idea:submit', {
          workshopId: workshop.id,
          title: 'Första idén',
          clientId: clientId(),
        });
        // Refused casts store nothing and freeze nothing.
        const refused = (dots: number, ideaId = idea.id) =>
          send(voter, 'vote:cast', { workshopId: workshop.id, ideaId, dots, clientId: clientId() });
        expect(await refused(1)).toMatchObject({ ok: false, error: { code: 'WRONG_STAGE' } });
        await live.stage(socket, workshop.id, 'voting');
        expect(await refused(3)).toMatchObject({ ok: false, error: { code: 'INVALID' } });
        expect(await refused(1, '00000000-0000-4000-8000-000000000000')).toMatchObject({
          ok: false,
          error: { code: 'NOT_FOUND' },
        });
        await patch({ dotBudget: 8 }).expect(200);
        await ok(voter, 'vote:cast', {
          workshopId: workshop.id,
          ideaId: idea.id,
          clientId: clientId(),
        });
      } finally {
        socket.close();
        voter.close();
      }
      const frozen = await patch({ dotBudget: 3 });
      expect(frozen.status).toBe(409);
      expect(frozen.body.code).toBe('VOTING_SETTINGS_FROZEN');
      expect((await patch({ votingMode: 'up' })).status).toBe(409);
      // Title and guests may still change.
      expect((await patch({ title: 'Nytt namn på verkstaden', allowGuests: false })).status).toBe(
        200,
      );
      const [row] = await t.dataSource.query(
        `SELECT dot_budget, voting_mode, allow_guests FROM workshops WHERE id = $1`,
        [workshop.id],
      );
      expect(row).toEqual({ dot_budget: 8, voting_mode: 'dots', allow_guests: false });
    });
  });
});
