import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Socket } from 'socket.io-client';
import type { IdeaView } from '@edp/workshop';
import type { WorkshopView } from '@edp/realtime';
import type { MadeUser } from '../support/factories.js';
import { LiveSessionService } from '../../libs/realtime/src/live/live-session.service.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import {
  LiveFactory,
  clientId,
  connect,
  next,
  ok,
  record,
  send,
  type Snapshot,
} from './live-support.js';

type VoteAck = { ideaId: string; voteCount: number; remainingDots: number | null };

describe('The /live gateway', () => {
  let t: TestApp;
  let live: LiveFactory;
  let facilitator: MadeUser;
  let processId: string;
  const sockets: Socket[] = [];

  /** A connected socket that the test closes at the end. */
  async function socketFor(token: string): Promise<Socket> {
    const socket = await connect(t.url, token);
    sockets.push(socket);
    return socket;
  }

  /** A workshop with the facilitator's socket in its room and `guests` joined guests. */
  async function room(options: Parameters<LiveFactory['workshop']>[0] = {}, guests = 1) {
    const { workshop } = await live.workshop({ facilitator, processId, ...options });
    const host = await socketFor(facilitator.token);
    await ok(host, 'workshop:join', { workshopId: workshop.id });
    const people: Socket[] = [];
    for (let i = 0; i < guests; i++) {
      const guest = await live.guest(workshop.joinCode, `Gäst ${i + 1}`);
      const socket = await socketFor(guest.token);
      await ok(socket, 'workshop:join', { workshopId: workshop.id });
      people.push(socket);
    }
    return { workshop, host, people, id: workshop.id };
  }

  async function idea(
    socket: Socket,
    workshopId: string,
    title = 'Solceller på lagerhus',
  ): Promise<IdeaView> {
    return ok<IdeaView>(socket, 'idea:submit', { workshopId, title, clientId: clientId() });
  }

  const count = async (sql: string, params: unknown[]) =>
    (await t.dataSource.query<{ n: number }[]>(sql, params))[0].n;

  beforeAll(async () => {
    t = await createTestApp();
    live = new LiveFactory(t);
    facilitator = await live.users.user({ role: 'facilitator', regionCode: 'SE224' });
    processId = (await live.workshops.process({ regionCode: 'SE224' })).id;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await t.close();
  });

  describe('handshake', () => {
    it.each([
      ['no token', undefined],
      ['an empty token', ''],
      ['a forged token', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.'],
      ['garbage', 'not-a-jwt'],
    ])('refuses %s with connect_error "unauthorized"', async (_what, token) => {
      const error = (await connect(t.url, token).catch((e: unknown) => e)) as Error & {
        data?: { code: string };
      };
      expect(error).toBeInstanceOf(Error);
      expect(error.message).toBe('unauthorized');
      expect(error.data).toEqual({ code: 'UNAUTHORIZED' });
    });

    it('refuses the token of a disabled user', async () => {
      const gone = await live.users.user({ role: 'company', disabled: true });
      await expect(connect(t.url, gone.token)).rejects.toThrow('unauthorized');
    });

    it('accepts a same-origin browser and refuses a foreign origin when CORS_ORIGINS is empty', async () => {
      const same = await connect(t.url, facilitator.token, { origin: t.url });
      same.close();
      await expect(
        connect(t.url, facilitator.token, { origin: 'https://evil.example' }),
      ).rejects.toThrow();
    });

    it('accepts exactly the origins listed in CORS_ORIGINS', async () => {
      const other = await createTestApp({ corsOrigins: ['https://workshop.region.se'] });
      try {
        const user = await new LiveFactory(other).users.user({ role: 'company' });
        const allowed = await connect(other.url, user.token, {
          origin: 'https://workshop.region.se',
        });
        allowed.close();
        await expect(
          connect(other.url, user.token, { origin: 'https://evil.example' }),
        ).rejects.toThrow();
        await expect(connect(other.url, user.token, { origin: other.url })).rejects.toThrow();
      } finally {
        await other.close();
      }
    });
  });

  describe('workshop:join', () => {
    it('acks a snapshot of the workshop, its visible ideas with tallies and my dots', async () => {
      const { id, host, people } = await room({ dotBudget: 4 }, 1);
      const snapshot = await ok<Snapshot>(people[0], 'workshop:join', { workshopId: id });
      expect(snapshot.workshop).toMatchObject({
        id,
        stage: 'lobby',
        dotBudget: 4,
        participantCount: 2,
      });
      expect(snapshot.ideas).toEqual([]);
      expect(snapshot.me).toEqual({
        participantId: expect.any(String),
        remainingDots: 4,
        votes: {},
      });
      // The facilitator joined without a code: staff become participants of their region's workshops.
      const mine = await ok<Snapshot>(host, 'workshop:join', { workshopId: id });
      expect(mine.me.participantId).not.toBe(snapshot.me.participantId);
    });

    it('refuses people who have not joined and other regions’ staff with NOT_FOUND', async () => {
      const { id } = await room({}, 0);
      const company = await socketFor((await live.users.user({ role: 'company' })).token);
      const stockholm = await socketFor(
        (await live.users.user({ role: 'facilitator', regionCode: 'SE110' })).token,
      );
      for (const socket of [company, stockholm]) {
        const ack = await send(socket, 'workshop:join', { workshopId: id });
        expect(ack).toEqual({
          ok: false,
          error: { code: 'NOT_FOUND', message: expect.any(String) },
        });
      }
      const unknown = await send(company, 'workshop:join', {
        workshopId: '00000000-0000-4000-8000-000000000000',
      });
      expect(unknown).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    });

    it.each([
      ['a string', 'workshop'],
      ['null', null],
      ['an array', [1]],
      ['a malformed id', { workshopId: 'abc' }],
      ['an unknown field', { workshopId: '00000000-0000-4000-8000-000000000000', admin: true }],
      ['no id', {}],
    ])('answers INVALID for %s', async (_what, payload) => {
      const socket = await socketFor(facilitator.token);
      const ack = await send(socket, 'workshop:join', payload);
      expect(ack).toEqual({ ok: false, error: { code: 'INVALID', message: expect.any(String) } });
    });
  });

  describe('a guest of workshop A in workshop B', () => {
    it('can neither join nor act in B', async () => {
      const a = await room({}, 1);
      const b = await room({}, 1);
      const guestOfA = a.people[0];
      await live.stage(b.host, b.id, 'ideation');
      const bIdea = await idea(b.people[0], b.id);
      const refused = [
        await send(guestOfA, 'workshop:join', { workshopId: b.id }),
        await send(guestOfA, 'idea:submit', {
          workshopId: b.id,
          title: 'Smyg',
          clientId: clientId(),
        }),
        await send(guestOfA, 'comment:add', {
          workshopId: b.id,
          ideaId: bIdea.id,
          body: 'Smyg',
          clientId: clientId(),
        }),
      ];
      await live.stage(b.host, b.id, 'voting');
      refused.push(
        await send(guestOfA, 'vote:cast', {
          workshopId: b.id,
          ideaId: bIdea.id,
          clientId: clientId(),
        }),
      );
      refused.push(await send(guestOfA, 'vote:retract', { workshopId: b.id, ideaId: bIdea.id }));
      for (const ack of refused)
        expect(ack).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      // Nor with B's idea from inside A.
      await live.stage(a.host, a.id, 'voting');
      const cross = await send(guestOfA, 'vote:cast', {
        workshopId: a.id,
        ideaId: bIdea.id,
        clientId: clientId(),
      });
      expect(cross).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      expect(
        await count(`SELECT count(*)::int AS n FROM workshop_votes WHERE idea_id = $1`, [bIdea.id]),
      ).toBe(0);
      expect(
        await count(`SELECT count(*)::int AS n FROM ideas WHERE workshop_id = $1`, [b.id]),
      ).toBe(1);
    });
  });

  describe('idea:submit', () => {
    it('is WRONG_STAGE in the lobby and in voting, and stores nothing', async () => {
      const { id, host, people } = await room({}, 1);
      const payload = { workshopId: id, title: 'För tidigt', clientId: clientId() };
      expect(await send(people[0], 'idea:submit', payload)).toMatchObject({
        ok: false,
        error: { code: 'WRONG_STAGE' },
      });
      await live.stage(host, id, 'voting');
      expect(await send(people[0], 'idea:submit', payload)).toMatchObject({
        ok: false,
        error: { code: 'WRONG_STAGE' },
      });
      expect(await count(`SELECT count(*)::int AS n FROM ideas WHERE workshop_id = $1`, [id])).toBe(
        0,
      );
    });

    it('lands in the process pool, reaches the room, and a retry returns the first idea', async () => {
      const { id, host, people } = await room({}, 2);
      await live.stage(host, id, 'ideation');
      const seen = next<IdeaView>(people[1], 'idea:created');
      const payload = {
        workshopId: id,
        title: 'Återvunnen förpackning – ”ö”',
        body: 'Kretslopp i Skåne',
        clientId: clientId(),
      };
      const first = await ok<IdeaView>(people[0], 'idea:submit', payload);
      expect(first).toMatchObject({
        workshopId: id,
        processId,
        title: payload.title,
        voteCount: 0,
        authorName: 'Gäst 1',
        helix: null,
      });
      expect(await seen).toMatchObject({ id: first.id, title: payload.title, voteCount: 0 });
      expect((await seen).hidden).toBeUndefined();
      const retry = await ok<IdeaView>(people[0], 'idea:submit', payload);
      expect(retry.id).toBe(first.id);
      expect(await count(`SELECT count(*)::int AS n FROM ideas WHERE workshop_id = $1`, [id])).toBe(
        1,
      );
      const pool = await t.http().get(`/api/ideas/${first.id}`).expect(200);
      expect(pool.body).toMatchObject({ processId, workshopId: id, title: payload.title });
    });

    it.each([
      ['a title of 2 characters', { title: 'ab' }],
      ['a title of 201 characters', { title: 'x'.repeat(201) }],
      ['a NUL character', { title: 'Nul\u0000tecken' }],
      ['a lone surrogate', { title: 'Halv \uD83D' }],
      ['a number as title', { title: 42 }],
      ['a body of 10 001 characters', { title: 'Bra idé', body: 'x'.repeat(10001) }],
      ['an empty clientId', { title: 'Bra idé', clientId: '' }],
      ['no clientId', { title: 'Bra idé', clientId: undefined }],
      ['an unknown field', { title: 'Bra idé', authorName: 'Någon annan' }],
      [
        'a __proto__ field',
        { title: 'Bra idé', ...(JSON.parse('{"__proto__": {"admin": true}}') as object) },
      ],
    ])('answers INVALID for %s and stores nothing', async (_what, fields) => {
      const { id, host, people } = await room({}, 1);
      await live.stage(host, id, 'ideation');
      const ack = await send(people[0], 'idea:submit', {
        workshopId: id,
        clientId: clientId(),
        ...fields,
      });
      expect(ack).toEqual({ ok: false, error: { code: 'INVALID', message: expect.any(String) } });
      expect(await count(`SELECT count(*)::int AS n FROM ideas WHERE workshop_id = $1`, [id])).toBe(
        0,
      );
    });
  });

  describe('vote:cast and vote:retract (dots)', () => {
    async function votingRoom(
      settings: { dotBudget?: number; maxDotsPerIdea?: number } = {},
      guests = 1,
    ) {
      const r = await room({ votingMode: 'dots', ...settings }, guests);
      await live.stage(r.host, r.id, 'ideation');
      const ideas = [await idea(r.host, r.id, 'Idé ett'), await idea(r.host, r.id, 'Idé två')];
      return { ...r, ideas };
    }

    it('is WRONG_STAGE before voting and after it', async () => {
      const { id, host, people, ideas } = await votingRoom();
      const vote = () =>
        send(people[0], 'vote:cast', { workshopId: id, ideaId: ideas[0].id, clientId: clientId() });
      expect(await vote()).toMatchObject({ ok: false, error: { code: 'WRONG_STAGE' } });
      await live.stage(host, id, 'results');
      expect(await vote()).toMatchObject({ ok: false, error: { code: 'WRONG_STAGE' } });
      expect(
        await send(people[0], 'vote:retract', { workshopId: id, ideaId: ideas[0].id }),
      ).toMatchObject({ ok: false, error: { code: 'WRONG_STAGE' } });
      expect(
        await count(`SELECT count(*)::int AS n FROM workshop_votes WHERE workshop_id = $1`, [id]),
      ).toBe(0);
    });

    it('spends dots, caps each idea, refuses over budget, and keeps the counter equal to the rows', async () => {
      const { id, host, people, ideas } = await votingRoom({ dotBudget: 5, maxDotsPerIdea: 3 });
      await live.stage(host, id, 'voting');
      const [a, b] = ideas;
      const cast = (ideaId: string, dots?: number) =>
        send<VoteAck>(people[0], 'vote:cast', {
          workshopId: id,
          ideaId,
          dots,
          clientId: clientId(),
        });
      expect(await cast(a.id, 2)).toEqual({
        ok: true,
        data: { ideaId: a.id, voteCount: 2, remainingDots: 3 },
      });
      expect(await cast(a.id, 2)).toMatchObject({ ok: false, error: { code: 'ALREADY_VOTED' } });
      expect(await cast(b.id, 4)).toMatchObject({ ok: false, error: { code: 'INVALID' } });
      expect(await cast(a.id)).toEqual({
        ok: true,
        data: { ideaId: a.id, voteCount: 3, remainingDots: 2 },
      });
      expect(await cast(b.id, 2)).toEqual({
        ok: true,
        data: { ideaId: b.id, voteCount: 2, remainingDots: 0 },
      });
      expect(await cast(b.id)).toMatchObject({ ok: false, error: { code: 'BUDGET_EXCEEDED' } });
      const retracted = await ok<VoteAck>(people[0], 'vote:retract', {
        workshopId: id,
        ideaId: a.id,
      });
      expect(retracted).toEqual({ ideaId: a.id, voteCount: 0, remainingDots: 3 });
      // Retracting again takes back nothing and is not an error.
      expect(
        await ok<VoteAck>(people[0], 'vote:retract', { workshopId: id, ideaId: a.id }),
      ).toEqual(retracted);
      const [row] = await t.dataSource.query(
        `SELECT p.dots_spent, (SELECT COALESCE(SUM(dots), 0)::int FROM workshop_votes v WHERE v.participant_id = p.id) AS summed
         FROM workshop_participants p WHERE p.workshop_id = $1 AND p.user_id IS NULL`,
        [id],
      );
      expect(row).toEqual({ dots_spent: 2, summed: 2 });
    });

    it('broadcasts tallies on a single instance without server-side events (the in-memory adapter warns on each)', async () => {
      const { id, host, people, ideas } = await votingRoom({ dotBudget: 3, maxDotsPerIdea: 3 });
      await live.stage(host, id, 'voting');
      const warn = jest.spyOn(console, 'warn');
      try {
        const tally = next<{ tallies: { ideaId: string; voteCount: number }[] }>(
          host,
          'tally:updated',
          (u) => u.tallies.some((x) => x.ideaId === ideas[0].id && x.voteCount === 2),
        );
        await ok(people[0], 'vote:cast', {
          workshopId: id,
          ideaId: ideas[0].id,
          dots: 2,
          clientId: clientId(),
        });
        await tally;
        expect(warn).not.toHaveBeenCalled();
      } finally {
        warn.mockRestore();
      }
    });

    it('vote:retract with dots takes back that many (at most those on the idea) and broadcasts the tally', async () => {
      const { id, host, people, ideas } = await votingRoom({ dotBudget: 6, maxDotsPerIdea: 5 });
      await live.stage(host, id, 'voting');
      const [a, b] = ideas;
      await ok(people[0], 'vote:cast', {
        workshopId: id,
        ideaId: a.id,
        dots: 4,
        clientId: clientId(),
      });
      await ok(host, 'vote:cast', { workshopId: id, ideaId: a.id, dots: 1, clientId: clientId() });
      const retract = (ideaId: string, dots?: number) =>
        send<VoteAck>(people[0], 'vote:retract', { workshopId: id, ideaId, dots });
      const tally = next<{ tallies: { ideaId: string; voteCount: number }[] }>(
        host,
        'tally:updated',
        (u) => u.tallies.some((x) => x.ideaId === a.id && x.voteCount === 4),
      );
      expect(await retract(a.id, 1)).toEqual({
        ok: true,
        data: { ideaId: a.id, voteCount: 4, remainingDots: 3 },
      });
      await tally;
      // More than the caller has: only its own three dots come back, not the host's.
      expect(await retract(a.id, 10)).toEqual({
        ok: true,
        data: { ideaId: a.id, voteCount: 1, remainingDots: 6 },
      });
      expect(await retract(b.id, 2)).toEqual({
        ok: true,
        data: { ideaId: b.id, voteCount: 0, remainingDots: 6 },
      });
      for (const dots of [0, -1, 1.5, '2', 101]) {
        const ack = await send(people[0], 'vote:retract', { workshopId: id, ideaId: a.id, dots });
        expect(ack).toMatchObject({ ok: false, error: { code: 'INVALID' } });
      }
      await ok(people[0], 'vote:cast', {
        workshopId: id,
        ideaId: b.id,
        dots: 3,
        clientId: clientId(),
      });
      // Without dots, all of them, as before.
      expect(await retract(b.id)).toEqual({
        ok: true,
        data: { ideaId: b.id, voteCount: 0, remainingDots: 6 },
      });
      const [row] = await t.dataSource.query(
        `SELECT p.dots_spent, (SELECT count(*)::int FROM workshop_votes v WHERE v.participant_id = p.id) AS rows
         FROM workshop_participants p WHERE p.workshop_id = $1 AND p.user_id IS NULL`,
        [id],
      );
      expect(row).toEqual({ dots_spent: 0, rows: 0 });
    });

    it('returns the first result for a retried clientId and never counts it twice', async () => {
      const { id, host, people, ideas } = await votingRoom({ dotBudget: 5 });
      await live.stage(host, id, 'voting');
      const payload = { workshopId: id, ideaId: ideas[0].id, dots: 2, clientId: clientId() };
      const first = await ok<VoteAck>(people[0], 'vote:cast', payload);
      await ok(host, 'vote:cast', {
        workshopId: id,
        ideaId: ideas[0].id,
        dots: 1,
        clientId: clientId(),
      });
      const retries = await Promise.all(
        [1, 2, 3].map(() => ok<VoteAck>(people[0], 'vote:cast', payload)),
      );
      for (const retry of retries) expect(retry).toEqual(first);
      expect(
        await count(`SELECT SUM(dots)::int AS n FROM workshop_votes WHERE workshop_id = $1`, [id]),
      ).toBe(3);
    });

    it('refuses hidden ideas, unknown ideas and bad payloads', async () => {
      const { id, host, people, ideas } = await votingRoom();
      await ok(host, 'idea:hide', { workshopId: id, ideaId: ideas[1].id });
      await live.stage(host, id, 'voting');
      const base = { workshopId: id, clientId: clientId() };
      expect(await send(people[0], 'vote:cast', { ...base, ideaId: ideas[1].id })).toMatchObject({
        ok: false,
        error: { code: 'NOT_FOUND' },
      });
      expect(
        await send(people[0], 'vote:cast', {
          ...base,
          ideaId: '00000000-0000-4000-8000-000000000000',
        }),
      ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      for (const bad of [
        { dots: 0 },
        { dots: -1 },
        { dots: 1.5 },
        { dots: '2' },
        { dots: 101 },
        { ideaId: 'x' },
        { clientId: 7 },
        { extra: 1 },
      ]) {
        const ack = await send(people[0], 'vote:cast', { ...base, ideaId: ideas[0].id, ...bad });
        expect(ack).toMatchObject({ ok: false, error: { code: 'INVALID' } });
      }
      expect(
        await count(`SELECT count(*)::int AS n FROM workshop_votes WHERE workshop_id = $1`, [id]),
      ).toBe(0);
    });

    it('announces a replayed cast: its first attempt may have committed on an instance that died before broadcasting', async () => {
      const { id, host, people, ideas } = await votingRoom({}, 2);
      await live.stage(host, id, 'voting');
      const me = await ok<Snapshot>(people[0], 'workshop:join', { workshopId: id });
      const sent = clientId();
      // The first attempt, committed as a killed instance would have left it: no broadcast.
      await t.dataSource.query(
        `SELECT * FROM live_cast_votes(ARRAY[$1]::uuid[], ARRAY[$2]::uuid[], ARRAY[NULL]::uuid[],
           ARRAY[$3]::uuid[], ARRAY[1], ARRAY[$4]::varchar[], ARRAY[]::uuid[])`,
        [id, me.me.participantId, ideas[0].id, sent],
      );
      const seen = next<{ tallies: { ideaId: string; voteCount: number }[] }>(
        people[1],
        'tally:updated',
        (update) => update.tallies.some((tally) => tally.ideaId === ideas[0].id),
      );
      // The phone resends on its new connection and gets the first result back.
      const again = await ok<VoteAck>(people[0], 'vote:cast', {
        workshopId: id,
        ideaId: ideas[0].id,
        clientId: sent,
      });
      expect(again.voteCount).toBe(1);
      expect((await seen).tallies).toContainEqual({ ideaId: ideas[0].id, voteCount: 1 });
      expect(
        await count(`SELECT count(*)::int AS n FROM workshop_votes WHERE workshop_id = $1`, [id]),
      ).toBe(1);
    });

    it('brings a joiner whose snapshot is older than a tally it already got to the stored tally', async () => {
      const { workshop, id, host, people, ideas } = await votingRoom({}, 1);
      await live.stage(host, id, 'voting');
      const guest = await live.guest(workshop.joinCode, 'Sena Åsa');
      const joiner = await socketFor(guest.token);
      // What the joiner shows: every tally and the snapshot, applied in the order they arrive.
      const shown = new Map<string, number>();
      joiner.on('tally:updated', (update: { tallies: { ideaId: string; voteCount: number }[] }) => {
        for (const tally of update.tallies) shown.set(tally.ideaId, tally.voteCount);
      });
      // A vote commits and its tally reaches the joiner (already in the room) after the
      // snapshot was read and before it is sent: the snapshot arrives last, one vote behind.
      const sessions = t.app.get(LiveSessionService);
      const read = sessions.snapshot.bind(sessions);
      const snapshot = jest.spyOn(sessions, 'snapshot').mockImplementationOnce(async (...args) => {
        const stale = await read(...args);
        const seen = next<{ tallies: { ideaId: string; voteCount: number }[] }>(
          joiner,
          'tally:updated',
          (update) => update.tallies.some((tally) => tally.voteCount === 1),
        );
        await ok(people[0], 'vote:cast', {
          workshopId: id,
          ideaId: ideas[0].id,
          clientId: clientId(),
        });
        await seen;
        return stale;
      });
      try {
        const joined = await ok<Snapshot>(joiner, 'workshop:join', { workshopId: id });
        expect(joined.ideas.find((one) => one.id === ideas[0].id)?.voteCount).toBe(0);
        for (const one of joined.ideas) shown.set(one.id, one.voteCount);
        expect(shown.get(ideas[0].id)).toBe(0);
        // The tallies read after the snapshot went out, to the joiner alone.
        await next(joiner, 'tally:updated', () => shown.get(ideas[0].id) === 1, 5000);
      } finally {
        snapshot.mockRestore();
      }
      expect(Object.fromEntries(shown)).toEqual({ [ideas[0].id]: 1, [ideas[1].id]: 0 });
      expect(
        await count(`SELECT dots::int AS n FROM workshop_idea_tallies WHERE idea_id = $1`, [
          ideas[0].id,
        ]),
      ).toBe(1);
    });

    it('sends a joiner no second tally before voting, when no count can move', async () => {
      const { workshop, id } = await votingRoom({}, 1);
      const guest = await live.guest(workshop.joinCode, 'Tidig Örjan');
      const joiner = await socketFor(guest.token);
      const tallies = record(joiner, 'tally:updated');
      const joined = await ok<Snapshot>(joiner, 'workshop:join', { workshopId: id });
      expect(joined.ideas).toHaveLength(2);
      // Several tally windows: a resync would have arrived within the first.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(tallies).toEqual([]);
    });

    it('coalesces tally:updated and ends on the database’s tallies', async () => {
      const { id, host, people, ideas } = await votingRoom(
        { dotBudget: 10, maxDotsPerIdea: 10 },
        2,
      );
      await live.stage(host, id, 'voting');
      const tallies = record<{
        workshopId: string;
        tallies: { ideaId: string; voteCount: number }[];
      }>(people[1], 'tally:updated');
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          ok(people[0], 'vote:cast', {
            workshopId: id,
            ideaId: ideas[i % 2].id,
            clientId: clientId(),
          }),
        ),
      );
      await ok(people[0], 'vote:retract', { workshopId: id, ideaId: ideas[1].id });
      const expected = { [ideas[0].id]: 5, [ideas[1].id]: 0 };
      const finalCounts = () => {
        const counts = new Map<string, number>();
        for (const update of tallies) {
          for (const tally of update.tallies) counts.set(tally.ideaId, tally.voteCount);
        }
        return Object.fromEntries(counts);
      };
      // Until the last broadcast is in (a slow machine may take longer than a window or two).
      for (let waited = 0; waited < 10_000; waited += 50) {
        const counts = finalCounts();
        if (Object.entries(expected).every(([idea, n]) => counts[idea] === n)) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(tallies.every((update) => update.workshopId === id)).toBe(true);
      // Eleven changes, far fewer broadcasts, each carrying every changed idea.
      expect(tallies.length).toBeLessThan(11);
      expect(finalCounts()).toEqual(expected);
    });
  });

  describe('vote:cast (up)', () => {
    it('allows one vote per idea and has no budget', async () => {
      const { id, host, people } = await room({ votingMode: 'up' }, 1);
      await live.stage(host, id, 'ideation');
      const ideas = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => idea(host, id, `Uppidé ${n}`)));
      await live.stage(host, id, 'voting');
      for (const one of ideas) {
        expect(
          await ok<VoteAck>(people[0], 'vote:cast', {
            workshopId: id,
            ideaId: one.id,
            clientId: clientId(),
          }),
        ).toEqual({
          ideaId: one.id,
          voteCount: 1,
          remainingDots: null,
        });
      }
      const again = await send(people[0], 'vote:cast', {
        workshopId: id,
        ideaId: ideas[0].id,
        clientId: clientId(),
      });
      expect(again).toMatchObject({ ok: false, error: { code: 'ALREADY_VOTED' } });
      const two = await send(people[0], 'vote:cast', {
        workshopId: id,
        ideaId: ideas[1].id,
        dots: 2,
        clientId: clientId(),
      });
      expect(two).toMatchObject({ ok: false, error: { code: 'INVALID' } });
    });
  });

  describe('comment:add', () => {
    it('works in ideation and voting, reaches the room, is idempotent, and is WRONG_STAGE otherwise', async () => {
      const { id, host, people } = await room({}, 2);
      await live.stage(host, id, 'ideation');
      const target = await idea(host, id);
      const seen = next<{ id: string; body: string }>(people[1], 'comment:created');
      const payload = {
        workshopId: id,
        ideaId: target.id,
        body: 'Bra – kan kopplas till Lunds universitet',
        clientId: clientId(),
      };
      const comment = await ok<{ id: string; ideaId: string; body: string }>(
        people[0],
        'comment:add',
        payload,
      );
      expect(comment).toMatchObject({
        ideaId: target.id,
        body: payload.body,
        kind: 'comment',
        authorName: 'Gäst 1',
      });
      expect((await seen).id).toBe(comment.id);
      expect((await ok<{ id: string }>(people[0], 'comment:add', payload)).id).toBe(comment.id);
      await live.stage(host, id, 'voting');
      await ok(people[0], 'comment:add', { ...payload, clientId: clientId() });
      await live.stage(host, id, 'results');
      expect(
        await send(people[0], 'comment:add', { ...payload, clientId: clientId() }),
      ).toMatchObject({ ok: false, error: { code: 'WRONG_STAGE' } });
      expect(
        await send(people[0], 'comment:add', { ...payload, body: '', clientId: clientId() }),
      ).toMatchObject({ ok: false, error: { code: 'INVALID' } });
      expect(
        await count(`SELECT count(*)::int AS n FROM comments WHERE idea_id = $1`, [target.id]),
      ).toBe(2);
    });
  });

  describe('comment:add: replies, hidden ideas, closed processes, and many at once', () => {
    const commentCount = async (ideaId: string) =>
      count(`SELECT comment_count AS n FROM ideas WHERE id = $1`, [ideaId]);
    const stored = async (ideaId: string) =>
      count(`SELECT count(*)::int AS n FROM comments WHERE idea_id = $1`, [ideaId]);

    it('replies only below a shown comment of the same idea; INVALID_PARENT otherwise, and nothing is stored', async () => {
      const { id, host, people } = await room({}, 1);
      await live.stage(host, id, 'ideation');
      const [a, b] = [await idea(host, id, 'Idé A'), await idea(host, id, 'Idé B')];
      const add = (ideaId: string, parentId?: string) =>
        send(people[0], 'comment:add', {
          workshopId: id,
          ideaId,
          body: 'Svar – åäö',
          parentId,
          clientId: clientId(),
        });
      const root = await ok<{ id: string }>(people[0], 'comment:add', {
        workshopId: id,
        ideaId: a.id,
        body: 'Första tråden',
        clientId: clientId(),
      });
      const reply = await add(a.id, root.id);
      expect(reply).toMatchObject({ ok: true, data: { ideaId: a.id, parentId: root.id } });
      for (const [ideaId, parentId] of [
        [b.id, root.id],
        [a.id, '00000000-0000-4000-8000-000000000000'],
      ]) {
        expect(await add(ideaId, parentId)).toMatchObject({
          ok: false,
          error: { code: 'INVALID_PARENT' },
        });
      }
      expect([await stored(a.id), await commentCount(a.id)]).toEqual([2, 2]);
      expect([await stored(b.id), await commentCount(b.id)]).toEqual([0, 0]);
      // Below a hidden comment the whole thread is hidden: no reply goes there.
      await t
        .http()
        .patch(`/api/comments/${root.id}`)
        .set(facilitator.auth)
        .send({ hidden: true })
        .expect(200);
      expect(await add(a.id, root.id)).toMatchObject({
        ok: false,
        error: { code: 'INVALID_PARENT' },
      });
      expect([await stored(a.id), await commentCount(a.id)]).toEqual([2, 0]);
    });

    it('is NOT_FOUND on a hidden idea for participants, while the region’s staff still comment', async () => {
      const { id, host, people } = await room({}, 1);
      await live.stage(host, id, 'ideation');
      const target = await idea(people[0], id, 'Snart dold');
      await ok(host, 'idea:hide', { workshopId: id, ideaId: target.id });
      const payload = { workshopId: id, ideaId: target.id, body: 'Varför dold?' };
      expect(
        await send(people[0], 'comment:add', { ...payload, clientId: clientId() }),
      ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      expect(await stored(target.id)).toBe(0);
      const staff = await ok<{ ideaId: string }>(host, 'comment:add', {
        ...payload,
        clientId: clientId(),
      });
      expect(staff.ideaId).toBe(target.id);
      expect([await stored(target.id), await commentCount(target.id)]).toEqual([1, 1]);
    });

    it('is COMMENTING_CLOSED once the process is closed, and nothing is stored', async () => {
      const process = await live.workshops.process({ regionCode: 'SE224' });
      const { id, host, people } = await room({ processId: process.id }, 1);
      await live.stage(host, id, 'ideation');
      const target = await idea(people[0], id, 'Före stängningen');
      await live.workshops.setPhase(process.id, 'closed');
      for (const socket of [people[0], host]) {
        expect(
          await send(socket, 'comment:add', {
            workshopId: id,
            ideaId: target.id,
            body: 'För sent',
            clientId: clientId(),
          }),
        ).toMatchObject({ ok: false, error: { code: 'COMMENTING_CLOSED' } });
      }
      expect([await stored(target.id), await commentCount(target.id)]).toEqual([0, 0]);
    });

    it('counts 60 comments sent at once on one idea exactly, each stored once', async () => {
      const { id, host, people } = await room({}, 20);
      await live.stage(host, id, 'ideation');
      const target = await idea(host, id, 'Alla kommenterar');
      const answers = await Promise.all(
        people.flatMap((socket, i) =>
          [0, 1, 2].map((k) =>
            send(socket, 'comment:add', {
              workshopId: id,
              ideaId: target.id,
              body: `Kommentar ${i}.${k}`,
              clientId: clientId(),
            }),
          ),
        ),
      );
      expect(answers.filter((answer) => answer.ok)).toHaveLength(60);
      expect([await stored(target.id), await commentCount(target.id)]).toEqual([60, 60]);
    });
  });

  describe('comment:add on an idea outside the workshop', () => {
    it('is NOT_FOUND for an idea of the same process that no workshop holds, and for another workshop’s idea; nothing is stored', async () => {
      const { id, host, people } = await room({}, 1);
      await live.stage(host, id, 'ideation');
      const company = await live.users.user({ role: 'company' });
      const outside = await live.workshops.idea(company, processId, {
        title: 'Inlämnad via webben',
      });
      const other = await room({}, 0);
      await live.stage(other.host, other.id, 'ideation');
      const elsewhere = await idea(other.host, other.id, 'I en annan workshop');
      for (const ideaId of [outside.id, elsewhere.id]) {
        for (const socket of [people[0], host]) {
          expect(
            await send(socket, 'comment:add', {
              workshopId: id,
              ideaId,
              body: 'Hör detta hit?',
              clientId: clientId(),
            }),
          ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
        }
        expect(
          await count(`SELECT count(*)::int AS n FROM comments WHERE idea_id = $1`, [ideaId]),
        ).toBe(0);
      }
    });
  });

  describe('retries across a stage change', () => {
    it('idea:submit and comment:add return the first result for a known clientId, not WRONG_STAGE', async () => {
      const { id, host, people } = await room({}, 1);
      await live.stage(host, id, 'ideation');
      const submit = { workshopId: id, title: 'Sparad före bytet – åäö', clientId: clientId() };
      const first = await ok<IdeaView>(people[0], 'idea:submit', submit);
      await live.stage(host, id, 'voting');
      const comment = {
        workshopId: id,
        ideaId: first.id,
        body: 'Kommentar före bytet',
        clientId: clientId(),
      };
      const firstComment = await ok<{ id: string }>(people[0], 'comment:add', comment);
      await live.stage(host, id, 'results');
      // The phone's retries arrive after the facilitator moved on.
      expect((await ok<IdeaView>(people[0], 'idea:submit', submit)).id).toBe(first.id);
      expect((await ok<{ id: string }>(people[0], 'comment:add', comment)).id).toBe(
        firstComment.id,
      );
      // New work is still refused, and a clientId is the author's own: another's is new work.
      expect(
        await send(people[0], 'idea:submit', { ...submit, clientId: clientId() }),
      ).toMatchObject({ ok: false, error: { code: 'WRONG_STAGE' } });
      expect(await send(host, 'idea:submit', submit)).toMatchObject({
        ok: false,
        error: { code: 'WRONG_STAGE' },
      });
      expect(await send(host, 'comment:add', comment)).toMatchObject({
        ok: false,
        error: { code: 'WRONG_STAGE' },
      });
      expect(await count(`SELECT count(*)::int AS n FROM ideas WHERE workshop_id = $1`, [id])).toBe(
        1,
      );
      expect(
        await count(`SELECT count(*)::int AS n FROM comments WHERE idea_id = $1`, [first.id]),
      ).toBe(1);
    });
  });

  describe('a workshop in a draft process', () => {
    it('lets its participants (guests and users) comment, and nobody outside it', async () => {
      const draft = await live.workshops.process({ regionCode: 'SE224', phase: 'draft' });
      const { workshop } = await live.workshop({ facilitator, processId: draft.id });
      const id = workshop.id;
      const host = await socketFor(facilitator.token);
      await ok(host, 'workshop:join', { workshopId: id });
      const guest = await socketFor((await live.guest(workshop.joinCode)).token);
      await ok(guest, 'workshop:join', { workshopId: id });
      const company = await live.users.user({ role: 'company' });
      await live.join(company, workshop.joinCode);
      const member = await socketFor(company.token);
      await ok(member, 'workshop:join', { workshopId: id });
      await live.stage(host, id, 'ideation');
      const target = await idea(guest, id, 'Idé i ett utkast');
      const payload = { workshopId: id, ideaId: target.id, body: 'Håller med – åäö' };
      for (const socket of [guest, member, host]) {
        const comment = await ok<{ ideaId: string; body: string }>(socket, 'comment:add', {
          ...payload,
          clientId: clientId(),
        });
        expect(comment).toMatchObject({ ideaId: target.id, body: payload.body });
      }
      // The draft stays invisible outside the workshop.
      expect((await t.http().get(`/api/ideas/${target.id}`).set(company.auth)).status).toBe(404);
      const other = await room({}, 1);
      await live.stage(other.host, other.id, 'ideation');
      expect(
        await send(other.people[0], 'comment:add', {
          ...payload,
          workshopId: other.id,
          clientId: clientId(),
        }),
      ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      expect(
        await count(`SELECT count(*)::int AS n FROM comments WHERE idea_id = $1`, [target.id]),
      ).toBe(3);
    });
  });

  describe('facilitator events', () => {
    it('stage:set moves the room and is FORBIDDEN for participants', async () => {
      const { id, host, people } = await room({}, 1);
      const seen = next<WorkshopView>(people[0], 'workshop:updated');
      const updated = await live.stage(host, id, 'ideation');
      expect(updated).toMatchObject({ id, stage: 'ideation' });
      expect(await seen).toMatchObject({ id, stage: 'ideation' });
      expect(await send(people[0], 'stage:set', { workshopId: id, stage: 'voting' })).toMatchObject(
        { ok: false, error: { code: 'FORBIDDEN' } },
      );
      expect(await send(host, 'stage:set', { workshopId: id, stage: 'finished' })).toMatchObject({
        ok: false,
        error: { code: 'INVALID' },
      });
      // Back to an earlier stage is allowed; out of closed is not.
      await live.stage(host, id, 'lobby');
      await live.stage(host, id, 'closed');
      expect(await send(host, 'stage:set', { workshopId: id, stage: 'voting' })).toMatchObject({
        ok: false,
        error: { code: 'WRONG_STAGE' },
      });
      const region = await socketFor(
        (await live.users.user({ role: 'region', regionCode: 'SE224' })).token,
      );
      const other = await room({}, 0);
      expect(
        await ok<WorkshopView>(region, 'stage:set', { workshopId: other.id, stage: 'ideation' }),
      ).toMatchObject({ stage: 'ideation' });
      const [row] = await t.dataSource.query(`SELECT stage FROM workshops WHERE id = $1`, [id]);
      expect(row.stage).toBe('closed');
    });

    it('timer:set sets and clears the end time', async () => {
      const { id, host, people } = await room({}, 1);
      const set = await ok<WorkshopView>(host, 'timer:set', { workshopId: id, seconds: 90 });
      expect(new Date(set.timerEndsAt!).toISOString()).toBe(set.timerEndsAt);
      const [row] = await t.dataSource.query(
        `SELECT round(extract(epoch FROM timer_ends_at - updated_at))::int AS s FROM workshops WHERE id = $1`,
        [id],
      );
      expect(row.s).toBe(90);
      expect(
        (await ok<WorkshopView>(host, 'timer:set', { workshopId: id, seconds: null })).timerEndsAt,
      ).toBeNull();
      for (const seconds of [0, -5, 86401, 1.5, '60', undefined]) {
        expect(await send(host, 'timer:set', { workshopId: id, seconds })).toMatchObject({
          ok: false,
          error: { code: 'INVALID' },
        });
      }
      expect(await send(people[0], 'timer:set', { workshopId: id, seconds: 30 })).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
    });

    it('idea:spotlight points the room at an idea of this workshop only', async () => {
      const { id, host, people } = await room({}, 1);
      const other = await room({}, 0);
      await live.stage(host, id, 'ideation');
      await live.stage(other.host, other.id, 'ideation');
      const mine = await idea(people[0], id);
      const foreign = await idea(other.host, other.id);
      const seen = next<WorkshopView>(
        people[0],
        'workshop:updated',
        (w) => w.spotlightIdeaId !== null,
      );
      expect(
        (await ok<WorkshopView>(host, 'idea:spotlight', { workshopId: id, ideaId: mine.id }))
          .spotlightIdeaId,
      ).toBe(mine.id);
      expect((await seen).spotlightIdeaId).toBe(mine.id);
      expect(
        await send(host, 'idea:spotlight', { workshopId: id, ideaId: foreign.id }),
      ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      expect(
        await send(people[0], 'idea:spotlight', { workshopId: id, ideaId: mine.id }),
      ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(
        (await ok<WorkshopView>(host, 'idea:spotlight', { workshopId: id, ideaId: null }))
          .spotlightIdeaId,
      ).toBeNull();
    });

    it('idea:hide hides an idea from the room and its snapshot', async () => {
      const { id, host, people } = await room({}, 1);
      await live.stage(host, id, 'ideation');
      const bad = await idea(people[0], id, 'Olämpligt innehåll');
      await ok(host, 'idea:spotlight', { workshopId: id, ideaId: bad.id });
      expect(await send(people[0], 'idea:hide', { workshopId: id, ideaId: bad.id })).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
      const seen = next<IdeaView>(people[0], 'idea:updated');
      const spot = next<WorkshopView>(
        people[0],
        'workshop:updated',
        (w) => w.spotlightIdeaId === null,
      );
      const hidden = await ok<IdeaView>(host, 'idea:hide', { workshopId: id, ideaId: bad.id });
      expect(hidden).toMatchObject({ id: bad.id, hidden: true });
      expect(await seen).toMatchObject({ id: bad.id, hidden: true });
      await spot;
      const snapshot = await ok<Snapshot>(people[0], 'workshop:join', { workshopId: id });
      expect(snapshot.ideas.map((i) => i.id)).not.toContain(bad.id);
      expect(snapshot.workshop.spotlightIdeaId).toBeNull();
    });
  });

  describe('hidden ideas', () => {
    it('reach the staff in full but participants only as { id, workshopId, hidden: true }, and never in a participant’s snapshot', async () => {
      const { workshop, id, host, people } = await room({}, 1);
      const company = await live.users.user({ role: 'company' });
      await live.join(company, workshop.joinCode);
      const member = await socketFor(company.token);
      await ok(member, 'workshop:join', { workshopId: id });
      const region = await socketFor(
        (await live.users.user({ role: 'region', regionCode: 'SE224' })).token,
      );
      await ok(region, 'workshop:join', { workshopId: id });
      await live.stage(host, id, 'ideation');
      const title = 'Hemlig olämplig rubrik';
      const secret = await ok<IdeaView>(people[0], 'idea:submit', {
        workshopId: id,
        title,
        body: 'Olämplig brödtext',
        clientId: clientId(),
      });
      const guestSaw = record<Record<string, unknown>>(people[0], 'idea:updated');
      const memberSaw = record<Record<string, unknown>>(member, 'idea:updated');
      const updated = (socket: Socket) =>
        next<IdeaView>(socket, 'idea:updated', (i) => i.id === secret.id);
      const minimal = { id: secret.id, workshopId: id, hidden: true };

      let waits = [people[0], member, host, region].map(updated);
      await ok(host, 'idea:hide', { workshopId: id, ideaId: secret.id });
      let [guest, user, staff, regionStaff] = await Promise.all(waits);
      expect(guest).toEqual(minimal);
      expect(user).toEqual(minimal);
      expect(staff).toMatchObject({
        id: secret.id,
        title,
        body: 'Olämplig brödtext',
        hidden: true,
      });
      expect(regionStaff).toMatchObject({ id: secret.id, title, hidden: true });

      // A hidden idea that changes (a status set over HTTP) tells participants no more.
      waits = [people[0], member, host, region].map(updated);
      await t
        .http()
        .patch(`/api/ideas/${secret.id}`)
        .set(facilitator.auth)
        .send({ status: 'rejected' })
        .expect(200);
      [guest, user, staff, regionStaff] = await Promise.all(waits);
      expect(guest).toEqual(minimal);
      expect(user).toEqual(minimal);
      expect(staff).toMatchObject({ title, status: 'rejected', hidden: true });
      expect(regionStaff).toMatchObject({ title, status: 'rejected', hidden: true });
      for (const socket of [people[0], member]) {
        const snapshot = await ok<Snapshot>(socket, 'workshop:join', { workshopId: id });
        expect(snapshot.ideas.map((i) => i.id)).not.toContain(secret.id);
        expect(JSON.stringify(snapshot)).not.toContain('Olämplig');
      }
      expect(JSON.stringify([...guestSaw, ...memberSaw])).not.toContain('Olämplig');

      // Shown again, it comes back to everyone with its content.
      waits = [people[0], member].map(updated);
      await t
        .http()
        .patch(`/api/ideas/${secret.id}`)
        .set(facilitator.auth)
        .send({ hidden: false })
        .expect(200);
      for (const shown of await Promise.all(waits)) {
        expect(shown).toMatchObject({ id: secret.id, title, hidden: false });
      }
    });
  });

  describe('presence', () => {
    it('counts people in the room as they come and go', async () => {
      const { workshop, id, host } = await room({}, 0);
      const counts = record<{ workshopId: string; count: number }>(host, 'presence');
      const guest = await live.guest(workshop.joinCode);
      const one = await socketFor(guest.token);
      const two = await socketFor(guest.token); // the same person in a second tab
      await ok(one, 'workshop:join', { workshopId: id });
      await ok(two, 'workshop:join', { workshopId: id });
      await next(host, 'presence', (p: { count: number }) => p.count === 2);
      one.close();
      two.close();
      await next(host, 'presence', (p: { count: number }) => p.count === 1);
      expect(counts.every((p) => p.workshopId === id)).toBe(true);
    });
  });

  describe('limits', () => {
    it('accepts 20 mutating events in a burst and refuses beyond 50 per 10 s with RATE_LIMITED', async () => {
      const { id, host, people } = await room({}, 1);
      await live.stage(host, id, 'ideation');
      const target = await idea(host, id);
      await live.stage(host, id, 'voting');
      const acks = [];
      for (let i = 0; i < 60; i++) {
        acks.push(await send(people[0], 'vote:retract', { workshopId: id, ideaId: target.id }));
      }
      expect(acks.slice(0, 50).every((ack) => ack.ok)).toBe(true);
      for (const ack of acks.slice(50))
        expect(ack).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
      // Reads are not rate limited.
      expect((await send(people[0], 'workshop:join', { workshopId: id })).ok).toBe(true);
    });

    it('drops a socket that sends more than 64 KB and stores nothing', async () => {
      const { id, host, people } = await room({}, 1);
      await live.stage(host, id, 'ideation');
      const dropped = next<string>(people[0], 'disconnect');
      people[0].emit('idea:submit', {
        workshopId: id,
        title: 'Stor',
        body: 'å'.repeat(40_000),
        clientId: clientId(),
      });
      expect(await dropped).toBe('transport close');
      expect(await count(`SELECT count(*)::int AS n FROM ideas WHERE workshop_id = $1`, [id])).toBe(
        0,
      );
      // The server is fine.
      expect((await send(host, 'workshop:join', { workshopId: id })).ok).toBe(true);
    });
  });

  describe('sessions', () => {
    async function login(user: MadeUser) {
      const res = await t
        .http()
        .post('/api/auth/login')
        .send({ email: user.user.email, password: user.password })
        .expect(200);
      return res.body as { accessToken: string; refreshToken: string };
    }

    it('logout closes the user’s sockets', async () => {
      const company = await live.users.user({ role: 'company' });
      const session = await login(company);
      const socket = await socketFor(session.accessToken);
      const closed = next<string>(socket, 'disconnect');
      await t
        .http()
        .post('/api/auth/logout')
        .set({ Authorization: `Bearer ${session.accessToken}` })
        .send({ refreshToken: session.refreshToken })
        .expect(204);
      expect(await closed).toBe('io server disconnect');
    });

    it('disabling a user closes their sockets and refuses reconnecting', async () => {
      const company = await live.users.user({ role: 'company' });
      const admin = await live.users.user({ role: 'admin', regionCode: null });
      const socket = await socketFor(company.token);
      const closed = next<string>(socket, 'disconnect');
      await t
        .http()
        .patch(`/api/users/${company.user.id}`)
        .set(admin.auth)
        .send({ disabled: true })
        .expect(200);
      expect(await closed).toBe('io server disconnect');
      await expect(connect(t.url, company.token)).rejects.toThrow('unauthorized');
    });
  });

  describe('reconnect', () => {
    it('gives a reconnecting client an exact snapshot of the room and of its own votes', async () => {
      const { workshop, id, host, people } = await room({ dotBudget: 6, maxDotsPerIdea: 3 }, 1);
      await live.stage(host, id, 'ideation');
      // One after another: the snapshot lists ideas oldest first.
      const ideas: IdeaView[] = [];
      for (const title of ['Vätgas', 'Cirkulär textil', 'Öresundsbron']) {
        ideas.push(await idea(host, id, title));
      }
      const phone = await live.guest(workshop.joinCode, 'Telefon');
      let socket = await socketFor(phone.token);
      const before = await ok<Snapshot>(socket, 'workshop:join', { workshopId: id });
      await live.stage(host, id, 'voting');
      await ok(socket, 'vote:cast', {
        workshopId: id,
        ideaId: ideas[0].id,
        dots: 3,
        clientId: clientId(),
      });
      await ok(socket, 'vote:cast', {
        workshopId: id,
        ideaId: ideas[2].id,
        dots: 1,
        clientId: clientId(),
      });
      socket.close(); // the phone drops off the Wi-Fi...
      await ok(people[0], 'vote:cast', {
        workshopId: id,
        ideaId: ideas[0].id,
        dots: 2,
        clientId: clientId(),
      });
      await ok(people[0], 'vote:cast', {
        workshopId: id,
        ideaId: ideas[1].id,
        dots: 1,
        clientId: clientId(),
      });
      await ok(host, 'idea:hide', { workshopId: id, ideaId: ideas[1].id });

      socket = await socketFor(phone.token); // ...and comes back with the same token
      const after = await ok<Snapshot>(socket, 'workshop:join', { workshopId: id });
      expect(after.me).toEqual({
        participantId: before.me.participantId,
        remainingDots: 2,
        votes: { [ideas[0].id]: 3, [ideas[2].id]: 1 },
      });
      expect(after.workshop).toMatchObject({ id, stage: 'voting', participantCount: 3 });
      expect(after.ideas.map((i) => [i.title, i.voteCount])).toEqual([
        ['Vätgas', 5],
        ['Öresundsbron', 1],
      ]);
      const database = await t.dataSource.query(
        `SELECT idea_id, SUM(dots)::int AS n FROM workshop_votes WHERE workshop_id = $1 GROUP BY idea_id`,
        [id],
      );
      const tallies = Object.fromEntries(
        (database as { idea_id: string; n: number }[]).map((r) => [r.idea_id, r.n]),
      );
      for (const shown of after.ideas) expect(shown.voteCount).toBe(tallies[shown.id]);
    });
  });

  describe('results', () => {
    it('ranks the ideas by this workshop’s votes and exports them', async () => {
      const { id, host, people, workshop } = await room({ dotBudget: 5 }, 2);
      await live.stage(host, id, 'ideation');
      // One after another: equal tallies keep the order the ideas came in.
      const a = await idea(people[0], id, '=HYPERLINK("x")');
      const b = await idea(people[0], id, 'Grön stål');
      const c = await idea(people[0], id, 'Åkerbruk');
      await live.stage(host, id, 'voting');
      await ok(people[0], 'vote:cast', {
        workshopId: id,
        ideaId: b.id,
        dots: 3,
        clientId: clientId(),
      });
      await ok(people[1], 'vote:cast', {
        workshopId: id,
        ideaId: c.id,
        dots: 1,
        clientId: clientId(),
      });
      await ok(people[1], 'vote:cast', {
        workshopId: id,
        ideaId: a.id,
        dots: 1,
        clientId: clientId(),
      });
      await live.stage(host, id, 'results');
      const res = await t
        .http()
        .get(`/api/workshops/${id}/results`)
        .set(facilitator.auth)
        .expect(200);
      expect(
        res.body.map((r: { idea: IdeaView; voteCount: number; rank: number }) => [
          r.idea.title,
          r.voteCount,
          r.rank,
        ]),
      ).toEqual([
        ['Grön stål', 3, 1],
        ['=HYPERLINK("x")', 1, 2],
        ['Åkerbruk', 1, 2],
      ]);
      const guest = await live.guest(workshop.joinCode);
      expect(
        (
          await t
            .http()
            .get(`/api/workshops/${id}/results`)
            .set({ Authorization: `Bearer ${guest.token}` })
        ).status,
      ).toBe(200);

      const csv = await t
        .http()
        .get(`/api/workshops/${id}/results/export?format=csv`)
        .set(facilitator.auth)
        .expect(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      expect(csv.text.startsWith('\uFEFFrank,votes,title')).toBe(true);
      const lines = csv.text.slice(1).trim().split('\r\n');
      expect(lines).toHaveLength(4);
      expect(lines[1]).toMatch(/^1,3,Grön stål,/);
      expect(lines[2]).toMatch(/^2,1,"'=HYPERLINK\(""x""\)",/);
      const json = await t
        .http()
        .get(`/api/workshops/${id}/results/export?format=json`)
        .set(facilitator.auth)
        .expect(200);
      expect(json.body.results).toHaveLength(3);
      expect(
        (await t.http().get(`/api/workshops/${id}/results/export?format=xml`).set(facilitator.auth))
          .status,
      ).toBe(400);
      const company = await live.users.user({ role: 'company' });
      expect(
        (await t.http().get(`/api/workshops/${id}/results/export`).set(company.auth)).status,
      ).toBe(403);
      const stockholm = await live.users.user({ role: 'facilitator', regionCode: 'SE110' });
      expect(
        (await t.http().get(`/api/workshops/${id}/results/export`).set(stockholm.auth)).status,
      ).toBe(404);
    });
  });

  describe('when the database is gone', () => {
    it('acks UNAVAILABLE, refuses user handshakes with "unavailable", and never crashes', async () => {
      const { id, host, people } = await room({}, 1);
      await t.dataSource.destroy();
      const ack = await send(people[0], 'workshop:join', { workshopId: id });
      expect(ack).toEqual({
        ok: false,
        error: { code: 'UNAVAILABLE', message: expect.any(String) },
      });
      expect(await send(host, 'stage:set', { workshopId: id, stage: 'voting' })).toMatchObject({
        ok: false,
        error: { code: 'UNAVAILABLE' },
      });
      await expect(connect(t.url, facilitator.token)).rejects.toThrow('unavailable');
    });
  });
});
