/**
 * S3 intelligence benchmark: `similar` (for an idea and for text being written) and the
 * national `overview` on N generated ideas (default 10 000) across the 21 counties.
 * Run: `node bench/insight-bench.mjs [--ideas=10000]`; with DATABASE_URL for PostgreSQL.
 * Prints timings; asserts nothing about speed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { getDataSourceToken } from '@nestjs/typeorm';
import { pino } from 'pino';
import type { DataSource } from 'typeorm';
import { TokenService } from '@edp/auth';
import { INDEX_IN_REQUEST } from '@edp/insight';
import { createTestDatabase } from '@edp/database';
import { createApp } from '../../apps/api/src/app.factory.js';

const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const IDEAS = arg('ideas', 10000);
const DUPLICATES = Math.round(IDEAS / 50);
const SAMPLES = arg('samples', 30);

/** Deterministic pseudo-random numbers, so runs are comparable. */
let state = 20261127;
/** mulberry32: 32-bit integer arithmetic, exact in JavaScript numbers. */
const random = () => {
  state = (state + 0x6d2b79f5) | 0;
  let x = Math.imul(state ^ (state >>> 15), 1 | state);
  x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
  return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(items: T[]) => items[Math.floor(random() ** 1.5 * items.length)];

const fixture = JSON.parse(
  readFileSync(join(process.cwd(), 'test/insight/fixtures/labelled-pairs.json'), 'utf8'),
) as { ideas: Record<string, { title: string; body: string }> };
const words = [
  ...new Set(
    Object.values(fixture.ideas)
      .flatMap((idea) => `${idea.title} ${idea.body}`.toLowerCase().split(/[^\p{L}\p{N}]+/u))
      .filter((word) => word.length >= 3),
  ),
];
/** Swedish compounds (vätgas + tankstation) give real text its long tail of rare words. */
const word = () =>
  random() < 0.3
    ? words[Math.floor(random() * words.length)] + words[Math.floor(random() * words.length)]
    : pick(words);
const sentence = (n: number) => Array.from({ length: n }, word).join(' ');
const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
const ms = (value: number) => `${value.toFixed(0)} ms`;

async function main() {
  const database = await createTestDatabase(process.env.DATABASE_URL ?? null);
  const backend = database.databaseUrl ? 'PostgreSQL' : 'PGlite (embedded)';
  const app = await createApp(
    {
      port: 0,
      nodeEnv: 'test',
      databaseUrl: database.databaseUrl,
      dataDir: 'memory://',
      redisUrl: null,
      jwtSecret: 'bench-secret-that-is-long-enough-0123456789',
      adminEmail: null,
      adminPassword: null,
      corsOrigins: [],
      logLevel: 'silent',
      statementTimeoutMs: 120000,
      webRoot: null,
      trustProxy: ['loopback'],
    },
    {
      database: { embeddedSnapshot: database.embeddedSnapshot, poolSize: 10 },
      logger: pino({ level: 'silent' }),
    },
  );
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1').replace('localhost', '127.0.0.1');
  const db = app.get<DataSource>(getDataSourceToken());
  try {
    console.log(
      `S3 benchmark on ${backend}: ${IDEAS} ideas (${DUPLICATES} cross-region near-duplicates)`,
    );
    const started = performance.now();
    const { agency, company, processIds } = await seed(db);
    // Access tokens are short-lived: sign one per call.
    const tokens = app.get(TokenService);
    const agencyToken = () => tokens.signAccess({ sub: agency, role: 'agency', regionCode: null });
    const companyToken = () =>
      tokens.signAccess({ sub: company, role: 'company', regionCode: null });
    console.log(`seeded in ${ms(performance.now() - started)}`);

    const get = async (path: string, token: () => string) => {
      const t0 = performance.now();
      const res = await fetch(`${url}${path}`, {
        headers: { authorization: `Bearer ${token()}` },
      });
      if (res.status !== 200) throw new Error(`${path} → ${res.status} ${await res.text()}`);
      const body: unknown = await res.json();
      return { elapsed: performance.now() - t0, body };
    };

    const sampleIds: { id: string }[] = await db.query(
      `SELECT i.id FROM ideas i JOIN processes p ON p.id = i.process_id
       WHERE p.phase <> 'draft' AND NOT i.hidden ORDER BY md5(i.id::text) LIMIT $1`,
      [SAMPLES],
    );
    const forIdea: number[] = [];
    let found = 0;
    for (const { id } of sampleIds) {
      const { elapsed, body } = await get(`/api/ideas/${id}/similar`, companyToken);
      forIdea.push(elapsed);
      found += (body as unknown[]).length;
    }
    const forText: number[] = [];
    for (let n = 0; n < SAMPLES; n++) {
      const query = new URLSearchParams({
        title: capital(sentence(6)),
        body: capital(sentence(35)),
      });
      const { elapsed } = await get(
        `/api/processes/${processIds[n % processIds.length]}/similar?${query.toString()}`,
        companyToken,
      );
      forText.push(elapsed);
    }

    const cold = await get('/api/overview', agencyToken);
    const pending = (cold.body as { clustersPending: number }).clustersPending;
    // The rest of the similarity index is built in the background: measure its pace.
    const window = arg('index-seconds', 60);
    const t0 = performance.now();
    let left = pending;
    while (left > 0 && performance.now() - t0 < window * 1000) {
      await new Promise((resolve) => setTimeout(resolve, 5000));
      left = ((await get('/api/overview', agencyToken)).body as { clustersPending: number })
        .clustersPending;
    }
    const pace = (pending - left) / ((performance.now() - t0) / 1000);
    const warm: number[] = [];
    for (let n = 0; n < 10; n++) warm.push((await get('/api/overview', agencyToken)).elapsed);
    for (let n = 0; n < 10; n++) {
      await db.query(
        `INSERT INTO ideas (process_id, author_guest_id, author_name, title, body)
         VALUES ($1, gen_random_uuid(), 'Gäst', $2, $3)`,
        [processIds[n], capital(sentence(6)), capital(sentence(35))],
      );
    }
    const incremental = await get('/api/overview', agencyToken);
    const overview = cold.body as { regions: unknown[]; clusters: { regionCodes: string[] }[] };

    const rows = [
      ['GET /api/ideas/:id/similar', forIdea],
      ['GET /api/processes/:id/similar?title&body', forText],
      ['GET /api/overview (warm)', warm],
    ] as const;
    console.log('\n| route | calls | p50 | p95 | max |\n|---|---|---|---|---|');
    for (const [name, values] of rows) {
      console.log(
        `| ${name} | ${values.length} | ${ms(percentile(values, 50))} | ${ms(percentile(values, 95))} | ${ms(Math.max(...values))} |`,
      );
    }
    console.log(
      `| GET /api/overview (first call: indexes ${INDEX_IN_REQUEST}, leaves ${pending} to the background) | 1 | ${ms(cold.elapsed)} | | |`,
    );
    console.log(
      `\nbackground similarity index: ${pace.toFixed(1)} ideas/s (${left} still pending after ${window} s` +
        (left === 0 ? ', complete' : `; all ${IDEAS} in ≈ ${Math.round(IDEAS / pace)} s`) +
        ')' +
        (left > 0 ? '; the warm overview calls ran while it continued' : ''),
    );
    console.log(`| GET /api/overview (after 10 new ideas) | 1 | ${ms(incremental.elapsed)} | | |`);
    console.log(
      `\nsimilar: ${(found / sampleIds.length).toFixed(2)} results per idea on average; ` +
        `overview: ${overview.regions.length} regions, ${overview.clusters.length} cross-region clusters`,
    );
  } finally {
    await app.close();
    // --keep leaves a PostgreSQL database behind for EXPLAIN; drop it by hand afterwards.
    if (process.argv.includes('--keep')) console.log(`kept ${database.databaseUrl}`);
    else await database.drop();
  }
}

/** Users of every helix, one process per county, ideas with a skewed vocabulary, votes, comments. */
async function seed(db: DataSource) {
  const helices = ['industry', 'academia', 'public', 'civil'];
  await db.query(
    `INSERT INTO organisations (name, helix) SELECT 'Org ' || n, ($1::text[])[1 + n % 4] FROM generate_series(0, 199) n`,
    [helices],
  );
  await db.query(
    `INSERT INTO users (email, password_hash, display_name, role, organisation_id)
     SELECT 'bench-' || row_number() OVER () || '@example.se', 'x', 'Deltagare ' || row_number() OVER (),
            'company', o.id FROM organisations o`,
  );
  const [agency] = await db.query(
    `INSERT INTO users (email, password_hash, display_name, role) VALUES ('agency@example.se', 'x', 'Myndighet', 'agency') RETURNING id`,
  );
  const [company] = await db.query(`SELECT id FROM users WHERE role = 'company' LIMIT 1`);
  const counties = (
    await db.query<{ code: string }[]>(
      `SELECT code FROM regions WHERE kind = 'county' ORDER BY code`,
    )
  ).map((row) => row.code);
  const processes: { id: string; phase: string }[] = await db.query(
    `INSERT INTO processes (region_code, title, phase)
     SELECT c, 'Process ' || c, CASE WHEN ord % 10 = 0 THEN 'draft' WHEN ord % 4 = 0 THEN 'review' ELSE 'open' END
     FROM unnest($1::text[]) WITH ORDINALITY AS t(c, ord) RETURNING id, phase`,
    [counties],
  );
  const processIds = processes.filter((p) => p.phase !== 'draft').map((p) => p.id);
  const allProcessIds = processes.map((p) => p.id);
  const originals = IDEAS - DUPLICATES;
  const texts: { title: string; body: string; process: string }[] = [];
  for (let n = 0; n < originals; n++) {
    texts.push({
      title: capital(sentence(6)),
      body: capital(sentence(35)),
      process: pick(allProcessIds),
    });
  }
  for (let n = 0; n < DUPLICATES; n++) {
    // A near-duplicate in another region: same proposal, a fifth of the words changed.
    const source = texts[Math.floor(random() * originals)];
    const body = source.body
      .split(' ')
      .map((kept) => (random() < 0.2 ? word() : kept))
      .join(' ');
    texts.push({ title: source.title, body, process: processIds[(n * 7) % processIds.length] });
  }
  for (let offset = 0; offset < texts.length; offset += 1000) {
    await db.query(
      `INSERT INTO ideas (process_id, author_user_id, author_name, organisation_name, helix, title, body, hidden)
       SELECT r.process, u.id, u.display_name, o.name, o.helix, r.title, r.body, r.n % 97 = 0
       FROM jsonb_to_recordset($1::jsonb) AS r(process uuid, title text, body text, n int)
       JOIN LATERAL (SELECT id, display_name, organisation_id FROM users WHERE role = 'company'
                     ORDER BY md5(r.n::text || id::text) LIMIT 1) u ON true
       JOIN organisations o ON o.id = u.organisation_id`,
      [JSON.stringify(texts.slice(offset, offset + 1000).map((t, i) => ({ ...t, n: offset + i })))],
    );
  }
  await db.query(
    `INSERT INTO idea_votes (idea_id, user_id)
     SELECT i.id, u.id FROM ideas i
     CROSS JOIN LATERAL (SELECT id FROM users WHERE role = 'company'
       ORDER BY md5(i.id::text || id::text) LIMIT abs(hashtext(i.id::text)) % 5) u`,
  );
  await db.query(
    `UPDATE ideas i SET vote_count = v.n FROM (SELECT idea_id, count(*)::int AS n FROM idea_votes GROUP BY idea_id) v
     WHERE v.idea_id = i.id`,
  );
  await db.query(
    `INSERT INTO comments (idea_id, author_user_id, author_name, helix, body)
     SELECT i.id, i.author_user_id, i.author_name, i.helix, 'Intressant förslag' FROM ideas i
     WHERE abs(hashtext(i.id::text)) % 2 = 0`,
  );
  await db.query(
    `UPDATE ideas i SET comment_count = c.n FROM (SELECT idea_id, count(*)::int AS n FROM comments GROUP BY idea_id) c
     WHERE c.idea_id = i.id`,
  );
  // Fresh statistics, as autovacuum keeps them on a live database.
  await db.query('ANALYZE');
  return {
    agency: agency.id as string,
    company: company.id as string,
    processIds,
  };
}

await main();
