import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AppException } from '@edp/common';
import { embeddedDatabaseOf } from '@edp/database';
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

/**
 * Dot and up votes of a live workshop. Each cast or retract is ONE transaction that locks the
 * participant row, so a participant's votes are serialised while different participants vote
 * in parallel; the budget is re-checked by the UPDATE itself and by CHECK constraints.
 */
@Injectable()
export class DotVotesService {
  /** Workshops known to have votes: their voting_started flag can never go back. */
  private readonly started = new Set<string>();
  private readonly queue = new KeyedQueue();
  private readonly embedded: boolean;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventEmitter2,
  ) {
    this.embedded = embeddedDatabaseOf(dataSource) !== null;
  }

  async cast(
    actor: Actor,
    input: { workshopId: string; ideaId: string; dots?: number; clientId: string },
  ): Promise<VoteResult> {
    const dots = input.dots ?? 1;
    const outcome = await this.serially(actor, input.workshopId, (manager) =>
      this.castIn(manager, actor, input, dots),
    );
    this.started.add(input.workshopId);
    if (!outcome.replayed) this.changed(input.workshopId, input.ideaId);
    return outcome.result;
  }

  /** One cast inside its transaction; its ack is sent only after the commit. */
  private async castIn(
    manager: EntityManager,
    actor: Actor,
    input: { workshopId: string; ideaId: string; clientId: string },
    dots: number,
  ): Promise<{ result: VoteResult; replayed: boolean }> {
    const { workshop, participant } = await this.lock(manager, actor, input.workshopId, true);
    // ONE statement after the lock (its snapshot sees every earlier vote of this participant,
    // from any instance) reads the retry record, the idea and the dots already on it, and
    // writes the vote, spends the dots and records the result only when the vote is new and
    // allowed. The budget condition is part of the write: the database, not only the check
    // below, enforces it (no result back = over budget, and the transaction rolls back).
    // The tally subquery sees the table as it was before this statement, hence `+ $4`.
    const [state] = await manager.query<
      {
        first: VoteResult | null;
        on_idea: number | null;
        idea: boolean;
        result: VoteResult | null;
      }[]
    >(
      `WITH state AS (
         SELECT (SELECT result FROM workshop_vote_requests WHERE participant_id = $1 AND client_id = $6) AS first,
                (SELECT dots FROM workshop_votes WHERE participant_id = $1 AND idea_id = $2) AS on_idea,
                EXISTS (SELECT 1 FROM ideas WHERE id = $2 AND workshop_id = $3 AND NOT hidden) AS idea
       ), go AS (
         SELECT 1 FROM state
         WHERE first IS NULL AND idea AND $7::boolean AND COALESCE(on_idea, 0) + $4 <= $8::int
       ), vote AS (
         INSERT INTO workshop_votes (participant_id, idea_id, workshop_id, dots)
         SELECT $1::uuid, $2::uuid, $3::uuid, $4::int FROM go
         ON CONFLICT (participant_id, idea_id)
         DO UPDATE SET dots = workshop_votes.dots + EXCLUDED.dots, updated_at = now()
       ), spent AS (
         UPDATE workshop_participants SET dots_spent = dots_spent + $4
         WHERE id = $1 AND EXISTS (SELECT 1 FROM go)
           AND ($5::int IS NULL OR dots_spent + $4 <= $5::int)
         RETURNING dots_spent
       ), outcome AS (
         SELECT jsonb_build_object(
           'ideaId', $2::uuid,
           'voteCount', $4 + (SELECT COALESCE(SUM(dots), 0) FROM workshop_votes
                              WHERE workshop_id = $3 AND idea_id = $2)::int,
           'remainingDots', $5::int - dots_spent) AS result
         FROM spent
       ), written AS (
         INSERT INTO workshop_vote_requests (participant_id, client_id, result)
         SELECT $1::uuid, $6::varchar, result FROM outcome
         RETURNING result
       )
       SELECT state.*, (SELECT result FROM written) AS result FROM state`,
      [
        participant.id,
        input.ideaId,
        input.workshopId,
        dots,
        budgetOf(workshop),
        input.clientId,
        workshop.stage === 'voting' && dotsAllowed(workshop, dots),
        workshop.voting_mode === 'up' ? 1 : workshop.max_dots_per_idea,
      ],
    );
    // Nothing was written unless the rules held (over budget, throwing rolls the vote row back);
    // the answers come in the same order as before the statements were folded into one.
    if (state.first) return { result: state.first, replayed: true };
    requireVoting(workshop.stage);
    if (!state.idea) throw AppException.notFound('Idea');
    checkRules(workshop, dots, state.on_idea ?? 0, participant.dots_spent);
    if (!state.result) throw budgetExceeded(workshop.dot_budget);
    return { result: state.result, replayed: false };
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
      const { workshop, participant } = await this.lock(manager, actor, input.workshopId, false);
      requireVoting(workshop.stage);
      await this.requireIdea(manager, input.workshopId, input.ideaId);
      // One statement under the participant's row lock: the vote row loses what is taken
      // (or goes when nothing is left) and the budget gets exactly that back. The CHECKs on
      // dots and dots_spent stop anything from going below zero.
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
    const found = await this.dataSource.query<{ idea_id: string; vote_count: string }[]>(
      `SELECT ids.idea_id, COALESCE(SUM(v.dots), 0) AS vote_count
       FROM unnest($2::uuid[]) AS ids(idea_id)
       LEFT JOIN workshop_votes v ON v.workshop_id = $1 AND v.idea_id = ids.idea_id
       GROUP BY ids.idea_id`,
      [workshopId, ideaIds],
    );
    return new Map(found.map((row) => [row.idea_id, Number(row.vote_count)]));
  }

  /**
   * Locks the workshop row (shared: a stage change waits for votes in flight) and the
   * participant row (exclusive: one participant's votes are serialised) in one statement.
   * The first vote marks voting as started, which freezes the voting settings.
   */
  private async lock(
    manager: EntityManager,
    actor: Actor,
    workshopId: string,
    casting: boolean,
  ): Promise<Locked> {
    if (actor.kind === 'guest' && actor.workshopId !== workshopId) throw notFound();
    if (casting && !this.started.has(workshopId)) {
      await manager.query(
        `UPDATE workshops SET voting_started = true WHERE id = $1 AND NOT voting_started`,
        [workshopId],
      );
    }
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
      `SELECT COALESCE(SUM(dots), 0) AS total FROM workshop_votes WHERE workshop_id = $1 AND idea_id = $2`,
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
