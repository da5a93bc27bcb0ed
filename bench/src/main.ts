/**
 * `npm run bench`: the live room, the HTTP vote path and two instances over Redis, each
 * against its bare baseline in the same run. `--quick` runs small and asserts exactness only.
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { runHttpSection, type HttpSection } from './load/http-votes.js';
import { runLiveRooms, type LivePlan, type LiveResult } from './load/live-room.js';
import { startPlatform } from './platform-cluster.js';
import { writeReport } from './report/report.js';
import { bareLiveTarget, platformLiveTarget } from './targets.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only =
  args
    .find((a) => a.startsWith('--only='))
    ?.slice(7)
    .split(',') ?? null;
const sizes = args
  .find((a) => a.startsWith('--n='))
  ?.slice(4)
  .split(',')
  .map(Number);
const IDEAS = 16;
const PLATFORM_ENV = {
  NODE_ENV: 'production',
  JWT_SECRET: randomBytes(36).toString('base64url'),
  // Request logging at info would measure pino, not the platform; warnings still show.
  LOG_LEVEL: 'warn',
};
const BUILD_DIR = process.env.BENCH_BUILD_DIR ?? '.cache/bench-build';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

function livePlan(n: number): LivePlan {
  const base = {
    stepMs: quick ? 1000 : 3000,
    threads: Math.min(2, availableParallelism()),
    budgetMs: quick ? 20_000 : n <= 100 ? 60_000 : 150_000,
  };
  if (quick) return { ...base, fanoutRates: [20], voteRates: [100], hotVoteRate: 100 };
  if (n <= 100) {
    return { ...base, fanoutRates: [100, 200, 400], voteRates: [100, 200, 400], hotVoteRate: 400 };
  }
  if (n <= 1000) {
    return {
      ...base,
      fanoutRates: [25, 50, 75],
      voteRates: [500, 1000, 2000, 3000],
      hotVoteRate: 2000,
    };
  }
  return {
    ...base,
    budgetMs: 100_000,
    fanoutRates: [15, 30],
    voteRates: [1000, 2000, 4000],
    hotVoteRate: null,
  };
}

function log(message: string): void {
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

function summary(r: LiveResult): string {
  const v = r.votes.map(
    (s) => `${s.offeredPerSec}→${s.acceptedPerSec}/s p99 ${s.visibleMs.p99} ms`,
  );
  return `${r.label} N=${r.clients}: connected ${r.connected}, exact ${r.exact.ok}; votes ${v.join(', ')}`;
}

async function main(): Promise<void> {
  const started = Date.now();
  const live: LiveResult[] = [];
  const redis: LiveResult[] = [];
  const notes: string[] = [];
  const backend = process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded (PGlite)';
  log(`${quick ? 'quick' : 'full'} run on ${backend}`);
  const ns = sizes ?? (quick ? [50] : [100, 1000, 2000]);
  if (!only || only.includes('live')) {
    for (const n of ns) {
      const plan = livePlan(n);
      // Both rooms are up at once so that their steps can alternate.
      const bare = await bareLiveTarget(n, IDEAS);
      const cluster = await startPlatform(PLATFORM_ENV).catch(async (error: unknown) => {
        await Promise.all(bare.servers.map((s) => s.stop()));
        throw error;
      });
      try {
        const platform = await platformLiveTarget(cluster, n, IDEAS);
        const results = await runLiveRooms([bare, platform], plan);
        live.push(...results);
        for (const result of results) log(summary(result));
      } finally {
        await Promise.all([...bare.servers.map((s) => s.stop()), cluster.stop()]);
      }
    }
  }
  if (!only || only.includes('redis')) {
    if (!process.env.DATABASE_URL) {
      notes.push('Two instances over Redis need a shared PostgreSQL: run with DATABASE_URL set.');
    } else {
      const n = quick ? 50 : 1000;
      const cluster = await startPlatform(PLATFORM_ENV, 2, REDIS_URL);
      try {
        redis.push(
          ...(await runLiveRooms([await platformLiveTarget(cluster, n, IDEAS)], livePlan(n))),
        );
      } finally {
        await cluster.stop();
      }
      log(summary(redis.at(-1)!));
    }
  }
  let http: HttpSection | null = null;
  if (!only || only.includes('http')) {
    http = await runHttpSection({ quick, env: PLATFORM_ENV, buildDir: BUILD_DIR });
    log(
      `http: ${http.steps.map((s) => `${s.name} c${s.concurrency} ${s.platform.perSec}/s (bare ${s.bare?.perSec ?? '-'})`).join('; ')}`,
    );
  }
  const report = writeReport({
    quick,
    backend,
    durationS: Math.round((Date.now() - started) / 1000),
    live,
    redis,
    http,
    notes,
  });
  log(`report: ${report.files.join(', ')}`);
  console.log(report.markdown);
  if (report.exactnessFailures.length) {
    console.error(`EXACTNESS FAILED:\n- ${report.exactnessFailures.join('\n- ')}`);
    process.exit(1);
  }
  log('exactness: every vote counted once, every client ends on the stored tally');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
