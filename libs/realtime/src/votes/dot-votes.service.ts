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

/** live_cast_votes' row for one cast: the caller's participant (null: none) and what it found. */
interface CastRow extends WorkshopRow {
  participant_id: string | null;
  dots_spent: number;
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
  private readonly casts: BatchQueue<CastItem, VoteResult>;
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
    const result = await this.queue.run(key, () => this.casts.submit(key, item));
    this.started.add(input.workshopId);
    // A replay is announced too: its first attempt may have committed on an instance that
    // died before broadcasting it (or after this room's snapshots were read).
    this.changed(input.workshopId, input.ideaId);
    return result;
  }

  /**
   * One call for a batch of casts, at most one per participant: live_cast_votes (see its
   * migration) sets the voting_started flag, locks, and writes only the new and allowed
   * votes. The answers are worked out here from what it found.
   */
  private async castBatch(items: CastItem[]): Promise<Settled<VoteResult>[]> {
    // The embedded database answers in microtasks: without a turn of the event loop between
    // batches, a burst would hold back every ack (and all other I/O) until its end.
    if (this.embedded) await new Promise((resolve) => setImmediate(resolve));
    const fresh = [...new Set(items.map((item) => item.workshopId))].filter(
      (id) => !this.started.has(id),
    );
    const rows = await prepared<CastRow>(
      this.dataSource.manager,
      `SELECT * FROM live_cast_votes($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::int[],
                                     $6::varchar[], $7::uuid[])`,
      [
        items.map((item) => item.workshopId),
        items.map((item) => (item.actor.kind === 'guest' ? item.actor.id : null)),
        items.map((item) => (item.actor.kind === 'guest' ? null : item.actor.id)),
        items.map((item) => item.ideaId),
        items.map((item) => item.dots),
        items.map((item) => item.clientId),
        fresh,
      ],
    );
    return items.map((item, i) => settled(() => outcomeOf(item, rows[i])));
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
      // With nothing taken the count is read as it stands.
      const taken = await manager.query<
        { dots_spent: number; taken: number; vote_count: number }[]
      >(
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
           RETURNING workshop_idea_tallies.dots
         )
         UPDATE workshop_participants SET dots_spent = dots_spent - taken.n FROM taken
         WHERE id = $1
         RETURNING dots_spent, taken.n AS taken, COALESCE((SELECT dots FROM tally),
           (SELECT dots FROM workshop_idea_tallies WHERE idea_id = $2), 0) AS vote_count`,
        [participant.id, input.ideaId, input.dots ?? null],
      );
      const [row] = rows<{ dots_spent: number; taken: number; vote_count: number }>(taken);
      const result: VoteResult = {
        ideaId: input.ideaId,
        voteCount: Number(row.vote_count),
        remainingDots: remaining(workshop, row.dots_spent),
      };
      return { result, changed: Number(row.taken) > 0 };
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

  /** Resolves once the casts being committed now are committed (or refused). */
  castsSettled(): Promise<void> {
    return this.casts.settled();
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

  /**
   * The retract's locks: the workshop row shared (a stage change waits for it), the
   * participant's row exclusive.
   */
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

  /** After commit: the coalescer reads and broadcasts the new tally. */
  private changed(workshopId: string, ideaId: string): void {
    this.events.emit(RealtimeEvent.VotesChanged, {
      workshopId,
      ideaIds: [ideaId],
    } satisfies WorkshopVotesChangedEvent);
  }
}

/** A cast's answer: its replayed or new result, or why nothing was written. */
function outcomeOf(item: CastItem, row: CastRow): VoteResult {
  if (!row.participant_id) throw notFound();
  if (row.first) return row.first;
  if (row.result) return row.result;
  requireVoting(row.stage);
  if (!row.idea) throw AppException.notFound('Idea');
  checkRules(row, item.dots, row.on_idea ?? 0, row.dots_spent);
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
