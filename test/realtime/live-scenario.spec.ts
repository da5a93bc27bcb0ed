import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Socket } from 'socket.io-client';
import type { IdeaView } from '@edp/workshop';
import type { WorkshopView } from '@edp/realtime';
import type { MadeUser } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { LiveFactory, clientId, connect, next, ok, record, type Snapshot } from './live-support.js';

type TallyUpdate = { workshopId: string; tallies: { ideaId: string; voteCount: number }[] };
type Ranked = { idea: IdeaView; voteCount: number; rank: number };

/**
 * A workshop in Malmö as it happens: the facilitator opens a room for a discovery process,
 * 30 walk-ins and 10 companies join from their phones, ideas come in, people vote with
 * their dots, and the big screen shows the result.
 */
describe('A live workshop, start to finish', () => {
  let t: TestApp;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await t.close();
  });

  async function phone(token: string): Promise<Socket> {
    const socket = await connect(t.url, token);
    sockets.push(socket);
    return socket;
  }

  it('runs a session whose results match every vote cast', async () => {
    const live = new LiveFactory(t);

    // The facilitator prepares the room and puts the code on the projector.
    const facilitator = await live.users.user({
      role: 'facilitator',
      regionCode: 'SE224',
      displayName: 'Maja Facilitator',
    });
    const process = await live.workshops.process({
      regionCode: 'SE224',
      title: 'Livsmedel och hållbarhet i Skåne',
    });
    const created = await t
      .http()
      .post(`/api/processes/${process.id}/workshops`)
      .set(facilitator.auth)
      .send({
        title: 'Workshop på Media Evolution City',
        votingMode: 'dots',
        dotBudget: 3,
        maxDotsPerIdea: 2,
      })
      .expect(201);
    const workshop = created.body as WorkshopView;
    const bigScreen = await phone(facilitator.token);
    const screenTallies = record<TallyUpdate>(bigScreen, 'tally:updated');
    await ok(bigScreen, 'workshop:join', { workshopId: workshop.id });

    // 30 walk-ins join as guests; 10 company representatives join with their accounts.
    const people: { name: string; socket: Socket }[] = [];
    for (let i = 1; i <= 30; i++) {
      const name = `Besökare ${i}${i % 3 === 0 ? ' Åström' : ''}`;
      const guest = await live.guest(workshop.joinCode.toLowerCase(), name);
      people.push({ name, socket: await phone(guest.token) });
    }
    const companies: MadeUser[] = [];
    for (let i = 1; i <= 10; i++) {
      const company = await live.users.user({
        role: 'company',
        displayName: `Företag ${i}`,
        organisationName: `Skånska Livs ${i} AB`,
      });
      await live.join(company, workshop.joinCode);
      companies.push(company);
      people.push({ name: `Företag ${i}`, socket: await phone(company.token) });
    }
    const snapshots = await Promise.all(
      people.map(({ socket }) =>
        ok<Snapshot>(socket, 'workshop:join', { workshopId: workshop.id }),
      ),
    );
    expect(snapshots.every((s) => s.me.remainingDots === 3 && s.ideas.length === 0)).toBe(true);
    await next(bigScreen, 'presence', (p: { count: number }) => p.count === 41);
    const view = await t
      .http()
      .get(`/api/workshops/${workshop.id}`)
      .set(facilitator.auth)
      .expect(200);
    expect(view.body.participantCount).toBe(41);

    // Ideation: a timer on the screen, and twelve ideas arrive (some sent twice on a bad connection).
    await ok(bigScreen, 'timer:set', { workshopId: workshop.id, seconds: 600 });
    const opened = next<WorkshopView>(
      people[0].socket,
      'workshop:updated',
      (w) => w.stage === 'ideation',
    );
    await ok(bigScreen, 'stage:set', { workshopId: workshop.id, stage: 'ideation' });
    await opened;
    const titles = [
      'Matsvinn till biogas i Malmö',
      'Gemensam kyllogistik för småproducenter',
      'Ölandsvete i skolmaten',
      'Insekter som proteinkälla',
      'Digital marknadsplats för ”fula” grönsaker',
      'Vertikala odlingar i Hyllie',
      'Återbrukbara förpackningar',
      'Kompetensbank för livsmedelsteknik',
      'Lokala mejerier i samverkan',
      'Algodling i Öresund',
      'Spårbarhet med QR-koder',
      'Testbädd för växtbaserat',
    ];
    const ideas: IdeaView[] = [];
    for (const [i, title] of titles.entries()) {
      const author = people[i * 3].socket;
      const payload = { workshopId: workshop.id, title, clientId: clientId() };
      const idea = await ok<IdeaView>(author, 'idea:submit', payload);
      if (i % 4 === 0)
        expect((await ok<IdeaView>(author, 'idea:submit', payload)).id).toBe(idea.id);
      ideas.push(idea);
    }
    await ok(people[5].socket, 'comment:add', {
      workshopId: workshop.id,
      ideaId: ideas[0].id,
      body: 'Vi på Sysav kan bidra!',
      clientId: clientId(),
    });
    expect(
      (
        await t.dataSource.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM ideas WHERE workshop_id = $1`,
          [workshop.id],
        )
      )[0].n,
    ).toBe(12);
    // The facilitator hides an off-topic post and spotlights the first idea.
    const offTopic = await ok<IdeaView>(people[1].socket, 'idea:submit', {
      workshopId: workshop.id,
      title: 'Köp billiga klockor här',
      clientId: clientId(),
    });
    await ok(bigScreen, 'idea:hide', { workshopId: workshop.id, ideaId: offTopic.id });
    await ok(bigScreen, 'idea:spotlight', { workshopId: workshop.id, ideaId: ideas[0].id });

    // Voting: everyone spends their three dots at once.
    await ok(bigScreen, 'stage:set', { workshopId: workshop.id, stage: 'voting' });
    const expected = new Map<string, number>(ideas.map((idea) => [idea.id, 0]));
    const plans = people.map((_, p) => [
      { ideaId: ideas[p % 12].id, dots: 2 },
      {
        ideaId:
          ideas[(p * 7) % 12].id === ideas[p % 12].id
            ? ideas[(p + 1) % 12].id
            : ideas[(p * 7) % 12].id,
        dots: 1,
      },
    ]);
    const acks = await Promise.all(
      people.map(({ socket }, p) =>
        Promise.all(
          plans[p].map((vote) =>
            ok<{ remainingDots: number }>(socket, 'vote:cast', {
              workshopId: workshop.id,
              ...vote,
              clientId: clientId(),
            }),
          ),
        ),
      ),
    );
    for (const plan of plans)
      for (const vote of plan) expected.set(vote.ideaId, expected.get(vote.ideaId)! + vote.dots);
    expect(acks.map((pair) => Math.min(...pair.map((a) => a.remainingDots)))).toEqual(
      people.map(() => 0),
    );
    // Someone tries a fourth dot.
    const extra = await ok<unknown>(people[0].socket, 'vote:retract', {
      workshopId: workshop.id,
      ideaId: plans[0][1].ideaId,
    }).then(() =>
      ok(people[0].socket, 'vote:cast', {
        workshopId: workshop.id,
        ideaId: plans[0][1].ideaId,
        clientId: clientId(),
      }),
    );
    expect(extra).toMatchObject({ remainingDots: 0 });

    // Results: the stage moves on, the screen's last tallies and the ranked results agree with the votes.
    const done = next<WorkshopView>(
      people[39].socket,
      'workshop:updated',
      (w) => w.stage === 'results',
    );
    await ok(bigScreen, 'stage:set', { workshopId: workshop.id, stage: 'results' });
    await done;
    const results = (
      await t.http().get(`/api/workshops/${workshop.id}/results`).set(companies[0].auth).expect(200)
    ).body as Ranked[];
    expect(results).toHaveLength(12);
    expect(results.map((r) => r.idea.id)).not.toContain(offTopic.id);
    expect(Object.fromEntries(results.map((r) => [r.idea.id, r.voteCount]))).toEqual(
      Object.fromEntries(expected),
    );
    expect(results.reduce((sum, r) => sum + r.voteCount, 0)).toBe(40 * 3);
    for (const [i, r] of results.entries()) {
      if (i > 0) expect(r.voteCount).toBeLessThanOrEqual(results[i - 1].voteCount);
      expect(r.rank).toBe(results.findIndex((other) => other.voteCount === r.voteCount) + 1);
    }
    const screen = () => {
      const last = new Map<string, number>();
      for (const update of screenTallies)
        for (const tally of update.tallies) last.set(tally.ideaId, tally.voteCount);
      return Object.fromEntries(results.map((r) => [r.idea.id, last.get(r.idea.id) ?? 0]));
    };
    const final = Object.fromEntries(results.map((r) => [r.idea.id, r.voteCount]));
    // The last coalesced broadcast leaves at most ~50 ms after the last vote.
    for (let i = 0; i < 100 && JSON.stringify(screen()) !== JSON.stringify(final); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(screen()).toEqual(final);

    // The process keeps the ideas; the facilitator exports the ranking and closes the room.
    const pool = await t.http().get(`/api/processes/${process.id}/ideas?limit=100`).expect(200);
    expect(pool.body.items.filter((i: IdeaView) => i.workshopId === workshop.id)).toHaveLength(12);
    const csv = await t
      .http()
      .get(`/api/workshops/${workshop.id}/results/export?format=csv`)
      .set(facilitator.auth)
      .expect(200);
    expect(csv.text).toContain(results[0].idea.title);
    await ok(bigScreen, 'stage:set', { workshopId: workshop.id, stage: 'closed' });
    const late = await t
      .http()
      .post('/api/workshops/join')
      .send({ code: workshop.joinCode, displayName: 'Sen gäst' });
    expect(late.status).toBe(404);
  }, 180_000);
});
