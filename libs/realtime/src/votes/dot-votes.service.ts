import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AppException, BatchQueue, type Settled } from '@edp/common';
import { embeddedDatabaseOf, prepared } from '@edp/database';
import type { Actor } from '@edp/auth';
import { RealtimeEvent, type WorkshopVotesChangedEvent } from '../events/realtime.events.js';
import { KeyedQueue } from './keyed-queue.js';
import type { Stage, VotingMode } from '../workshops/workshop.entity.js';

export interface VoteResult {
  ideaId: string;
  voteCount: number;
  /** null in `up` mode, where there is no budget to spend. */
  remainingDots: number | null;
}

export interface MyVotes {
  participantId: string;
  remainingDots: number | null;
  votes: Record<string, number>;
}

interface WorkshopRow {
  stage: Stage;
  voting_mode: VotingMode;
  dot_budget: number;
  max_dots_per_idea: number;
}

interface Locked {
  workshop: WorkshopRow;
  participant: { id: string; dots_spent: number };
}

interface CastItem {
  actor: Actor;
  workshopId: string;
  ideaId: string;
  dots: number;
  clientId: string;
}

interface CastOutcome {
  result: VoteResult;
  replayed: boolean;
}

/** A caster's participant and workshop rows, as locked for its batch. */
interface LockedRow extends WorkshopRow {
  participant_id: string;
  dots_spent: number;
}

/** What the batch statement found and did for one cast. */
interface CastState {
  participant_id: string;
  first: VoteResult | null;
  on_idea: number | null;
  idea: boolean;
  result: VoteResult | null;
}

/**
 * Dot and up votes of a live workshop. Every write locks the participant's row, so one
 * participant's votes are serialised while different participants vote in parallel; the
 * budget is re-checked by the UPDATE itself and by CHECK constraints. Casts are group
 * committed (many participants' casts in one transaction); retracts go one by one.
 */
@Injectable()
export class DotVotesService {
  /** Workshops known to have votes: their voting_started flag can never go back. */
  private readonly started = new Set<string>();
  private readonly queue = new KeyedQueue();
  private readonly casts: BatchQueue<CastItem, CastOutcome>;
  private readonly embedded: boolean;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventEmitter2,
  ) {
    this.embedded = embeddedDatabaseOf(dataSource) !== null;
    // One batch in flight (as for HTTP votes, see VotesService): a second would wait on the
    // first's lock of a hot idea's count; the embedded database has one connection anyway.
    this.casts = new BatchQueue((items) => this.castBatch(items), {
      concurrency: 1,
      maxBatch: 500,
    });
  }

  /**
   * Casts go through a group commit: one transaction writes every cast that arrived while
   * the previous one was committing, each still checked on its own against the rules and
   * acknowledged only after the commit. A participant's casts are queued one after another.
   */
  async cast(
    actor: Actor,
    input: { workshopId: string; ideaId: string; dots?: number; clientId: string },
  ): Promise<VoteResult> {
    if (actor.kind === 'guest' && actor.workshopId !== input.workshopId) throw notFound();
    const item: CastItem = { actor, ...input, dots: input.dots ?? 1 };
    const key = `${input.workshopId}:${actor.kind}:${actor.id}`;
    const outcome = await this.queue.run(key, () => this.casts.submit(key, item));
    this.started.add(input.workshopId);
    if (!outcome.replayed) this.changed(input.workshopId, input.ideaId);
    return outcome.result;
  }

  /** One transaction for a batch of casts, at most one per participant. */
  private castBatch(items: CastItem[]): Promise<Settled<CastOutcome>[]> {
    return this.dataSource.transaction(async (manager) => {
      if (this.embedded) await new Promise((resolve) => setImmediate(resolve));
      // The first vote marks voting as started, which freezes the voting settings. The flag is
      // set before the locks below (two batches each holding a share lock could not both
      // update the row) and taken back where no vote of this batch was stored.
      const fresh = [...new Set(items.map((item) => item.workshopId))].filter(
        (id) => !this.started.has(id),
      );
      const flipped =
        fresh.length > 0
          ? await prepared<{ id: string }>(
              manager,
              `UPDATE workshops SET voting_started = true
               WHERE id = ANY($1::uuid[]) AND NOT voting_started RETURNING id`,
              [fresh],
            )
          : [];
      const locked = await this.lockAll(manager, items);
      const ready = items.flatMap((item, i) => (locked[i] ? [{ item, row: locked[i] }] : []));
      const states = ready.length > 0 ? await this.write(manager, ready) : new Map();
      const voted = new Set(
        ready
          .filter(({ row }) => states.get(row.participant_id)?.result)
          .map(({ item }) => item.workshopId),
      );
      const unvoted = flipped.map(({ id }) => id).filter((id) => !voted.has(id));
      if (unvoted.length > 0) {
        await manager.query(
          `UPDATE workshops SET voting_started = false WHERE id = ANY($1::uuid[])`,
          [unvoted],
        );
      }
      return items.map((item, i) =>
        settled(() => {
          const row = locked[i];
          if (!row) throw notFound();
          return outcomeOf(item, row, states.get(row.participant_id));
        }),
      );
    });
  }

  /**
   * Locks the workshop rows (shared: a stage change waits for votes in flight) and the
   * participant rows (exclusive, in id order so that concurrent batches never deadlock).
   * Returns each item's row, or undefined where the caller is no participant.
   */
  private async lockAll(
    manager: EntityManager,
    items: CastItem[],
  ): Promise<(LockedRow | undefined)[]> {
    const rows = await prepared<LockedRow & { n: string }>(
      manager,
      `SELECT i.n, p.id AS participant_id, p.dots_spent,
              w.stage, w.voting_mode, w.dot_budget, w.max_dots_per_idea
       FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) WITH ORDINALITY AS i(workshop_id, guest_id, user_id, n)
       JOIN workshop_participants p ON p.workshop_id = i.workshop_id AND p.id = COALESCE(i.guest_id,
         (SELECT q.id FROM workshop_participants q WHERE q.workshop_id = i.workshop_id AND q.user_id = i.user_id))
       JOIN workshops w ON w.id = p.workshop_id
       ORDER BY p.id
       FOR SHARE OF w FOR UPDATE OF p`,
      [
        items.map((item) => item.workshopId),
        items.map((item) => (item.actor.kind === 'guest' ? item.actor.id : null)),
        items.map((item) => (item.actor.kind === 'guest' ? null : item.actor.id)),
      ],
    );
    const byIndex: (LockedRow | undefined)[] = items.map(() => undefined);
    for (const row of rows) byIndex[Number(row.n) - 1] = row;
    return byIndex;
  }

  /**
   * ONE statement after the locks (its snapshot sees every earlier vote of these
   * participants, from any instance) reads each cast's retry record, idea and dots already
   * on it, and — only where the vote is new and allowed — writes the vote, spends the dots,
   * adds them to the idea's count and records the result for retries. The budget condition
   * is part of the write, so the database, not only the checks in outcomeOf, enforces it.
   */
  private async write(
    manager: EntityManager,
    ready: { item: CastItem; row: LockedRow }[],
  ): Promise<Map<string, CastState>> {
    const rowsOf = await prepared<CastState>(
      manager,
      `WITH input AS (
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::int[], $5::varchar[],
                              $6::boolean[], $7::int[], $8::int[])
           AS i(participant_id, idea_id, workshop_id, dots, client_id, allowed, cap, budget)
       ), state AS (
         SELECT i.*,
           (SELECT r.result FROM workshop_vote_requests r
            WHERE r.participant_id = i.participant_id AND r.client_id = i.client_id) AS first,
           (SELECT v.dots FROM workshop_votes v
            WHERE v.participant_id = i.participant_id AND v.idea_id = i.idea_id) AS on_idea,
           EXISTS (SELECT 1 FROM ideas d
                   WHERE d.id = i.idea_id AND d.workshop_id = i.workshop_id AND NOT d.hidden) AS idea
         FROM input i
       ), spent AS (
         UPDATE workshop_participants p SET dots_spent = p.dots_spent + s.dots
         FROM state s
         WHERE p.id = s.participant_id AND s.first IS NULL AND s.idea AND s.allowed
           AND COALESCE(s.on_idea, 0) + s.dots <= s.cap
           AND (s.budget IS NULL OR p.dots_spent + s.dots <= s.budget)
         RETURNING p.id, p.dots_spent
       ), accepted AS (
         SELECT s.*, spent.dots_spent FROM state s JOIN spent ON spent.id = s.participant_id
       ), vote AS (
         INSERT INTO workshop_votes (participant_id, idea_id, workshop_id, dots)
         SELECT participant_id, idea_id, workshop_id, dots FROM accepted
         ON CONFLICT (participant_id, idea_id)
         DO UPDATE SET dots = workshop_votes.dots + EXCLUDED.dots, updated_at = now()
       ), tally AS (
         INSERT INTO workshop_idea_tallies (idea_id, workshop_id, dots)
         SELECT idea_id, workshop_id, SUM(dots) FROM accepted
         GROUP BY idea_id, workshop_id ORDER BY idea_id
         ON CONFLICT (idea_id) DO UPDATE SET dots = workshop_idea_tallies.dots + EXCLUDED.dots
         RETURNING idea_id, dots
       ), written AS (
         INSERT INTO workshop_vote_requests (participant_id, client_id, result)
         SELECT a.participant_id, a.client_id, jsonb_build_object(
           'ideaId', a.idea_id, 'voteCount', t.dots, 'remainingDots', a.budget - a.dots_spent)
         FROM accepted a JOIN tally t ON t.idea_id = a.idea_id
         RETURNING participant_id, result
       )
       SELECT s.participant_id, s.first, s.on_idea, s.idea, w.result
       FROM state s LEFT JOIN written w ON w.participant_id = s.participant_id`,
      [
        ready.map(({ row }) => row.participant_id),
        ready.map(({ item }) => item.ideaId),
        ready.map(({ item }) => item.workshopId),
        ready.map(({ item }) => item.dots),
        ready.map(({ item }) => item.clientId),
        ready.map(({ item, row }) => row.stage === 'voting' && dotsAllowed(row, item.dots)),
        ready.map(({ row }) => (row.voting_mode === 'up' ? 1 : row.max_dots_per_idea)),
        ready.map(({ row }) => budgetOf(row)),
      ],
    );
    return new Map(rowsOf.map((state) => [state.participant_id, state]));
  }

  /**
   * Takes back `dots` of the caller's dots on an idea (at most those on it), or all of them;
   * retracting nothing is not an error.
   */
  async retract(
    actor: Actor,
    input: { workshopId: string; ideaId: string; dots?: number },
  ): Promise<VoteResult> {
    const outcome = await this.serially(actor, input.workshopId, async (manager) => {
      const { workshop, participant } = await this.lock(manager, actor, input.workshopId);
      requireVoting(workshop.stage);
      await this.requireIdea(manager, input.workshopId, input.ideaId);
      // One statement under the participant's row lock: the vote row loses what is taken
      // (or goes when nothing is left), and the budget and the idea's count get exactly that
      // back. The CHECKs on dots, dots_spent and the count stop anything going below zero.
      const taken = await manager.query<{ dots_spent: number; taken: number }[]>(
        `WITH removed AS (
           DELETE FROM workshop_votes WHERE participant_id = $1 AND idea_id = $2
             AND ($3::int IS NULL OR dots <= $3::int)
           RETURNING dots
         ), reduced AS (
           UPDATE workshop_votes SET dots = dots - $3::int, updated_at = now()
           WHERE participant_id = $1 AND idea_id = $2 AND dots > $3::int
           RETURNING $3::int AS dots
         ), taken AS (
           SELECT COALESCE((SELECT dots FROM removed), (SELECT dots FROM reduced), 0) AS n
         ), tally AS (
           UPDATE workshop_idea_tallies SET dots = dots - taken.n FROM taken
           WHERE idea_id = $2 AND taken.n > 0
         )
         UPDATE workshop_participants SET dots_spent = dots_spent - taken.n FROM taken
         WHERE id = $1 RETURNING dots_spent, taken.n AS taken`,
        [participant.id, input.ideaId, input.dots ?? null],
      );
      const { dots_spent: dotsSpent, taken: dots } = rows<{ dots_spent: number; taken: number }>(
        taken,
      )[0];
      const result: VoteResult = {
        ideaId: input.ideaId,
        voteCount: await this.tally(manager, input.workshopId, input.ideaId),
        remainingDots: remaining(workshop, dotsSpent),
      };
      return { result, changed: Number(dots) > 0 };
    });
    if (outcome.changed) this.changed(input.workshopId, input.ideaId);
    return outcome.result;
  }

  /** One transaction, queued behind the same participant's others. */
  private serially<T>(
    actor: Actor,
    workshopId: string,
    work: (manager: EntityManager) => Promise<T>,
  ) {
    return this.queue.run(`${workshopId}:${actor.kind}:${actor.id}`, () =>
      this.dataSource.transaction(async (manager) => {
        // The embedded database answers in microtasks: without a turn of the event loop
        // between votes, a burst would hold back every ack (and all other I/O) until its end.
        if (this.embedded) await new Promise((resolve) => setImmediate(resolve));
        return work(manager);
      }),
    );
  }

  /** The participant's own state for a reconnect snapshot. */
  async mine(participantId: string): Promise<MyVotes> {
    const [participant] = await this.dataSource.query<(WorkshopRow & { dots_spent: number })[]>(
      `SELECT p.dots_spent, w.voting_mode, w.dot_budget FROM workshop_participants p
       JOIN workshops w ON w.id = p.workshop_id WHERE p.id = $1`,
      [participantId],
    );
    if (!participant) throw AppException.notFound('Participant');
    const votes = await this.dataSource.query<{ idea_id: string; dots: number }[]>(
      `SELECT idea_id, dots FROM workshop_votes WHERE participant_id = $1`,
      [participantId],
    );
    return {
      participantId,
      remainingDots: remaining(participant, participant.dots_spent),
      votes: Object.fromEntries(votes.map((vote) => [vote.idea_id, Number(vote.dots)])),
    };
  }

  /** Current tallies of the given ideas (0 for an idea nobody has voted on). */
  async tallies(workshopId: string, ideaIds: string[]): Promise<Map<string, number>> {
    const found = await prepared<{ idea_id: string; vote_count: string }>(
      this.dataSource.manager,
      `SELECT ids.idea_id, COALESCE(t.dots, 0) AS vote_count
       FROM unnest($2::uuid[]) AS ids(idea_id)
       LEFT JOIN workshop_idea_tallies t ON t.idea_id = ids.idea_id AND t.workshop_id = $1`,
      [workshopId, ideaIds],
    );
    return new Map(found.map((row) => [row.idea_id, Number(row.vote_count)]));
  }

  /** lockAll for one participant: the retract's locks. */
  private async lock(manager: EntityManager, actor: Actor, workshopId: string): Promise<Locked> {
    if (actor.kind === 'guest' && actor.workshopId !== workshopId) throw notFound();
    const [row] = await manager.query<
      (WorkshopRow & { participant_id: string; dots_spent: number })[]
    >(
      `SELECT w.stage, w.voting_mode, w.dot_budget, w.max_dots_per_idea, p.id AS participant_id, p.dots_spent
       FROM workshops w JOIN workshop_participants p ON p.workshop_id = w.id
       WHERE w.id = $1 AND ${actor.kind === 'guest' ? 'p.id' : 'p.user_id'} = $2
       FOR SHARE OF w FOR UPDATE OF p`,
      [workshopId, actor.id],
    );
    if (!row) throw notFound();
    return { workshop: row, participant: { id: row.participant_id, dots_spent: row.dots_spent } };
  }

  private async requireIdea(manager: EntityManager, workshopId: string, ideaId: string) {
    const [idea] = await manager.query<{ id: string }[]>(
      `SELECT id FROM ideas WHERE id = $1 AND workshop_id = $2 AND NOT hidden`,
      [ideaId, workshopId],
    );
    if (!idea) throw AppException.notFound('Idea');
  }

  private async tally(manager: EntityManager, workshopId: string, ideaId: string): Promise<number> {
    const [row] = await manager.query<{ total: string }[]>(
      `SELECT COALESCE((SELECT dots FROM workshop_idea_tallies WHERE idea_id = $2 AND workshop_id = $1), 0) AS total`,
      [workshopId, ideaId],
    );
    return Number(row.total);
  }

  /** After commit: the coalescer reads and broadcasts the new tally. */
  private changed(workshopId: string, ideaId: string): void {
    this.events.emit(RealtimeEvent.VotesChanged, {
      workshopId,
      ideaIds: [ideaId],
    } satisfies WorkshopVotesChangedEvent);
  }
}

/** A cast's answer: its replayed or new result, or why nothing was written. */
function outcomeOf(item: CastItem, row: LockedRow, state: CastState | undefined): CastOutcome {
  if (!state) throw new Error(`no state for participant ${row.participant_id} in its batch`);
  if (state.first) return { result: state.first, replayed: true };
  if (state.result) return { result: state.result, replayed: false };
  requireVoting(row.stage);
  if (!state.idea) throw AppException.notFound('Idea');
  checkRules(row, item.dots, state.on_idea ?? 0, row.dots_spent);
  throw budgetExceeded(row.dot_budget);
}

function settled<R>(answer: () => R): Settled<R> {
  try {
    return { ok: true, value: answer() };
  } catch (error) {
    return { ok: false, error };
  }
}

function checkRules(workshop: WorkshopRow, dots: number, onIdea: number, spent: number): void {
  if (workshop.voting_mode === 'up') {
    if (dots !== 1) throw AppException.badRequest('INVALID', 'An up vote is one vote');
    if (onIdea > 0) throw alreadyVoted('You have already voted for this idea');
    return;
  }
  const cap = `At most ${workshop.max_dots_per_idea} dots may go to one idea`;
  if (dots > workshop.max_dots_per_idea) throw AppException.badRequest('INVALID', cap);
  if (onIdea + dots > workshop.max_dots_per_idea) throw alreadyVoted(cap);
  if (spent + dots > workshop.dot_budget) throw budgetExceeded(workshop.dot_budget);
}

/** The part of checkRules that does not depend on what is already stored. */
function dotsAllowed(workshop: WorkshopRow, dots: number): boolean {
  return workshop.voting_mode === 'up' ? dots === 1 : dots <= workshop.max_dots_per_idea;
}

function budgetOf(workshop: WorkshopRow): number | null {
  return workshop.voting_mode === 'dots' ? workshop.dot_budget : null;
}

function remaining(workshop: Pick<WorkshopRow, 'voting_mode' | 'dot_budget'>, spent: number) {
  return workshop.voting_mode === 'dots' ? workshop.dot_budget - spent : null;
}

function requireVoting(stage: Stage): void {
  if (stage !== 'voting') {
    throw AppException.conflict('WRONG_STAGE', `Voting is not open (the workshop is in ${stage})`);
  }
}

function alreadyVoted(message: string): AppException {
  return AppException.conflict('ALREADY_VOTED', message);
}

function budgetExceeded(budget: number): AppException {
  return AppException.unprocessable('BUDGET_EXCEEDED', `Your ${budget} dots are spent`);
}

function notFound(): AppException {
  return AppException.notFound('Workshop');
}

/** TypeORM returns UPDATE/DELETE … RETURNING on PostgreSQL as [rows, affected]. */
function rows<T>(result: unknown): T[] {
  return (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as T[];
}
