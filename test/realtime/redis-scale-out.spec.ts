import {
  createServer,
  connect as tcpConnect,
  type Server,
  type Socket as TcpSocket,
} from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { Socket } from 'socket.io-client';
import type { IdeaView } from '@edp/workshop';
import { RealtimeEvent, type WorkshopTalliesReadEvent, type WorkshopView } from '@edp/realtime';
import { createTestDatabase, type TestDatabase } from '@edp/database';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { LiveFactory, clientId, connect, next, ok, record, send } from './live-support.js';

/**
 * Two api instances on ONE PostgreSQL database and this machine's Redis. Without
 * DATABASE_URL (the default embedded run) this file still needs a real PostgreSQL, because
 * two processes cannot share an embedded database: it uses the local server then.
 */
const POSTGRES = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_PORT = 6379;

/** A TCP hop in front of Redis that the test can cut, to take Redis away without touching it. */
class RedisHop {
  private server: Server | null = null;
  private readonly open = new Set<TcpSocket>();
  port = 0;

  async start(): Promise<void> {
    const server = createServer((client) => {
      const upstream = tcpConnect(REDIS_PORT, '127.0.0.1');
      for (const socket of [client, upstream]) {
        this.open.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => {
          this.open.delete(socket);
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.open) socket.destroy();
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}

async function until(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return check();
}

describe('Two api instances over Redis', () => {
  let database: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  const hop = new RedisHop();
  const sockets: Socket[] = [];

  async function socketFor(app: TestApp, token: string): Promise<Socket> {
    const socket = await connect(app.url, token);
    sockets.push(socket);
    return socket;
  }

  beforeAll(async () => {
    database = await createTestDatabase(POSTGRES);
    await hop.start();
    // Channels are prefixed with the database name, so parallel runs on one Redis never cross.
    const redisUrl = `redis://127.0.0.1:${hop.port}`;
    a = await createTestApp({ redisUrl }, { database });
    b = await createTestApp({ redisUrl }, { database });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await a?.close();
    await b?.close();
    await hop.stop();
    await database?.drop();
  });

  /** A workshop with the facilitator on instance A and one guest on each instance. */
  async function spread() {
    const live = new LiveFactory(a);
    const { workshop, facilitator } = await live.workshop({ dotBudget: 5 });
    const host = await socketFor(a, facilitator.token);
    await ok(host, 'workshop:join', { workshopId: workshop.id });
    const onA = await socketFor(a, (await live.guest(workshop.joinCode, 'Anna på A')).token);
    // The guest token from A is valid on B: both share the database and the secret.
    const onB = await socketFor(b, (await live.guest(workshop.joinCode, 'Björn på B')).token);
    await ok(onA, 'workshop:join', { workshopId: workshop.id });
    await ok(onB, 'workshop:join', { workshopId: workshop.id });
    return { workshop, facilitator, host, onA, onB, live };
  }

  /** spread(), with one idea submitted on A and the room voting. */
  async function votingOn(title: string) {
    const room = await spread();
    const { workshop, host, onA } = room;
    await ok(host, 'stage:set', { workshopId: workshop.id, stage: 'ideation' });
    const idea = await ok<IdeaView>(onA, 'idea:submit', {
      workshopId: workshop.id,
      title,
      clientId: clientId(),
    });
    await ok(host, 'stage:set', { workshopId: workshop.id, stage: 'voting' });
    return { ...room, idea };
  }

  it('reports Redis in the health check of both instances', async () => {
    for (const app of [a, b]) {
      const res = await app.http().get('/api/health').expect(200);
      expect(res.body).toEqual({ status: 'ok', database: 'up', redis: 'up' });
    }
  });

  it('carries a vote on instance A to a client on instance B, and everything else the room sees', async () => {
    const { workshop, host, onA, onB } = await spread();
    const stage = next<WorkshopView>(onB, 'workshop:updated', (w) => w.stage === 'ideation');
    await ok(host, 'stage:set', { workshopId: workshop.id, stage: 'ideation' });
    await stage;
    const created = next<IdeaView>(onB, 'idea:created');
    const idea = await ok<IdeaView>(onA, 'idea:submit', {
      workshopId: workshop.id,
      title: 'Fjärrvärme i Lund',
      clientId: clientId(),
    });
    expect((await created).id).toBe(idea.id);
    await ok(host, 'stage:set', { workshopId: workshop.id, stage: 'voting' });

    const tally = next<{ workshopId: string; tallies: { ideaId: string; voteCount: number }[] }>(
      onB,
      'tally:updated',
      (update) => update.tallies.some((t) => t.ideaId === idea.id && t.voteCount === 3),
    );
    const ack = await ok<{ voteCount: number }>(onA, 'vote:cast', {
      workshopId: workshop.id,
      ideaId: idea.id,
      dots: 3,
      clientId: clientId(),
    });
    expect(ack.voteCount).toBe(3);
    expect((await tally).workshopId).toBe(workshop.id);

    // And back: a vote on B reaches A, and both see the same database.
    const back = next<{ tallies: { ideaId: string; voteCount: number }[] }>(
      onA,
      'tally:updated',
      (u) => u.tallies.some((t) => t.ideaId === idea.id && t.voteCount === 5),
    );
    await ok(onB, 'vote:cast', {
      workshopId: workshop.id,
      ideaId: idea.id,
      dots: 2,
      clientId: clientId(),
    });
    await back;
    const [row] = await a.dataSource.query<{ n: number }[]>(
      `SELECT SUM(dots)::int AS n FROM workshop_votes WHERE idea_id = $1`,
      [idea.id],
    );
    expect(row.n).toBe(5);
  });

  it('sends each client the tallies its own instance read: one per window, not one per instance', async () => {
    const { workshop, onA, onB, idea } = await votingOn('Vätgas i Norrbotten');

    // The room tallies each instance read and broadcast, and what each client received.
    const readOn = (app: TestApp) => {
      const reads: WorkshopTalliesReadEvent[] = [];
      app.app
        .get(EventEmitter2)
        .on(RealtimeEvent.TalliesRead, (event: WorkshopTalliesReadEvent) => {
          if (event.workshopId === workshop.id && !event.socketId) reads.push(event);
        });
      return reads;
    };
    const [readOnA, readOnB] = [readOn(a), readOn(b)];
    type Update = { tallies: { ideaId: string; voteCount: number }[] };
    const [gotOnA, gotOnB] = [
      record<Update>(onA, 'tally:updated'),
      record<Update>(onB, 'tally:updated'),
    ];

    // Votes on both instances, one after another, each in a window of its own instance.
    for (const voter of [onA, onB, onA, onB]) {
      await ok(voter, 'vote:cast', {
        workshopId: workshop.id,
        ideaId: idea.id,
        clientId: clientId(),
      });
    }
    const final = (update: Update) => update.tallies.some((t) => t.voteCount === 4);
    await Promise.all([next(onA, 'tally:updated', final), next(onB, 'tally:updated', final)]);

    // Each instance read the votes cast on the other too (it was told which ideas changed)…
    const sawAll = (reads: WorkshopTalliesReadEvent[]) =>
      reads.some((r) => r.tallies.some((t) => t.ideaId === idea.id && t.voteCount === 4));
    expect(sawAll(readOnA) && sawAll(readOnB)).toBe(true);
    // …and a client got exactly its own instance's reads: none from the other instance.
    expect(
      await until(
        async () => gotOnA.length === readOnA.length && gotOnB.length === readOnB.length,
        3000,
      ),
    ).toBe(true);
    expect(readOnA.length).toBeGreaterThan(0);
    expect(readOnB.length).toBeGreaterThan(0);
  });

  it('counts presence across instances', async () => {
    const { host } = await spread();
    await next(host, 'presence', (p: { count: number }) => p.count === 3);
  });

  it('closes a user’s sockets on every instance at logout', async () => {
    const live = new LiveFactory(a);
    const company = await live.users.user({ role: 'company' });
    const login = await a
      .http()
      .post('/api/auth/login')
      .send({ email: company.user.email, password: company.password })
      .expect(200);
    const onB = await socketFor(b, login.body.accessToken as string);
    const closed = next<string>(onB, 'disconnect');
    await a
      .http()
      .post('/api/auth/logout')
      .set({ Authorization: `Bearer ${login.body.accessToken}` })
      .send({ refreshToken: login.body.refreshToken })
      .expect(204);
    expect(await closed).toBe('io server disconnect');
  });

  it('keeps both instances serving while Redis is away, and links them again when it returns', async () => {
    const { workshop, host, onA, onB, idea } = await votingOn('Kollektivtrafik på landsbygden');

    await hop.stop();
    expect(await until(async () => (await a.http().get('/api/health')).status === 503)).toBe(true);
    const health = await b.http().get('/api/health');
    expect(health.status).toBe(503);
    expect(health.body).toEqual({ status: 'unavailable', database: 'up', redis: 'down' });

    // Same-instance broadcasts and every ack still work; nothing is lost in the database.
    const local = next<{ tallies: { ideaId: string; voteCount: number }[] }>(
      host,
      'tally:updated',
      (u) => u.tallies.some((t) => t.ideaId === idea.id && t.voteCount === 1),
    );
    const ack = await send<{ voteCount: number }>(onA, 'vote:cast', {
      workshopId: workshop.id,
      ideaId: idea.id,
      clientId: clientId(),
    });
    expect(ack).toMatchObject({ ok: true, data: { voteCount: 1 } });
    await local;
    expect(
      await send(onB, 'vote:cast', {
        workshopId: workshop.id,
        ideaId: idea.id,
        clientId: clientId(),
      }),
    ).toMatchObject({ ok: true, data: { voteCount: 2 } });
    expect((await a.http().get('/api/regions')).status).toBe(200);
    // Joining works too (the join-guessing counters fall back to memory without Redis).
    const late = await b
      .http()
      .post('/api/workshops/join')
      .send({ code: workshop.joinCode, displayName: 'Sen gäst' });
    expect(late.status).toBe(200);
    expect(
      (await b.http().post('/api/workshops/join').send({ code: 'ZZZZZZ', displayName: 'X' }))
        .status,
    ).toBe(404);

    await hop.start();
    expect(
      await until(
        async () =>
          (await a.http().get('/api/health')).status === 200 &&
          (await b.http().get('/api/health')).status === 200,
      ),
    ).toBe(true);
    // Resubscribed: a vote on A reaches B again.
    const across = next<{ tallies: { ideaId: string; voteCount: number }[] }>(
      onB,
      'tally:updated',
      (u) => u.tallies.some((t) => t.ideaId === idea.id && t.voteCount === 3),
    );
    await until(async () => {
      // The subscriber may reconnect a moment after the publisher: a reconnecting client resyncs anyway.
      const snapshot = await send<{ ideas: { id: string; voteCount: number }[] }>(
        onB,
        'workshop:join',
        { workshopId: workshop.id },
      );
      return snapshot.ok && snapshot.data.ideas.some((i) => i.id === idea.id && i.voteCount === 2);
    });
    await ok(onA, 'vote:cast', { workshopId: workshop.id, ideaId: idea.id, clientId: clientId() });
    await across;
  });
});
