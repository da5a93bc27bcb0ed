import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Region } from '@edp/auth';
import { Factory, type MadeUser } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** Eurostat NUTS 2021, Sweden: the 8 NUTS-2 regions and 21 counties (NUTS-3, län). */
const OFFICIAL = [
  { code: 'SE11', name: 'Stockholm', kind: 'nuts2', parentCode: null },
  { code: 'SE110', name: 'Stockholms län', kind: 'county', parentCode: 'SE11' },
  { code: 'SE12', name: 'Östra Mellansverige', kind: 'nuts2', parentCode: null },
  { code: 'SE121', name: 'Uppsala län', kind: 'county', parentCode: 'SE12' },
  { code: 'SE122', name: 'Södermanlands län', kind: 'county', parentCode: 'SE12' },
  { code: 'SE123', name: 'Östergötlands län', kind: 'county', parentCode: 'SE12' },
  { code: 'SE124', name: 'Örebro län', kind: 'county', parentCode: 'SE12' },
  { code: 'SE125', name: 'Västmanlands län', kind: 'county', parentCode: 'SE12' },
  { code: 'SE21', name: 'Småland med öarna', kind: 'nuts2', parentCode: null },
  { code: 'SE211', name: 'Jönköpings län', kind: 'county', parentCode: 'SE21' },
  { code: 'SE212', name: 'Kronobergs län', kind: 'county', parentCode: 'SE21' },
  { code: 'SE213', name: 'Kalmar län', kind: 'county', parentCode: 'SE21' },
  { code: 'SE214', name: 'Gotlands län', kind: 'county', parentCode: 'SE21' },
  { code: 'SE22', name: 'Sydsverige', kind: 'nuts2', parentCode: null },
  { code: 'SE221', name: 'Blekinge län', kind: 'county', parentCode: 'SE22' },
  { code: 'SE224', name: 'Skåne län', kind: 'county', parentCode: 'SE22' },
  { code: 'SE23', name: 'Västsverige', kind: 'nuts2', parentCode: null },
  { code: 'SE231', name: 'Hallands län', kind: 'county', parentCode: 'SE23' },
  { code: 'SE232', name: 'Västra Götalands län', kind: 'county', parentCode: 'SE23' },
  { code: 'SE31', name: 'Norra Mellansverige', kind: 'nuts2', parentCode: null },
  { code: 'SE311', name: 'Värmlands län', kind: 'county', parentCode: 'SE31' },
  { code: 'SE312', name: 'Dalarnas län', kind: 'county', parentCode: 'SE31' },
  { code: 'SE313', name: 'Gävleborgs län', kind: 'county', parentCode: 'SE31' },
  { code: 'SE32', name: 'Mellersta Norrland', kind: 'nuts2', parentCode: null },
  { code: 'SE321', name: 'Västernorrlands län', kind: 'county', parentCode: 'SE32' },
  { code: 'SE322', name: 'Jämtlands län', kind: 'county', parentCode: 'SE32' },
  { code: 'SE33', name: 'Övre Norrland', kind: 'nuts2', parentCode: null },
  { code: 'SE331', name: 'Västerbottens län', kind: 'county', parentCode: 'SE33' },
  { code: 'SE332', name: 'Norrbottens län', kind: 'county', parentCode: 'SE33' },
];

describe('regions', () => {
  let t: TestApp;
  let admin: MadeUser;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await new Factory(t).user({ role: 'admin' });
  });
  afterAll(async () => {
    await t.close();
  });

  const create = (body: Record<string, unknown>) =>
    t.http().post('/api/regions').set(admin.auth).send(body);

  it('seeds exactly the official Swedish NUTS 2021 regions, names byte-identical', async () => {
    const res = await t.http().get('/api/regions').expect(200);
    expect(OFFICIAL.filter((r) => r.kind === 'nuts2')).toHaveLength(8);
    expect(OFFICIAL.filter((r) => r.kind === 'county')).toHaveLength(21);
    const swedish = (res.body as { code: string }[]).filter((r) => r.code.startsWith('SE'));
    expect(swedish).toEqual(OFFICIAL);
    expect(res.text).toContain('"name":"Östra Mellansverige"');
  });

  it('lets an admin add another EU region and a county under it, in NFC', async () => {
    const nuts2 = await create({ code: 'FI20', name: 'A\u030aland', kind: 'nuts2' }).expect(201);
    expect(nuts2.body).toEqual({ code: 'FI20', name: 'Åland', kind: 'nuts2', parentCode: null });
    const county = await create({
      code: 'FI200',
      name: 'Åland',
      kind: 'county',
      parentCode: 'FI20',
    }).expect(201);
    expect(county.body).toEqual({
      code: 'FI200',
      name: 'Åland',
      kind: 'county',
      parentCode: 'FI20',
    });
    const list = await t.http().get('/api/regions').expect(200);
    expect(list.body).toContainEqual(county.body);
  });

  it('refuses a region that exists (409 REGION_EXISTS) and keeps the original', async () => {
    const res = await create({ code: 'SE224', name: 'Kapad', kind: 'county', parentCode: 'SE22' });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('REGION_EXISTS');
    const stored = await t.dataSource.manager.findOneByOrFail(Region, { code: 'SE224' });
    expect(stored.name).toBe('Skåne län');
  });

  it.each([
    ['lower-case code', { code: 'de21', name: 'X', kind: 'nuts2' }, 'VALIDATION_FAILED'],
    ['code too long', { code: 'DE2111', name: 'X', kind: 'county' }, 'VALIDATION_FAILED'],
    ['kind and level disagree', { code: 'DE21', name: 'X', kind: 'county' }, 'VALIDATION_FAILED'],
    ['unknown kind', { code: 'DE21', name: 'X', kind: 'state' }, 'VALIDATION_FAILED'],
    [
      'unknown parent',
      { code: 'DE211', name: 'X', kind: 'county', parentCode: 'DE21' },
      'UNKNOWN_REGION',
    ],
    [
      'parent of another branch',
      { code: 'SE229', name: 'X', kind: 'county', parentCode: 'SE11' },
      'VALIDATION_FAILED',
    ],
    ['blank name', { code: 'DE21', name: '  ', kind: 'nuts2' }, 'VALIDATION_FAILED'],
    ['NUL in name', { code: 'DE21', name: 'A\u0000', kind: 'nuts2' }, 'VALIDATION_FAILED'],
    ['extra field', { code: 'DE21', name: 'X', kind: 'nuts2', id: 'x' }, 'VALIDATION_FAILED'],
  ])('refuses %s with 400 and stores nothing', async (_label, body, code) => {
    const res = await create(body).expect(400);
    expect(res.body.code).toBe(code);
    const stored = await t.dataSource.manager.existsBy(Region, { code: String(body.code) });
    expect(stored).toBe(false);
  });
});
