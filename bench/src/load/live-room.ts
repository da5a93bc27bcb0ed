import type { ServerProcess } from '../server-process.js';
import {
  databaseCpu,
  databaseCpuDelta,
  distribution,
  machineCpu,
  nowMs,
  round,
  sleep,
  type Distribution,
} from '../stats.js';
import type { ScheduleResult } from './live-protocol.js';
import { WaitSampler } from '../wait-sampler.js';
import { LoadGenerator } from './load-generator.js';

/** A room ready to be loaded: bare or platform, one instance or two. */
export interface LiveTarget {
  label: string;
  servers: ServerProcess[];
  workshopId: string;
  ideaIds: string[];
  clients: { url: string; token: string }[];
  /** The PostgreSQL database behind the servers, whose backends' CPU is measured too. */
  database: string | null;
  /** The stored tally, index-aligned with ideaIds (the database for the platform). */
  storedTally(): Promise<number[]>;
}

export interface LivePlan {
  fanoutRates: number[];
  voteRates: number[];
  /** Rate of the step where every vote goes to one idea. */
  hotVoteRate: number | null;
  stepMs: number;
  threads: number;
  /** Connecting plus all steps; later steps are skipped once it is spent. */
  budgetMs: number;
}

export interface StepCommon {
  /** CPU of the load generator (this process, all threads), % of one core. */
  generatorCpuPct: number;
  /** CPU used by everything else on the machine (other engineers, PostgreSQL), % of one core. */
  otherCpuPct: number;
  /** CPU of this run's PostgreSQL backends, % of one core (null on the embedded database). */
  databaseCpuPct: number | null;
  /** Average number of this run's PostgreSQL backends in each state (see WaitSampler). */
  databaseBackends: Record<string, number> | null;
  /** Messages clients received per second (broadcasts and acks). */
  deliveriesPerSec: number;
  cpuUsPerDelivery: number;
  serverCpuPct: number;
  serverEventLoopP99Ms: number;
  /** The load generator fell behind or was busy: the step does not count. */
  generatorSaturated: boolean;
  generatorElu: number;
}

export interface FanoutStep extends StepCommon {
  broadcastsPerSec: number;
  sent: number;
  failed: number;
  errors: Record<string, number>;
  /** Broadcasts that reached every client. */
  complete: number;
  latencyMs: Distribution;
}

export interface VoteStep extends StepCommon {
  kind: 'spread' | 'hot';
  offeredPerSec: number;
  acceptedPerSec: number;
  accepted: number;
  failed: number;
  errors: Record<string, number>;
  ackMs: Distribution;
  /** From a vote's send until the last client has seen a tally that includes it. */
  visibleMs: Distribution;
  notVisible: number;
  /** Acks whose count cannot be right (see the step's loop): fails exactness. */
  wrongAckCounts: number;
  /**
   * Accepted votes whose ack carried a count another vote on that idea also got: the ack's
   * count is the idea's count after the commit, so votes committed together share it.
   * Information, not an error: stored totals and final tallies are checked separately.
   */
  repeatedAckCounts: number;
}

export interface LiveResult {
  label: string;
  clients: number;
  connected: number;
  connectFailed: number;
  connectError: string | null;
  connectMs: number;
  memoryPerConnectionKb: { heap: number; rss: number };
  fanout: FanoutStep[];
  votes: VoteStep[];
  exact: {
    ok: boolean;
    acceptedVotes: number;
    storedVotes: number;
    failedVotes: number;
    wrongAckCounts: number;
    clientsWithWrongTally: number;
    example: string | null;
  };
}

const DRAIN_MS = 250;

async function serverStats(servers: ServerProcess[], options: { reset?: boolean; gc?: boolean }) {
  const all = await Promise.all(servers.map((server) => server.stats(options)));
  return {
    cpuUs: all.reduce((sum, s) => sum + s.cpuUs, 0),
    wallMs: Math.max(...all.map((s) => s.wallMs)),
    heapUsed: all.reduce((sum, s) => sum + s.heapUsed + s.external, 0),
    rss: all.reduce((sum, s) => sum + s.rss, 0),
    eventLoopP99Ms: Math.max(...all.map((s) => s.eventLoopP99Ms)),
  };
}

function saturated(results: ScheduleResult[]): { saturated: boolean; elu: number } {
  const elu = Math.max(...results.map((r) => r.elu));
  return {
    elu,
    saturated: elu > 0.9 || results.some((r) => r.maxLagMs > 100 || r.eventLoopP99Ms > 100),
  };
}

/** Measures a step: resets the servers' probes, runs it, drains, then reads CPU and deliveries. */
async function measured<T>(
  target: LiveTarget,
  load: LoadGenerator,
  run: () => Promise<T>,
): Promise<{ value: T; common: Omit<StepCommon, 'generatorSaturated' | 'generatorElu'> }> {
  const before = await load.deliveries();
  await serverStats(target.servers, { reset: true });
  const machineBefore = machineCpu();
  const databaseBefore = databaseCpu(target.database);
  const waits = new WaitSampler(target.database);
  await waits.start();
  const ownBefore = process.cpuUsage();
  const value = await run();
  await sleep(DRAIN_MS);
  const stats = await serverStats(target.servers, { reset: true });
  const own = process.cpuUsage(ownBefore);
  const machineAfter = machineCpu();
  const databaseMs = databaseCpuDelta(databaseBefore, databaseCpu(target.database));
  const databaseBackends = await waits.stop();
  const delivered = (await load.deliveries()) - before;
  const generatorMs = (own.user + own.system) / 1000;
  const otherMs = machineAfter.busyMs - machineBefore.busyMs - generatorMs - stats.cpuUs / 1000;
  return {
    value,
    common: {
      generatorCpuPct: round((generatorMs / stats.wallMs) * 100, 0),
      otherCpuPct: round((Math.max(0, otherMs - (databaseMs ?? 0)) / stats.wallMs) * 100, 0),
      databaseCpuPct: databaseMs === null ? null : round((databaseMs / stats.wallMs) * 100, 0),
      databaseBackends,
      deliveriesPerSec: round((delivered * 1000) / stats.wallMs, 0),
      cpuUsPerDelivery: round(stats.cpuUs / Math.max(1, delivered), 2),
      serverCpuPct: round((stats.cpuUs / 1000 / stats.wallMs) * 100, 0),
      serverEventLoopP99Ms: round(stats.eventLoopP99Ms, 1),
    },
  };
}

/**
 * Runs the rooms' steps alternately: every rate runs on each room in turn, first one room
 * first and then the other, so a machine that drifts (these are shared) drifts under both.
 * Each room stops climbing on its own, and steps past the budget are left out.
 */
export async function runLiveRooms(targets: LiveTarget[], plan: LivePlan): Promise<LiveResult[]> {
  const rooms: LiveRoom[] = [];
  // Each room's budget covers its connecting and its steps (LivePlan.budgetMs).
  const deadline = Date.now() + plan.budgetMs * targets.length;
  try {
    // One after the other: connecting is measured too (time, memory per connection).
    for (const target of targets) rooms.push(await LiveRoom.connect(target, plan));
    const live = rooms.filter((room) => room.result.connected > 0);
    const inTurn = (step: number) => (step % 2 === 0 ? live : [...live].reverse());
    const phase = async () => {
      let step = 0;
      const climbing = new Set(live);
      for (const rate of plan.fanoutRates) {
        for (const room of inTurn(step)) {
          if (climbing.has(room) && !(await room.fanout(rate, step))) climbing.delete(room);
        }
        step++;
        if (!climbing.size || Date.now() > deadline) break;
      }
      const voteSteps: { kind: 'spread' | 'hot'; rate: number }[] = plan.voteRates.map((rate) => ({
        kind: 'spread',
        rate,
      }));
      if (plan.hotVoteRate) voteSteps.push({ kind: 'hot', rate: plan.hotVoteRate });
      for (const { kind, rate } of voteSteps) {
        if (kind === 'spread' && Date.now() > deadline) continue;
        for (const room of inTurn(step)) await room.votes(kind, rate, step);
        step++;
      }
      for (const room of live) await room.verify();
    };
    await profiled(live, phase);
    return rooms.map((room) => room.result);
  } finally {
    await Promise.all(rooms.map((room) => room.close()));
  }
}

/** A CPU profile of each room's (first) server, covering the whole alternating phase. */
function profiled(rooms: LiveRoom[], phase: () => Promise<void>): Promise<void> {
  const [room, ...rest] = rooms;
  if (!room) return phase();
  const label = `${room.target.label.replace(/\W+/g, '-')}-N${room.result.clients}`;
  return room.target.servers[0].profiled(label, () => profiled(rest, phase));
}

/** One room under load: its target, its own load-generator threads and its result so far. */
class LiveRoom {
  private initial: number[] = [];
  private acceptedVotes = 0;
  private failedVotes = 0;
  /** Spread votes stopped keeping up: later spread steps are skipped. */
  private stopSpread = false;
  /** The highest spread rate that kept up. */
  private sustained = 0;

  private constructor(
    readonly target: LiveTarget,
    private readonly plan: LivePlan,
    private readonly load: LoadGenerator,
    readonly result: LiveResult,
  ) {}

  static async connect(target: LiveTarget, plan: LivePlan): Promise<LiveRoom> {
    const load = new LoadGenerator(plan.threads);
    try {
      const memBefore = await serverStats(target.servers, { gc: true });
      const started = nowMs();
      const ready = await load.all('ready', (thread) => ({
        type: 'init',
        workshopId: target.workshopId,
        ideaIds: target.ideaIds,
        clients: target.clients.filter((_, i) => i % plan.threads === thread),
        concurrency: 25,
      }));
      const connectMs = nowMs() - started;
      const connected = ready.reduce((sum, r) => sum + r.connected, 0);
      await sleep(500);
      const memAfter = await serverStats(target.servers, { gc: true });
      const room = new LiveRoom(target, plan, load, {
        label: target.label,
        clients: target.clients.length,
        connected,
        connectFailed: ready.reduce((sum, r) => sum + r.failed, 0),
        connectError: ready.find((r) => r.firstError)?.firstError ?? null,
        connectMs: round(connectMs, 0),
        memoryPerConnectionKb: {
          heap: round((memAfter.heapUsed - memBefore.heapUsed) / 1024 / Math.max(1, connected), 1),
          rss: round((memAfter.rss - memBefore.rss) / 1024 / Math.max(1, connected), 1),
        },
        fanout: [],
        votes: [],
        exact: {
          ok: false,
          acceptedVotes: 0,
          storedVotes: 0,
          failedVotes: 0,
          wrongAckCounts: 0,
          clientsWithWrongTally: 0,
          example: null,
        },
      });
      if (connected > 0) room.initial = await target.storedTally();
      return room;
    } catch (error) {
      await load.close();
      throw error;
    }
  }

  /** A fan-out step at `rate` comments/s; false once the server no longer keeps up. */
  async fanout(rate: number, step: number): Promise<boolean> {
    const { target, plan, load, result } = this;
    const connected = result.connected;
    const { value: replies, common } = await measured(target, load, () =>
      load.all('fanout-done', () => ({
        type: 'fanout',
        step: `f${step}`,
        rate: rate / plan.threads,
        durationMs: plan.stepMs,
        clientOffset: step * 7,
      })),
    );
    const collected = await load.all('collected', () => ({ type: 'collect' }));
    const received = new Map<string, { n: number; maxT: number }>();
    for (const reply of collected) {
      for (const entry of reply.received) {
        const sum = received.get(entry.marker) ?? { n: 0, maxT: 0 };
        sum.n += entry.n;
        sum.maxT = Math.max(sum.maxT, entry.maxT);
        received.set(entry.marker, sum);
      }
    }
    const latencies: number[] = [];
    let sent = 0;
    let failed = 0;
    let complete = 0;
    const errors: Record<string, number> = {};
    for (const reply of replies) {
      for (const [code, times] of Object.entries(reply.errors))
        errors[code] = (errors[code] ?? 0) + times;
      for (const record of reply.sent) {
        sent++;
        if (!record.ok) failed++;
        const entry = received.get(record.marker);
        if (entry && entry.n >= connected) {
          complete++;
          latencies.push(entry.maxT - record.sendT);
        }
      }
    }
    const gen = saturated(replies);
    result.fanout.push({
      broadcastsPerSec: rate,
      sent,
      failed,
      errors,
      complete,
      latencyMs: roundDist(distribution(latencies)),
      ...common,
      generatorSaturated: gen.saturated,
      generatorElu: round(gen.elu, 2),
    });
    await sleep(300);
    // Past the point where the server keeps up, higher rates only queue: stop climbing.
    const p99 = result.fanout.at(-1)!.latencyMs.p99;
    return complete >= sent * 0.9 && p99 < 2000;
  }

  /** A vote step at `offered` votes/s, spread over the ideas or all on one (hot). */
  async votes(kind: 'spread' | 'hot', offered: number, step: number): Promise<void> {
    const { target, plan, load, result } = this;
    if (kind === 'spread' && this.stopSpread) return;
    // The hot-idea step runs at its rate only where spread votes kept up at that rate.
    const rate =
      kind === 'hot' && this.stopSpread ? Math.max(this.sustained, plan.voteRates[0]) : offered;
    const before = await target.storedTally();
    const { value: replies, common } = await measured(target, load, () =>
      load.all('votes-done', (thread) => ({
        type: 'votes',
        step: `v${step}`,
        rate: rate / plan.threads,
        durationMs: plan.stepMs,
        hotIdea: kind === 'hot' ? 0 : null,
        clientOffset: step * 13 + thread,
      })),
    );
    await sleep(150);
    const collected = await load.all('collected', () => ({ type: 'collect' }));
    const seen = target.ideaIds.map((_, i) => {
      const length = Math.max(...collected.map((c) => c.seen[i].length));
      const merged = new Float64Array(length);
      for (const c of collected) {
        const row = c.seen[i];
        for (let k = 0; k < row.length; k++) if (row[k] > merged[k]) merged[k] = row[k];
      }
      return merged;
    });
    const minKnown = target.ideaIds.map((_, i) => Math.min(...collected.map((c) => c.minKnown[i])));
    const ack: number[] = [];
    const visible: number[] = [];
    const errors: Record<string, number> = {};
    let stepAccepted = 0;
    let stepFailed = 0;
    let notVisible = 0;
    let wrongAckCounts = 0;
    let stepRepeated = 0;
    let lastAck = 0;
    let firstSend = Infinity;
    const counts = target.ideaIds.map(() => new Set<number>());
    const sends = target.ideaIds.map(() => [] as number[]);
    const accepted: { idea: number; sendT: number; ackT: number; count: number }[] = [];
    for (const reply of replies) {
      for (const [code, times] of Object.entries(reply.errors)) {
        errors[code] = (errors[code] ?? 0) + times;
      }
      for (let v = 0; v < reply.status.length; v++) {
        firstSend = Math.min(firstSend, reply.sendT[v]);
        if (reply.status[v] !== 0) {
          stepFailed++;
          continue;
        }
        stepAccepted++;
        lastAck = Math.max(lastAck, reply.ackT[v]);
        ack.push(reply.ackT[v] - reply.sendT[v]);
        const i = reply.idea[v];
        if (counts[i].has(reply.count[v])) stepRepeated++;
        counts[i].add(reply.count[v]);
        sends[i].push(reply.sendT[v]);
        accepted.push({
          idea: i,
          sendT: reply.sendT[v],
          ackT: reply.ackT[v],
          count: reply.count[v],
        });
      }
    }
    for (const list of sends) list.sort((a, b) => a - b);
    const acks = target.ideaIds.map(() => [] as number[]);
    for (const vote of accepted) acks[vote.idea].push(vote.ackT);
    for (const list of acks) list.sort((a, b) => a - b);
    // A vote's place in its idea's count is the count its ack carries: the count at its
    // commit, the first a broadcast can show with the vote in it. The server's word is
    // checked against what the generator saw: at least the votes on that idea
    // acknowledged before this one was sent, plus itself; at most the votes on that
    // idea sent before this one was acknowledged. A count outside is a wrong count.
    for (const vote of accepted) {
      const i = vote.idea;
      const lowest = before[i] + upperBound(acks[i], vote.sendT) + 1;
      const highest = before[i] + upperBound(sends[i], vote.ackT);
      if (vote.count < lowest || vote.count > highest) {
        wrongAckCounts++;
        continue;
      }
      if (minKnown[i] < vote.count || !(seen[i][vote.count] > 0)) notVisible++;
      else visible.push(seen[i][vote.count] - vote.sendT);
    }
    this.acceptedVotes += stepAccepted;
    this.failedVotes += stepFailed;
    const gen = saturated(replies);
    const visibleMs = roundDist(distribution(visible));
    result.votes.push({
      kind,
      offeredPerSec: rate,
      acceptedPerSec: round((stepAccepted * 1000) / Math.max(1, lastAck - firstSend), 0),
      accepted: stepAccepted,
      failed: stepFailed,
      errors,
      ackMs: roundDist(distribution(ack)),
      visibleMs,
      notVisible,
      wrongAckCounts,
      repeatedAckCounts: stepRepeated,
      ...common,
      generatorSaturated: gen.saturated,
      generatorElu: round(gen.elu, 2),
    });
    // Past the point where the server keeps up, higher rates only queue: stop climbing.
    if (
      visibleMs.p99 > 2000 ||
      stepAccepted < 0.9 * replies.reduce((sum, r) => sum + r.planned, 0)
    ) {
      this.stopSpread = true;
    } else if (kind === 'spread') this.sustained = rate;
    await sleep(300);
  }

  /** Exactness: every accepted vote stored once and every client on the stored tally. */
  async verify(): Promise<void> {
    const { target, load, result } = this;
    await sleep(300);
    const stored = await target.storedTally();
    const verified = await load.all('verified', () => ({ type: 'verify', expected: stored }));
    const storedVotes = stored.reduce((s, c) => s + c, 0) - this.initial.reduce((s, c) => s + c, 0);
    const clientsWithWrongTally = verified.reduce((s, v) => s + v.mismatched, 0);
    const wrongAckCounts = result.votes.reduce((s, v) => s + v.wrongAckCounts, 0);
    result.exact = {
      ok:
        storedVotes === this.acceptedVotes &&
        this.failedVotes === 0 &&
        wrongAckCounts === 0 &&
        clientsWithWrongTally === 0 &&
        result.connectFailed === 0,
      acceptedVotes: this.acceptedVotes,
      storedVotes,
      failedVotes: this.failedVotes,
      wrongAckCounts,
      clientsWithWrongTally,
      example: verified.find((v) => v.example)?.example ?? null,
    };
  }

  close(): Promise<void> {
    return this.load.close();
  }
}

/** How many of the sorted values are < x. */
function upperBound(sorted: number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function roundDist(d: Distribution): Distribution {
  return { count: d.count, p50: round(d.p50, 1), p99: round(d.p99, 1), max: round(d.max, 1) };
}
