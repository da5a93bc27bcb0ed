import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppException } from '@edp/common';
import type { Actor, Role } from '@edp/auth';
import { WorkshopEvent } from '../events/workshop.events.js';
import { WorkshopEventsPublisher } from '../events/workshop-events.publisher.js';
import { IdeaReader } from '../ideas/idea-reader.js';
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
    private readonly reader: IdeaReader,
    private readonly events: WorkshopEventsPublisher,
  ) {}

  /**
   * Idempotent: the primary key (idea, user) decides whether a row is added or removed, and
   * the counter moves in the same transaction under the idea's row lock, so
   * `vote_count` always equals the number of rows, whatever the concurrency.
   */
  async set(caller: Actor | null, ideaId: string, voted: boolean): Promise<VoteResult> {
    const actor = requireUser(caller);
    if (voted && !SUPPORTERS.includes(actor.role)) {
      throw AppException.forbidden('Support votes are for companies and researchers');
    }
    const result = await this.dataSource.transaction(async (manager) => {
      const idea = await this.reader.visible(manager, actor, ideaId, true);
      if (idea.phase !== 'open') {
        throw AppException.conflict('VOTING_CLOSED', 'Voting is closed for this process');
      }
      if (voted && idea.row.status === 'merged') {
        throw AppException.conflict('IDEA_MERGED', 'Vote for the idea this one was merged into');
      }
      const change = voted
        ? await sql(
            manager,
            `INSERT INTO idea_votes (idea_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
            [ideaId, actor.id],
          )
        : await sql(manager, `DELETE FROM idea_votes WHERE idea_id = $1 AND user_id = $2`, [
            ideaId,
            actor.id,
          ]);
      let voteCount = Number(idea.row.vote_count);
      if (change.count > 0) {
        const { rows } = await sql<{ vote_count: number }>(
          manager,
          `UPDATE ideas SET vote_count = vote_count + $2 WHERE id = $1 RETURNING vote_count`,
          [ideaId, voted ? 1 : -1],
        );
        voteCount = Number(rows[0].vote_count);
      }
      return {
        changed: change.count > 0,
        voteCount,
        processId: idea.row.process_id,
        workshopId: idea.row.workshop_id,
      };
    });
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
}
