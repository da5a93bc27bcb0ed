import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Factory, type MadeUser } from '../support/factories.js';
import { InsightFactory } from '../support/insight-factory.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const set = JSON.parse(
  readFileSync(join(process.cwd(), 'test/insight/fixtures/labelled-pairs.json'), 'utf8'),
) as { ideas: Record<string, { title: string; body: string }> };
const text = (key: string) => set.ideas[key];

interface RegionRow {
  code: string;
  scope: string;
  processes: Record<string, number>;
  ideas: number;
  votes: number;
  comments: number;
  participantsByHelix: Record<string, number>;
  priorityAreas: { id: string; name: string; ideas: number }[];
}
interface Cluster {
  ideas: { id: string; processId: string }[];
  regionCodes: string[];
}

/** 3 counties (and their NUTS-2 areas), 6 processes, 300+ ideas, votes and comments. */
describe('GET /api/overview', () => {
  let t: TestApp;
  let admin: MadeUser;
  let agency: MadeUser;
  let skaneStaff: MadeUser;
  let facilitator: MadeUser;
  let company: MadeUser;
  let researcher: MadeUser;
  const people: MadeUser[] = [];
  const p: Record<string, string> = {};
  const dup: Record<string, string> = {};
  let area: string;

  beforeAll(async () => {
    t = await createTestApp();
    const f = new Factory(t);
    const data = new InsightFactory(t.dataSource);
    admin = await f.user({ role: 'admin' });
    agency = await f.user({ role: 'agency' });
    skaneStaff = await f.user({ role: 'region', regionCode: 'SE224' });
    facilitator = await f.user({ role: 'facilitator', regionCode: 'SE224' });
    company = await f.user({ role: 'company' });
    researcher = await f.user({ role: 'researcher' });
    for (const helix of ['industry', 'industry', 'academia', 'public', 'civil', 'civil'] as const) {
      people.push(await f.user({ role: 'company', helix }));
    }
    people.push(await f.user({ role: 'company', helix: null })); // no organisation: no helix

    p.skaneOpen = await data.process('SE224', 'open');
    p.skaneDraft = await data.process('SE224', 'draft');
    p.sthlmOpen = await data.process('SE110', 'open');
    p.sthlmClosed = await data.process('SE110', 'closed');
    p.vgReview = await data.process('SE232', 'review');
    p.vgDraft = await data.process('SE232', 'draft');
    area = await data.priorityArea('SE224', 'Hållbar energi');

    // Cross-region duplicates that must form clusters; drafts and hidden copies must not join.
    dup.skane = await data.idea(p.skaneOpen, { ...text('sv-h2-e4-a'), author: people[0] });
    dup.sthlm = await data.idea(p.sthlmOpen, { ...text('sv-h2-e4-b'), author: people[2] });
    dup.vgDraft = await data.idea(p.vgDraft, { ...text('sv-h2-e4-b'), author: people[1] });
    dup.vgHidden = await data.idea(p.vgReview, { ...text('sv-h2-e4-a'), hidden: true });
    dup.heatSkane = await data.idea(p.skaneOpen, { ...text('sv-heat-a'), author: people[3] });
    dup.heatVg = await data.idea(p.vgReview, { ...text('sv-heat-a'), author: people[4] });
    dup.textileSthlm = await data.idea(p.sthlmClosed, { ...text('en-textile-a') });
    dup.textileSthlm2 = await data.idea(p.sthlmOpen, { ...text('en-textile-b') });

    // 300 more ideas with distinct words, spread over the six processes, some hidden,
    // some by guests; votes and comments by a pool of people of every helix.
    const processIds = Object.values(p);
    const rows = Array.from({ length: 300 }, (_, n) => ({
      process_id: processIds[n % processIds.length],
      author: n % 9 === 0 ? null : people[n % people.length],
      hidden: n % 17 === 0,
      n,
    }));
    const inserted: { id: string }[] = await t.dataSource.query(
      `INSERT INTO ideas (process_id, author_user_id, author_guest_id, author_name, organisation_name, helix, title, body, hidden)
       SELECT r.process_id, r.author_id, CASE WHEN r.author_id IS NULL THEN gen_random_uuid() END,
              coalesce(u.display_name, 'Gäst'), o.name, o.helix,
              'Förslag ' || md5(r.n::text), 'Beskrivning ' || md5((r.n + 1000)::text) || ' ' || md5((r.n + 2000)::text), r.hidden
       FROM jsonb_to_recordset($1::jsonb) AS r(process_id uuid, author_id uuid, hidden boolean, n int)
       LEFT JOIN users u ON u.id = r.author_id LEFT JOIN organisations o ON o.id = u.organisation_id
       RETURNING id`,
      [
        JSON.stringify(
          rows.map((r) => ({ ...r, author_id: r.author?.user.id ?? null, author: undefined })),
        ),
      ],
    );
    expect(inserted).toHaveLength(300);
    for (const [index, idea] of inserted.entries()) {
      if (index % 3 === 0) await data.vote(idea.id, people[index % people.length]);
      if (index % 5 === 0) await data.vote(idea.id, people[(index + 1) % people.length]);
      if (index % 7 === 0)
        await data.comment(idea.id, people[(index + 2) % people.length], index % 14 === 0);
      if (index % 10 === 0) {
        await t.dataSource.query(
          `INSERT INTO idea_priority_areas (idea_id, priority_area_id)
           SELECT $1, $2 FROM ideas i JOIN processes pr ON pr.id = i.process_id
           WHERE i.id = $1 AND pr.region_code = 'SE224'`,
          [idea.id, area],
        );
      }
    }
  }, 120000);

  afterAll(async () => {
    await t.close();
  });

  /** The overview indexes a few ideas per request and the rest in the background. */
  async function indexedOverview(user: MadeUser) {
    for (let attempt = 0; attempt < 240; attempt++) {
      const res = await t.http().get('/api/overview').set(user.auth).expect(200);
      if (res.body.clustersPending === 0) return res;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new Error('the similarity index did not finish');
  }

  /** Straight recount: the rule written out once more, region by region, in plain SQL. */
  async function recount(code: string, full: (regionCode: string) => boolean) {
    const procs: { id: string; region_code: string; phase: string }[] = await t.dataSource.query(
      `SELECT p.id, p.region_code, p.phase FROM processes p JOIN regions r ON r.code = p.region_code
       WHERE p.region_code = $1 OR r.parent_code = $1`,
      [code],
    );
    const visible = procs.filter((proc) => full(proc.region_code) || proc.phase !== 'draft');
    const processes = { draft: 0, open: 0, review: 0, closed: 0 } as Record<string, number>;
    for (const proc of visible) processes[proc.phase]++;
    const fullIds = visible.filter((proc) => full(proc.region_code)).map((proc) => proc.id);
    const pubIds = visible.filter((proc) => !full(proc.region_code)).map((proc) => proc.id);
    const ideaFilter = `(i.process_id = ANY($1::uuid[]) OR (i.process_id = ANY($2::uuid[]) AND NOT i.hidden))`;
    const [counts] = await t.dataSource.query(
      `SELECT
         (SELECT count(*) FROM ideas i WHERE ${ideaFilter})::int AS ideas,
         (SELECT count(*) FROM idea_votes v JOIN ideas i ON i.id = v.idea_id WHERE ${ideaFilter})::int AS votes,
         (SELECT count(*) FROM comments c JOIN ideas i ON i.id = c.idea_id WHERE ${ideaFilter}
            AND (i.process_id = ANY($1::uuid[]) OR NOT c.hidden))::int AS comments`,
      [fullIds, pubIds],
    );
    const helixRows: { helix: string; n: number }[] = await t.dataSource.query(
      `SELECT o.helix, count(DISTINCT u.id)::int AS n FROM users u JOIN organisations o ON o.id = u.organisation_id
       WHERE u.id IN (
         SELECT i.author_user_id FROM ideas i WHERE ${ideaFilter}
         UNION SELECT v.user_id FROM idea_votes v JOIN ideas i ON i.id = v.idea_id WHERE ${ideaFilter}
         UNION SELECT c.author_user_id FROM comments c JOIN ideas i ON i.id = c.idea_id WHERE ${ideaFilter}
           AND (i.process_id = ANY($1::uuid[]) OR NOT c.hidden))
       GROUP BY o.helix`,
      [fullIds, pubIds],
    );
    const participantsByHelix = { industry: 0, academia: 0, public: 0, civil: 0 } as Record<
      string,
      number
    >;
    for (const row of helixRows) participantsByHelix[row.helix] = row.n;
    return { processes, ...counts, participantsByHelix };
  }

  const REGIONS = ['SE224', 'SE22', 'SE110', 'SE11', 'SE232', 'SE23', 'SE123'];

  it.each([
    ['admin', () => admin],
    ['agency', () => agency],
  ])('%s sees every region in full, equal to a recount', async (_name, who) => {
    const res = await t.http().get('/api/overview').set(who().auth).expect(200);
    const regions = res.body.regions as RegionRow[];
    expect(regions.map((region) => region.code)).toEqual(expect.arrayContaining(REGIONS));
    for (const code of REGIONS) {
      const row = regions.find((region) => region.code === code)!;
      const expected = await recount(code, () => true);
      expect({ code, ...pick(row) }).toEqual({ code, ...expected });
      expect(row.scope).toBe('full');
    }
    const skane = regions.find((region) => region.code === 'SE224')!;
    expect(skane.processes).toEqual({ draft: 1, open: 1, review: 0, closed: 0 });
    expect(skane.ideas).toBeGreaterThan(100);
    expect(skane.participantsByHelix.industry).toBeGreaterThan(0);
  });

  it('region staff see their own region in full and the others only published', async () => {
    const res = await t.http().get('/api/overview').set(skaneStaff.auth).expect(200);
    const regions = res.body.regions as RegionRow[];
    for (const code of REGIONS) {
      const row = regions.find((region) => region.code === code)!;
      const expected = await recount(code, (regionCode) => regionCode === 'SE224');
      expect({ code, ...pick(row) }).toEqual({ code, ...expected });
    }
    const own = regions.find((region) => region.code === 'SE224')!;
    const other = regions.find((region) => region.code === 'SE232')!;
    expect(own.scope).toBe('full');
    expect(own.processes.draft).toBe(1);
    expect(other.scope).toBe('published');
    expect(other.processes.draft).toBe(0);
    const admin = await t.http().get('/api/overview').set(agency.auth).expect(200);
    const adminVg = (admin.body.regions as RegionRow[]).find((region) => region.code === 'SE232')!;
    expect(adminVg.processes.draft).toBe(1);
    expect(adminVg.ideas).toBeGreaterThan(other.ideas);
  });

  it('counts a region’s priority areas', async () => {
    const res = await t.http().get('/api/overview').set(admin.auth).expect(200);
    const skane = (res.body.regions as RegionRow[]).find((region) => region.code === 'SE224')!;
    const [expected] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM idea_priority_areas WHERE priority_area_id = $1`,
      [area],
    );
    expect(skane.priorityAreas).toEqual([{ id: area, name: 'Hållbar energi', ideas: expected.n }]);
  });

  it('groups similar published ideas of two or more regions into clusters', async () => {
    const res = await indexedOverview(agency);
    const clusters = res.body.clusters as Cluster[];
    const members = (cluster: Cluster) => cluster.ideas.map((idea) => idea.id).sort();
    expect(clusters).toEqual(
      expect.arrayContaining([
        { ideas: expect.any(Array), regionCodes: ['SE110', 'SE224'] },
        { ideas: expect.any(Array), regionCodes: ['SE224', 'SE232'] },
      ]),
    );
    const all = clusters.flatMap(members);
    expect(all).toEqual(expect.arrayContaining([dup.skane, dup.sthlm, dup.heatSkane, dup.heatVg]));
    // Never a draft or hidden idea; a same-region pair is not a cross-region cluster.
    expect(all).not.toContain(dup.vgDraft);
    expect(all).not.toContain(dup.vgHidden);
    expect(all).not.toContain(dup.textileSthlm);
    for (const cluster of clusters) expect(cluster.regionCodes.length).toBeGreaterThanOrEqual(2);
    const h2 = clusters.find((cluster) => members(cluster).includes(dup.skane))!;
    expect(members(h2)).toEqual([dup.skane, dup.sthlm].sort());
    // Region staff see the same published clusters.
    const staff = await t.http().get('/api/overview').set(skaneStaff.auth).expect(200);
    expect(staff.body.clusters).toEqual(clusters);
  });

  it('follows edits and moderation: a hidden idea leaves its cluster', async () => {
    await t.dataSource.query(`UPDATE ideas SET hidden = true WHERE id = $1`, [dup.heatVg]);
    const res = await indexedOverview(agency);
    const all = (res.body.clusters as Cluster[]).flatMap((cluster) =>
      cluster.ideas.map((i) => i.id),
    );
    expect(all).not.toContain(dup.heatSkane);
    await t.dataSource.query(
      `UPDATE ideas SET hidden = false, title = $2, body = $3 WHERE id = $1`,
      [dup.heatVg, text('sv-therapydogs').title, text('sv-therapydogs').body],
    );
    const edited = await indexedOverview(agency);
    const after = (edited.body.clusters as Cluster[]).flatMap((c) => c.ideas.map((i) => i.id));
    expect(after).not.toContain(dup.heatVg);
    expect(after).toContain(dup.skane);
  });

  it.each([
    ['company', () => company, 403],
    ['researcher', () => researcher, 403],
    ['facilitator', () => facilitator, 403],
  ])('refuses a %s', async (_name, who, status) => {
    const res = await t.http().get('/api/overview').set(who().auth).expect(status);
    expect(res.body.code).toBe('FORBIDDEN');
  });

  it('needs a token', async () => {
    await t.http().get('/api/overview').expect(401);
  });
});

function pick(row: RegionRow) {
  return {
    processes: row.processes,
    ideas: row.ideas,
    votes: row.votes,
    comments: row.comments,
    participantsByHelix: row.participantsByHelix,
  };
}
