import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppException } from '@edp/common';
import type { Actor } from '@edp/auth';
import { AuditTrail } from '../audit/audit-trail.js';
import type { IdeaVotesChangedEvent } from '../events/workshop.events.js';
import { sql } from '../shared/sql.js';
import type { UpdateIdeaDto } from './dto/update-idea.dto.js';
import type { IdeaContext } from './idea-reader.js';
import { Idea } from './idea.entity.js';

export interface ModerationOutcome {
  /** Ideas whose public state changed, for `idea.updated`. */
  updatedIds: string[];
  votesChanged: IdeaVotesChangedEvent[];
}

/** Status, merge and hide: the region's staff only (checked by the caller), always audited. */
@Injectable()
export class IdeaModerationService {
  constructor(private readonly audit: AuditTrail) {}

  async apply(
    manager: EntityManager,
    actor: Actor,
    context: IdeaContext,
    input: UpdateIdeaDto,
  ): Promise<ModerationOutcome> {
    const { row } = context;
    const entry = { regionCode: context.regionCode, processId: row.process_id };
    const outcome: ModerationOutcome = { updatedIds: [row.id], votesChanged: [] };
    const merging = input.status === 'merged' || input.mergedIntoId !== undefined;
    if (merging && (input.status ?? 'merged') !== 'merged') {
      throw AppException.badRequest('VALIDATION_FAILED', 'mergedIntoId goes with status "merged"');
    }
    if ((input.status !== undefined || merging) && row.status === 'merged') {
      throw AppException.conflict('IDEA_MERGED', 'A merged idea keeps its status');
    }
    if (merging) {
      if (!input.mergedIntoId) {
        throw AppException.badRequest('VALIDATION_FAILED', 'status "merged" needs mergedIntoId');
      }
      Object.assign(outcome, await this.merge(manager, actor, context, input.mergedIntoId));
    } else if (input.status !== undefined && input.status !== row.status) {
      await manager.update(Idea, { id: row.id }, { status: input.status });
      await this.audit.record(manager, actor, {
        ...entry,
        action: 'idea.status-changed',
        objectType: 'idea',
        objectId: row.id,
        details: { from: row.status, to: input.status },
      });
    }
    if (input.hidden !== undefined && input.hidden !== row.hidden) {
      await manager.update(Idea, { id: row.id }, { hidden: input.hidden });
      await this.audit.record(manager, actor, {
        ...entry,
        action: input.hidden ? 'idea.hidden' : 'idea.unhidden',
        objectType: 'idea',
        objectId: row.id,
      });
    }
    return outcome;
  }

  /**
   * Moves the source's votes to the target, except for voters who already support the
   * target (one vote each), then recounts both from the rows. The source row is locked by
   * the caller; the target is locked here, so a concurrent vote waits for the merge.
   */
  private async merge(
    manager: EntityManager,
    actor: Actor,
    context: IdeaContext,
    targetId: string,
  ): Promise<ModerationOutcome> {
    const source = context.row;
    if (targetId.toLowerCase() === source.id) {
      throw AppException.unprocessable('INVALID_MERGE_TARGET', 'An idea cannot merge into itself');
    }
    const { rows: targets } = await sql<{ id: string; status: string; workshop_id: string | null }>(
      manager,
      `SELECT id, status, workshop_id FROM ideas WHERE id = $1 AND process_id = $2 FOR UPDATE`,
      [targetId, source.process_id],
    );
    const target = targets[0];
    if (!target || target.status === 'merged') {
      throw AppException.unprocessable(
        'INVALID_MERGE_TARGET',
        'The target must be an idea of the same process that is not merged itself',
      );
    }
    const moved = await sql(
      manager,
      `INSERT INTO idea_votes (idea_id, user_id, created_at)
       SELECT $2, user_id, created_at FROM idea_votes WHERE idea_id = $1
       ON CONFLICT (idea_id, user_id) DO NOTHING`,
      [source.id, target.id],
    );
    const removed = await sql(manager, `DELETE FROM idea_votes WHERE idea_id = $1`, [source.id]);
    const { rows: counts } = await sql<{ id: string; vote_count: number }>(
      manager,
      `UPDATE ideas SET vote_count = (SELECT count(*) FROM idea_votes v WHERE v.idea_id = ideas.id),
              updated_at = now()
       WHERE id IN ($1, $2) RETURNING id, vote_count`,
      [source.id, target.id],
    );
    await manager.update(Idea, { id: source.id }, { status: 'merged', mergedIntoId: target.id });
    const countOf = (id: string) => Number(counts.find((c) => c.id === id)?.vote_count ?? 0);
    await this.audit.record(manager, actor, {
      regionCode: context.regionCode,
      processId: source.process_id,
      action: 'idea.merged',
      objectType: 'idea',
      objectId: source.id,
      details: {
        from: source.status,
        mergedIntoId: target.id,
        sourceVotes: removed.count,
        movedVotes: moved.count,
        alreadyOnTarget: removed.count - moved.count,
        targetVoteCount: countOf(target.id),
      },
    });
    return {
      updatedIds: [source.id, target.id],
      votesChanged: [
        {
          ideaId: source.id,
          processId: source.process_id,
          workshopId: source.workshop_id,
          voteCount: countOf(source.id),
        },
        {
          ideaId: target.id,
          processId: source.process_id,
          workshopId: target.workshop_id,
          voteCount: countOf(target.id),
        },
      ],
    };
  }
}
