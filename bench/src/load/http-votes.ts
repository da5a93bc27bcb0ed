import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@edp/database';
import { PlatformApi, type SeededUser } from '../platform-api.js';
import { ServerProcess } from '../server-process.js';
import { WaitSampler } from '../wait-sampler.js';
import { databaseCpu, databaseCpuDelta, mapLimit, round } from '../stats.js';
import { runHttp, type HttpCall, type HttpRun } from './http-load.js';
import pg from 'pg';

export interface HttpStep {
  name: string;
  concurrency: number;
  bare: Omit<HttpRun, 'responses'> | null;
  platform: Omit<HttpRun, 'responses'>;
  /** platform / bare requests per second. */
  ratio: number | null;
  bareCpuUsPerRequest: number | null;
  platformCpuUsPerRequest: number;
  /** CPU of the PostgreSQL backends per request (null on the embedded database, which runs inside the server). */
  databaseCpuUsPerRequest?: { platform: number | null; bare: number | null };
  /** Average number of PostgreSQL backends per state during the step (see WaitSampler). */
  databaseBackends?: {
    platform: Record<string, number> | null;
    bare: Record<string, number> | null;
  };
  exact: { ok: boolean; detail: string } | null;
}

export interface HttpSection {
  backend: string;
  steps: HttpStep[];
}

interface VoteStepPlan {
  name: string;
  hot: boolean;
  concurrency: number;
  votes: number;
}

const IDEAS = 20;

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function exactness(
  server: ServerProcess,
): Promise<{ total: number; rows: number; mismatched: number }> {
  const [row] = await server.request<{ total: number; rows: number; mismatched: number }[]>('sql', {
    text: `SELECT coalesce(sum(vote_count), 0)::int AS total,
              (SELECT count(*)::int FROM idea_votes) AS rows,
              count(*) FILTER (WHERE vote_count <> (SELECT count(*) FROM idea_votes v WHERE v.idea_id = i.id))::int AS mismatched
       FROM ideas i`,
  });
  return row;
}

function strip(run: HttpRun): Omit<HttpRun, 'responses'> {
  const { responses: _responses, ...rest } = run;
  return rest;
}

export async function runHttpSection(options: {
  quick: boolean;
  env: Record<string, string>;
  buildDir: string;
}): Promise<HttpSection> {
  const { quick, env } = options;
  const database: TestDatabase | null = process.env.DATABASE_URL
    ? await createTestDatabase(process.env.DATABASE_URL)
    : null;
  const serverEnv = { ...env, DATABASE_URL: database?.databaseUrl ?? '' };
  const plans: VoteStepPlan[] = quick
    ? [
        { name: 'vote, spread', hot: false, concurrency: 1, votes: 40 },
        { name: 'vote, spread', hot: false, concurrency: 8, votes: 150 },
        { name: 'vote, one hot idea', hot: true, concurrency: 8, votes: 150 },
      ]
    : [
        { name: 'vote, spread', hot: false, concurrency: 1, votes: 500 },
        { name: 'vote, spread', hot: false, concurrency: 8, votes: 3000 },
        { name: 'vote, spread', hot: false, concurrency: 32, votes: 5000 },
        { name: 'vote, one hot idea', hot: true, concurrency: 8, votes: 2500 },
        { name: 'vote, one hot idea', hot: true, concurrency: 32, votes: 4000 },
      ];
  const voterCount = plans.filter((p) => p.hot).reduce((s, p) => s + p.votes, 0);
  let platform = (await ServerProcess.start('platform', 'platform.server', serverEnv)).server;
  let bare: ServerProcess | null = null;
  const platformDb = database ? new URL(database.databaseUrl!).pathname.slice(1) : null;
  const copyName = platformDb ? `${platformDb}_bare` : null;
  const steps: HttpStep[] = [];
  try {
    const port = async (server: ServerProcess) =>
      Promise.resolve(`http://127.0.0.1:${server.port}`);
    let api = new PlatformApi(await port(platform), platform);
    const [region] = await api.seedUsers(1, 'region', 'SE224');
    const voters = await api.seedUsers(Math.max(voterCount, 200), 'company');
    const processId = await api.openProcess(region, 'Bänkmätning: röster över HTTP');
    const ideaIds = await mapLimit(
      Array.from({ length: IDEAS }, (_, k) => k),
      8,
      async (k) => {
        const idea = await api.send<{ id: string }>({
          method: 'POST',
          path: `/api/processes/${processId}/ideas`,
          token: voters[k].token,
          body: { title: `Idé ${k}: smart specialisering i Skåne`, body: 'Gröna övergången – åäö' },
        });
        return idea.id;
      },
    );

    // The bare server starts from an identical copy of this data.
    let bareEnv: Record<string, string>;
    if (database) {
      await platform.stop();
      const admin = new pg.Client({
        connectionString: withDatabase(database.databaseUrl!, 'postgres'),
      });
      await admin.connect();
      const source = new URL(database.databaseUrl!).pathname.slice(1);
      await admin.query(`CREATE DATABASE "${copyName}" TEMPLATE "${source}"`);
      await admin.end();
      platform = (await ServerProcess.start('platform', 'platform.server', serverEnv)).server;
      api.close();
      api = new PlatformApi(await port(platform), platform);
      bareEnv = { DATABASE_URL: withDatabase(database.databaseUrl!, copyName!) };
    } else {
      const file = join(options.buildDir, `bench-seed-${randomBytes(4).toString('hex')}.tar.gz`);
      await platform.request('dump', { file });
      bareEnv = { DATABASE_URL: '', BENCH_DUMP: file };
    }
    bare = (await ServerProcess.start('bare-http', 'bare-http.server', bareEnv)).server;
    const bareBase = await port(bare);

    let hotUser = 0;
    let spreadPair = 0;
    for (const plan of plans) {
      const pairs: { user: SeededUser; idea: string }[] = [];
      for (let v = 0; v < plan.votes; v++) {
        if (plan.hot) pairs.push({ user: voters[hotUser++], idea: ideaIds[0] });
        else {
          const p = spreadPair++;
          pairs.push({
            user: voters[Math.floor(p / (IDEAS - 1)) % voters.length],
            idea: ideaIds[1 + (p % (IDEAS - 1))],
          });
        }
      }
      const runOn = async (server: ServerProcess, base: string, isBare: boolean) => {
        const calls: HttpCall[] = pairs.map(({ user, idea }) => ({
          method: 'PUT',
          path: `/api/ideas/${idea}/vote`,
          token: isBare ? user.id : user.token,
        }));
        const before = await exactness(server);
        const dbName = isBare ? copyName : platformDb;
        const dbBefore = databaseCpu(dbName);
        const waits = new WaitSampler(dbName);
        await waits.start();
        await server.stats({ reset: true });
        const run = await server.profiled(
          `vote-${plan.hot ? 'hot' : 'spread'}-c${plan.concurrency}`,
          () =>
            runHttp(base, calls, plan.concurrency, {
              keepResponses: true,
              maxMs: quick ? 5000 : 15_000,
            }),
        );
        const stats = await server.stats({ reset: true });
        const dbMs = databaseCpuDelta(dbBefore, databaseCpu(dbName));
        const backends = await waits.stop();
        const after = await exactness(server);
        const ok200 = run.responses.filter(
          (r) => r.status === 200 && (r.body as { voted?: boolean })?.voted === true,
        ).length;
        // A step stops issuing votes at its time limit; every vote it did issue must count.
        const issued = run.requests;
        const exact =
          ok200 === issued &&
          after.total - before.total === issued &&
          after.rows - before.rows === issued &&
          after.mismatched === 0;
        return {
          run,
          cpu: stats.cpuUs / Math.max(1, run.requests),
          dbCpu: dbMs === null ? null : round((dbMs * 1000) / Math.max(1, run.requests), 0),
          backends,
          exact,
          detail: `${ok200}/${issued} answered 200; counter +${after.total - before.total}, rows +${after.rows - before.rows}, ideas whose counter ≠ rows: ${after.mismatched}`,
        };
      };
      const b = await runOn(bare, bareBase, true);
      const p = await runOn(platform, api.base, false);
      steps.push({
        name: plan.name,
        concurrency: plan.concurrency,
        bare: strip(b.run),
        platform: strip(p.run),
        ratio: round(p.run.perSec / b.run.perSec, 2),
        bareCpuUsPerRequest: round(b.cpu, 0),
        platformCpuUsPerRequest: round(p.cpu, 0),
        databaseCpuUsPerRequest: { platform: p.dbCpu, bare: b.dbCpu },
        databaseBackends: { platform: p.backends, bare: b.backends },
        exact: { ok: b.exact && p.exact, detail: `platform: ${p.detail}; bare: ${b.detail}` },
      });
    }

    for (const concurrency of [8, 32]) {
      const listCall: HttpCall = {
        method: 'GET',
        path: `/api/processes/${processId}/ideas?limit=20`,
      };
      const untilMs = quick ? 300 : 2500;
      // Listing comes after the vote steps: each server first opens and warms the database
      // connections this concurrency needs, so the step measures the steady state.
      const warmMs = quick ? 100 : 500;
      await runHttp(bareBase, [listCall], concurrency, { untilMs: warmMs });
      await runHttp(api.base, [listCall], concurrency, { untilMs: warmMs });
      await bare.stats({ reset: true });
      const b = await runHttp(bareBase, [listCall], concurrency, { untilMs });
      const bs = await bare.stats({ reset: true });
      await platform.stats({ reset: true });
      const p = await platform.profiled(`list-c${concurrency}`, () =>
        runHttp(api.base, [listCall], concurrency, { untilMs }),
      );
      const ps = await platform.stats({ reset: true });
      steps.push({
        name: 'list ideas (20 per page)',
        concurrency,
        bare: strip(b),
        platform: strip(p),
        ratio: round(p.perSec / b.perSec, 2),
        bareCpuUsPerRequest: round(bs.cpuUs / Math.max(1, b.requests), 0),
        platformCpuUsPerRequest: round(ps.cpuUs / Math.max(1, p.requests), 0),
        exact: null,
      });
    }

    // Submissions by distinct users, each with a clientId: every one must land exactly once.
    const submissions = quick ? 30 : 1000;
    const [{ n: ideasBefore }] = await api.sql<{ n: number }>(
      'SELECT count(*)::int AS n FROM ideas',
    );
    const calls: HttpCall[] = Array.from({ length: submissions }, (_, k) => ({
      method: 'POST',
      path: `/api/processes/${processId}/ideas`,
      token: voters[k % voters.length].token,
      body: {
        title: `Förslag ${k} från bänken`,
        body: 'Cirkulär ekonomi i Öresund',
        clientId: `bench-${k}`,
      },
    }));
    await platform.stats({ reset: true });
    const s = await runHttp(api.base, calls, 8);
    const ss = await platform.stats({ reset: true });
    const [{ n: ideasAfter }] = await api.sql<{ n: number }>(
      'SELECT count(*)::int AS n FROM ideas',
    );
    steps.push({
      name: 'submit idea',
      concurrency: 8,
      bare: null,
      platform: strip(s),
      ratio: null,
      bareCpuUsPerRequest: null,
      platformCpuUsPerRequest: round(ss.cpuUs / Math.max(1, s.requests), 0),
      exact: {
        ok: (s.statuses['201'] ?? 0) === submissions && ideasAfter - ideasBefore === submissions,
        detail: `${s.statuses['201'] ?? 0}/${submissions} answered 201; ideas +${ideasAfter - ideasBefore}`,
      },
    });
    api.close();
    return { backend: database ? 'PostgreSQL' : 'embedded (PGlite)', steps };
  } finally {
    await bare?.stop();
    await platform.stop();
    if (database) {
      const admin = new pg.Client({
        connectionString: withDatabase(database.databaseUrl!, 'postgres'),
      });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${copyName}" WITH (FORCE)`);
      await admin.end();
      await database.drop();
    }
  }
}
