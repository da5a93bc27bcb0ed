import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AppException, BatchQueue, type Settled } from '@edp/common';
import { prepared } from '@edp/database';
import { isStaffOf, type Actor, type Role, type UserActor } from '@edp/auth';
import { WorkshopEvent } from '../events/workshop.events.js';
import { WorkshopEventsPublisher } from '../events/workshop-events.publisher.js';
import { requireUser } from '../shared/access.js';
import { sql } from '../shared/sql.js';
import {
  LOCK_VOTE_TARGET_SQL,
  RETRACT_SQL,
  VOTE_BATCH_SQL,
  VOTE_SQL,
  voteAccessParams,
  type VoteBatchRow,
  type VoteTargetRow,
} from './vote.sql.js';

/** Support votes come from the participants the process asks (API.md: company, researcher). */
const SUPPORTERS: readonly Role[] = ['company', 'researcher'];

export interface VoteResult {
  ideaId: string;
  voteCount: number;
  voted: boolean;
}

@Injectable()
export class VotesService {
  /**
   * Group commit: the votes that arrive while a statement is in flight go together in the
   * next one, so a burst pays one commit and one lock of a hot idea per batch, not per vote.
   */
  private readonly votes: BatchQueue<{ actor: UserActor; ideaId: string }, VoteBatchRow>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: WorkshopEventsPublisher,
  ) {
    this.votes = new BatchQueue((items) => this.voteBatch(items), {
      // One batch in flight: a second one would wait on the first's row locks of a hot idea
      // (and take PostgreSQL's CPU from it); one at a time gave bigger batches and more
      // votes/s on PostgreSQL (npm run bench), and the embedded database has one connection.
      concurrency: 1,
      maxBatch: 200,
    });
  }

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

  private async vote(actor: UserActor, ideaId: string): Promise<Outcome> {
    const row = await this.votes.submit(`${ideaId}:${actor.id}`, { actor, ideaId });
    return outcome(check(row.found ? row : undefined, actor, true), row.new_count);
  }

  /** One statement for all the votes; the ideas' row locks are held for one round trip. */
  private async voteBatch(
    items: { actor: UserActor; ideaId: string }[],
  ): Promise<Settled<VoteBatchRow>[]> {
    if (items.length === 1) {
      const [{ actor, ideaId }] = items;
      const rows = await prepared<VoteBatchRow>(this.dataSource.manager, VOTE_SQL, [
        ideaId,
        ...voteAccessParams(actor),
        actor.id,
      ]);
      return [{ ok: true, value: rows[0] ?? UNKNOWN_IDEA }];
    }
    const access = items.map(({ actor }) => voteAccessParams(actor));
    const rows = await prepared<VoteBatchRow>(this.dataSource.manager, VOTE_BATCH_SQL, [
      items.map(({ ideaId }) => ideaId),
      access.map(([admin]) => admin),
      access.map(([, region]) => region),
      items.map(({ actor }) => actor.id),
    ]);
    return rows.map((row) => ({ ok: true, value: row }));
  }

  /** Locks first, then deletes in a second statement (see RETRACT_SQL for why). */
  private async retract(manager: EntityManager, actor: UserActor, ideaId: string) {
    const { rows } = await sql<VoteTargetRow>(manager, LOCK_VOTE_TARGET_SQL, [
      ideaId,
      ...voteAccessParams(actor),
    ]);
    const target = check(rows[0], actor, false);
    const { rows: counted } = await sql<{ vote_count: number }>(manager, RETRACT_SQL, [
      ideaId,
      actor.id,
    ]);
    return outcome(target, counted[0]?.vote_count ?? null);
  }
}

/** VOTE_BATCH_SQL's row for an idea that does not exist (VOTE_SQL returns none). */
const UNKNOWN_IDEA = { found: false } as VoteBatchRow;

interface Outcome {
  changed: boolean;
  voteCount: number;
  processId: string;
  workshopId: string | null;
}

/** The same answers, in the same order, as a read with IdeaReader.visible followed by the rules. */
function check(row: VoteTargetRow | undefined, actor: UserActor, voting: boolean): VoteTargetRow {
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

function outcome(row: VoteTargetRow, newCount: number | null): Outcome {
  return {
    changed: newCount !== null,
    voteCount: Number(newCount ?? row.vote_count),
    processId: row.process_id,
    workshopId: row.workshop_id,
  };
}
