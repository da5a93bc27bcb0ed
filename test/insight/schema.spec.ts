import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApp, type TestApp } from '../support/test-app.js';

const OWN_TABLES = [
  'researcher_expertise',
  'research_invitations',
  'idea_similarities',
  'idea_similarity_state',
];

describe('S3 schema', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('has migrations that match the insight entities exactly (no drift)', async () => {
    const pending = await t.dataSource.driver.createSchemaBuilder().log();
    const ours = pending.upQueries
      .map((query) => query.query)
      .filter((sql) => OWN_TABLES.some((table) => sql.includes(`"${table}"`)));
    expect(ours).toEqual([]);
  });
});
