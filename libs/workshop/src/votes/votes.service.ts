import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AppException } from '@edp/common';
import { isStaffOf, type Actor, type Role, type UserActor } from '@edp/auth';
import { WorkshopEvent } from '../events/workshop.events.js';
import { WorkshopEventsPublisher } from '../events/workshop-events.publisher.js';
import { requireUser } from '../shared/access.js';
import { sql } from '../shared/sql.js';

/** Support votes come from the participants the process asks (API.md: company, researcher). */
const SUPPORTERS: readonly Role[] = ['company', 'researcher'];

export interface VoteResult {
  ideaId: string;
  voteCount: number;
  voted: boolean;
}

@Injectable()
export class VotesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: WorkshopEventsPublisher,
  ) {}

  /**
   * Idempotent: the primary key (idea, user) decides whether a row is added or removed, and
   * the counter moves under the idea's row lock in the same statement (a vote) or
   * transaction (a retraction), so `vote_count` always equals the number of rows, whatever
   * the concurrency.
   */
  async set(caller: Actor | null, ideaId: string, voted: boolean): Promise<VoteResult> {
    const actor = requireUser(caller);
    if (voted && !SUPPORTERS.includes(actor.role)) {
      throw AppException.forbidden('Support votes are for companies and researchers');
    }
    const result = voted
      ? await this.vote(actor, ideaId)
      : await this.dataSource.transaction((manager) => this.retract(manager, actor, ideaId));
    if (result.changed) {
      this.events.publish(WorkshopEvent.IdeaVotesChanged, {
        ideaId,
        processId: result.processId,
        workshopId: result.workshopId,
        voteCount: result.voteCount,
      });
    }
    return { ideaId, voteCount: result.voteCount, voted };
  }

  /**
   * One autocommitted statement, so the hot idea's row lock is held for one round trip: it
   * locks the idea (re-read at its latest version), inserts only if the vote is allowed and
   * moves the counter by the rows actually inserted. ON CONFLICT checks the latest rows, not
   * the statement's snapshot, so a concurrent vote of the same user is never counted twice.
   */
  private async vote(actor: UserActor, ideaId: string): Promise<Outcome> {
    const { rows } = await sql<TargetRow & { new_count: number | null }>(
      this.dataSource.manager,
      `WITH target AS (${LOCK_TARGET}),
       added AS (
         INSERT INTO idea_votes (idea_id, user_id)
         SELECT id, $4 FROM target WHERE allowed AND status <> 'merged'
         ON CONFLICT DO NOTHING RETURNING idea_id),
       counted AS (
         UPDATE ideas i SET vote_count = i.vote_count + 1 FROM added a
         WHERE i.id = a.idea_id RETURNING i.vote_count)
       SELECT t.*, (SELECT vote_count FROM counted) AS new_count FROM target t`,
      [ideaId, ...staffParams(actor), actor.id],
    );
    const target = check(rows[0], actor, true);
    return outcome(target, rows[0].new_count);
  }

  /**
   * A retraction locks first and deletes in a second statement: a DELETE finds rows by its
   * statement's snapshot, which must be taken after the lock to see a vote committed just
   * before it.
   */
  private async retract(manager: EntityManager, actor: UserActor, ideaId: string) {
    const { rows } = await sql<TargetRow>(manager, LOCK_TARGET, [ideaId, ...staffParams(actor)]);
    const target = check(rows[0], actor, false);
    const { rows: counted } = await sql<{ vote_count: number }>(
      manager,
      `WITH removed AS (DELETE FROM idea_votes WHERE idea_id = $1 AND user_id = $2 RETURNING idea_id)
       UPDATE ideas i SET vote_count = i.vote_count - 1 FROM removed r
       WHERE i.id = r.idea_id RETURNING i.vote_count`,
      [ideaId, actor.id],
    );
    return outcome(target, counted[0]?.vote_count ?? null);
  }
}

interface TargetRow {
  id: string;
  status: string;
  hidden: boolean;
  vote_count: number;
  process_id: string;
  workshop_id: string | null;
  phase: string;
  region_code: string;
  allowed: boolean;
}

interface Outcome {
  changed: boolean;
  voteCount: number;
  processId: string;
  workshopId: string | null;
}

/**
 * Locks the idea and says whether its votes may change: the process is open and the caller
 * sees the idea (hidden ideas only for the region's staff, as isStaffOf: $2 admin, $3 the
 * region the caller is staff of).
 */
const LOCK_TARGET = `SELECT i.id, i.status, i.hidden, i.vote_count, i.process_id, i.workshop_id,
    p.phase, p.region_code,
    p.phase = 'open' AND (NOT i.hidden OR $2::boolean OR p.region_code = $3::text) AS allowed
  FROM ideas i JOIN processes p ON p.id = i.process_id
  WHERE i.id = $1 FOR UPDATE OF i`;

function staffParams(actor: UserActor): [boolean, string | null] {
  const regional = actor.role === 'region' || actor.role === 'facilitator';
  return [actor.role === 'admin', regional ? actor.regionCode : null];
}

/** The same answers, in the same order, as a read with IdeaReader.visible followed by the rules. */
function check(row: TargetRow | undefined, actor: UserActor, voting: boolean): TargetRow {
  const staff = row ? isStaffOf(actor, row.region_code) : false;
  if (!row || (row.phase === 'draft' && !staff) || (row.hidden && !staff)) {
    throw AppException.notFound('Idea');
  }
  if (row.phase !== 'open') {
    throw AppException.conflict('VOTING_CLOSED', 'Voting is closed for this process');
  }
  if (voting && row.status === 'merged') {
    throw AppException.conflict('IDEA_MERGED', 'Vote for the idea this one was merged into');
  }
  return row;
}

function outcome(row: TargetRow, newCount: number | null): Outcome {
  return {
    changed: newCount !== null,
    voteCount: Number(newCount ?? row.vote_count),
    processId: row.process_id,
    workshopId: row.workshop_id,
  };
}
