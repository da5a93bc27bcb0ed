import { describe, expect, it } from '@jest/globals';
import { LiveGateway } from '@edp/realtime';
import type { IdeaView } from '@edp/workshop';
import { createTestApp } from '../support/test-app.js';
import { LiveFactory, clientId, connect, next, ok, send } from './live-support.js';

describe('Graceful shutdown of the /live gateway', () => {
  it('tells clients, lets votes in flight commit and ack, then disconnects and refuses newcomers', async () => {
    const t = await createTestApp();
    try {
      const live = new LiveFactory(t);
      const { workshop, facilitator } = await live.workshop({ dotBudget: 20, maxDotsPerIdea: 20 });
      const host = await connect(t.url, facilitator.token);
      await ok(host, 'workshop:join', { workshopId: workshop.id });
      await live.stage(host, workshop.id, 'ideation');
      const idea = await ok<IdeaView>(host, 'idea:submit', {
        workshopId: workshop.id,
        title: 'Sista idén',
        clientId: clientId(),
      });
      await live.stage(host, workshop.id, 'voting');
      const guest = await connect(t.url, (await live.guest(workshop.joinCode)).token);
      await ok(guest, 'workshop:join', { workshopId: workshop.id });

      const warned = next<{ reconnect: boolean }>(guest, 'server:shutdown');
      const dropped = next<string>(guest, 'disconnect');
      // A vote still on the wire when the connection closes gets no ack: its client retries it.
      const votes = Array.from({ length: 20 }, () =>
        send<{ voteCount: number }>(guest, 'vote:cast', {
          workshopId: workshop.id,
          ideaId: idea.id,
          clientId: clientId(),
        }).catch(() => null),
      );
      // The first vote is through, the rest are queued or on the wire: the server starts
      // shutting down (as on SIGTERM).
      expect((await votes[0])?.ok).toBe(true);
      const shutdown = t.app.get(LiveGateway).beforeApplicationShutdown();
      expect(await warned).toEqual({ reconnect: true });
      const acks = await Promise.all(votes);
      await shutdown;
      // The transport closes, so socket.io clients reconnect by themselves.
      expect(await dropped).toBe('transport close');

      // Every vote was acknowledged after commit, refused as UNAVAILABLE, or never received.
      const acknowledged = acks.filter((ack) => ack?.ok).length;
      expect(acknowledged).toBeGreaterThan(1);
      for (const ack of acks) if (ack && !ack.ok) expect(ack.error.code).toBe('UNAVAILABLE');
      const [stored] = await t.dataSource.query<{ n: number }[]>(
        `SELECT COALESCE(SUM(dots), 0)::int AS n FROM workshop_votes WHERE idea_id = $1`,
        [idea.id],
      );
      expect(stored.n).toBe(acknowledged);
      await expect(connect(t.url, facilitator.token)).rejects.toThrow('unavailable');
      host.close();
      guest.close();
    } finally {
      await t.close();
    }
  });

  it('closes the whole app with clients still connected', async () => {
    const t = await createTestApp();
    const user = await new LiveFactory(t).users.user({ role: 'company' });
    const socket = await connect(t.url, user.token);
    const warned = next(socket, 'server:shutdown');
    const dropped = next<string>(socket, 'disconnect');
    await t.close();
    await warned;
    expect(await dropped).toBe('transport close');
    socket.close();
  });
});
