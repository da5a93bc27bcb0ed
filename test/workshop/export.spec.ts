import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Factory, type MadeUser } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { WorkshopFactory } from '../support/workshop-factory.js';

/** An independent RFC 4180 reader, so the test does not trust the code it checks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  if (cell || row.length) throw new Error('CSV does not end with CRLF');
  return rows;
}

describe('export', () => {
  let t: TestApp;
  let w: WorkshopFactory;
  let admin: MadeUser;
  let agency: MadeUser;
  let skane: MadeUser;
  let facilitator: MadeUser;
  let stockholm: MadeUser;
  let company: MadeUser;
  let researcher: MadeUser;
  let processId: string;
  let ideaIds: string[];

  beforeAll(async () => {
    t = await createTestApp();
    const f = new Factory(t);
    w = new WorkshopFactory(t);
    admin = await f.user({ role: 'admin' });
    agency = await f.user({ role: 'agency' });
    skane = await f.user({ role: 'region', regionCode: 'SE224' });
    facilitator = await f.user({ role: 'facilitator', regionCode: 'SE224' });
    stockholm = await f.user({ role: 'region', regionCode: 'SE110' });
    company = await f.user({
      role: 'company',
      displayName: 'Örjan Ängström',
      organisationName: 'Åhus Ägg AB',
    });
    researcher = await f.user({ role: 'researcher' });
    const area = await w.priorityArea('SE224', 'Hållbar livsmedelsproduktion');
    const process = await w.process({ priorityAreaIds: [area.id] });
    processId = process.id;
    const ideas = [
      await w.idea(company, processId, {
        title: 'Räksmörgås, "extra" allt',
        body: 'Rad ett\r\nrad två, med komma',
        priorityAreaIds: [area.id],
      }),
      await w.idea(company, processId, {
        title: '=HYPERLINK("http://evil.example","klicka")',
        body: '+46 70 123',
      }),
      await w.idea(researcher, processId, { title: '-2+3 är fem', body: '@SUM(A1:A9)' }),
      await w.idea(researcher, processId, { title: '\tTabbad titel', body: '\rVagnretur' }),
    ];
    ideaIds = ideas.map((i) => i.id);
    await t.http().put(`/api/ideas/${ideaIds[0]}/vote`).set(researcher.auth).expect(200);
    await t
      .http()
      .post(`/api/ideas/${ideaIds[0]}/comments`)
      .set(researcher.auth)
      .send({ body: 'Gott!' })
      .expect(201);
    await t
      .http()
      .patch(`/api/ideas/${ideaIds[3]}`)
      .set(skane.auth)
      .send({ hidden: true })
      .expect(200);
  });
  afterAll(async () => {
    await t.close();
  });

  it('sends CSV whatever the client says it accepts', async () => {
    const res = await t
      .http()
      .get(`/api/processes/${processId}/export?format=csv`)
      .set(skane.auth)
      .set('accept', 'application/json')
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect([...(res.body as Buffer).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('writes CSV with a BOM, CRLF, RFC 4180 quoting and neutralised formula cells', async () => {
    const res = await t
      .http()
      .get(`/api/processes/${processId}/export?format=csv`)
      .set(skane.auth)
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="process-${processId}.csv"`,
    );
    const bytes = res.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(bytes.subarray(3).toString('utf8'));
    const [header, ...data] = rows;
    expect(header).toEqual([
      'id',
      'title',
      'body',
      'status',
      'mergedIntoId',
      'hidden',
      'voteCount',
      'commentCount',
      'priorityAreas',
      'authorName',
      'organisationName',
      'helix',
      'workshopId',
      'createdAt',
    ]);
    expect(data).toHaveLength(4);
    const byId = new Map(
      data.map((row) => [row[0], Object.fromEntries(header.map((h, i) => [h, row[i]]))]),
    );
    expect(byId.get(ideaIds[0])).toMatchObject({
      title: 'Räksmörgås, "extra" allt',
      body: 'Rad ett\r\nrad två, med komma',
      status: 'submitted',
      hidden: 'false',
      voteCount: '1',
      commentCount: '1',
      priorityAreas: 'Hållbar livsmedelsproduktion',
      authorName: 'Örjan Ängström',
      organisationName: 'Åhus Ägg AB',
      helix: 'industry',
      workshopId: '',
    });
    expect(byId.get(ideaIds[1])).toMatchObject({
      title: `'=HYPERLINK("http://evil.example","klicka")`,
      body: "'+46 70 123",
    });
    expect(byId.get(ideaIds[2])).toMatchObject({
      title: "'-2+3 är fem",
      body: "'@SUM(A1:A9)",
      helix: 'academia',
    });
    expect(byId.get(ideaIds[3])).toMatchObject({
      title: "'\tTabbad titel",
      body: "'\rVagnretur",
      hidden: 'true',
    });
    // No cell that a spreadsheet would evaluate survives.
    for (const row of data) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('gives the same ideas as JSON, unaltered', async () => {
    const res = await t
      .http()
      .get(`/api/processes/${processId}/export?format=json`)
      .set(agency.auth)
      .expect(200);
    expect(res.body.processId).toBe(processId);
    expect(res.body.ideas.map((i: { id: string }) => i.id)).toEqual(ideaIds);
    expect(res.body.ideas[1]).toMatchObject({
      title: '=HYPERLINK("http://evil.example","klicka")',
      helix: 'industry',
    });
    expect(res.body.ideas[0]).toMatchObject({
      voteCount: 1,
      commentCount: 1,
      priorityAreas: ['Hållbar livsmedelsproduktion'],
    });
  });

  it('is for admins, the agency and the region’s own staff only', async () => {
    await t.http().get(`/api/processes/${processId}/export`).set(admin.auth).expect(200);
    for (const user of [company, researcher, facilitator, stockholm]) {
      const res = await t.http().get(`/api/processes/${processId}/export`).set(user.auth);
      expect(res.status).toBe(403);
    }
    await t.http().get(`/api/processes/${processId}/export`).expect(401);
    const draft = await w.process({ phase: 'draft' });
    await t.http().get(`/api/processes/${draft.id}/export`).set(stockholm.auth).expect(404);
    await t.http().get(`/api/processes/${draft.id}/export`).set(skane.auth).expect(200);
    const bad = await t
      .http()
      .get(`/api/processes/${processId}/export?format=xlsx`)
      .set(skane.auth);
    expect(bad.status).toBe(400);
  });
});
