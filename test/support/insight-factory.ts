import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { MadeUser } from './factories.js';

type Phase = 'draft' | 'open' | 'review' | 'closed';

/**
 * Discovery data for S3 tests, written straight into the database with SQL (fast enough for
 * hundreds of ideas and independent of the workshop routes). Counters are kept exact.
 */
export class InsightFactory {
  constructor(private readonly dataSource: DataSource) {}

  async process(regionCode: string, phase: Phase = 'open', title = 'Process'): Promise<string> {
    const [row] = await this.dataSource.query(
      `INSERT INTO processes (region_code, title, phase) VALUES ($1, $2, $3) RETURNING id`,
      [regionCode, title, phase],
    );
    return row.id;
  }

  async priorityArea(regionCode: string, name: string): Promise<string> {
    const [row] = await this.dataSource.query(
      `INSERT INTO priority_areas (region_code, name) VALUES ($1, $2) RETURNING id`,
      [regionCode, name],
    );
    return row.id;
  }

  /** `author` null → a guest's idea (no helix). */
  async idea(
    processId: string,
    input: {
      title: string;
      body?: string;
      author?: MadeUser | null;
      hidden?: boolean;
      workshopId?: string | null;
      priorityAreaIds?: string[];
    },
  ): Promise<string> {
    const author = input.author ?? null;
    const [row] = await this.dataSource.query(
      `INSERT INTO ideas (process_id, workshop_id, author_user_id, author_guest_id, author_name,
                          organisation_name, helix, title, body, hidden)
       SELECT $1, $2, $3, $4, $5, o.name, o.helix, $6, $7, $8
       FROM (SELECT 1) one
       LEFT JOIN users u ON u.id = $3::uuid LEFT JOIN organisations o ON o.id = u.organisation_id
       RETURNING id`,
      [
        processId,
        input.workshopId ?? null,
        author?.user.id ?? null,
        author ? null : randomUUID(),
        author?.user.displayName ?? 'Gäst',
        input.title,
        input.body ?? '',
        input.hidden ?? false,
      ],
    );
    for (const areaId of input.priorityAreaIds ?? []) {
      await this.dataSource.query(
        `INSERT INTO idea_priority_areas (idea_id, priority_area_id) VALUES ($1, $2)`,
        [row.id, areaId],
      );
    }
    return row.id;
  }

  async vote(ideaId: string, voter: MadeUser): Promise<void> {
    await this.dataSource.query(`INSERT INTO idea_votes (idea_id, user_id) VALUES ($1, $2)`, [
      ideaId,
      voter.user.id,
    ]);
    await this.dataSource.query(`UPDATE ideas SET vote_count = vote_count + 1 WHERE id = $1`, [
      ideaId,
    ]);
  }

  async comment(ideaId: string, author: MadeUser, hidden = false): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO comments (idea_id, author_user_id, author_name, helix, body, hidden)
       SELECT $1, u.id, u.display_name, o.helix, 'Bra förslag!', $3
       FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id WHERE u.id = $2`,
      [ideaId, author.user.id, hidden],
    );
    await this.dataSource.query(
      `UPDATE ideas SET comment_count = comment_count + 1 WHERE id = $1`,
      [ideaId],
    );
  }

  async workshop(processId: string): Promise<string> {
    const [row] = await this.dataSource.query(
      `INSERT INTO workshops (process_id, region_code, title, join_code, voting_mode, dot_budget, max_dots_per_idea)
       SELECT id, region_code, 'Workshop', $2, 'dots', 5, 5 FROM processes WHERE id = $1 RETURNING id`,
      [processId, randomJoinCode()],
    );
    return row.id;
  }

  /** `voter` null → a guest participant. */
  async dots(workshopId: string, ideaId: string, voter: MadeUser | null, dots: number) {
    const [participant] = await this.dataSource.query(
      `INSERT INTO workshop_participants (workshop_id, user_id, display_name, dots_spent)
       VALUES ($1, $2, $3, $4) RETURNING id`,
      [workshopId, voter?.user.id ?? null, voter?.user.displayName ?? 'Gäst', dots],
    );
    await this.dataSource.query(
      `INSERT INTO workshop_votes (participant_id, idea_id, workshop_id, dots) VALUES ($1, $2, $3, $4)`,
      [participant.id, ideaId, workshopId, dots],
    );
  }
}

function randomJoinCode(): string {
  const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
  return Array.from(
    { length: 6 },
    () => alphabet[Math.floor(Math.random() * alphabet.length)],
  ).join('');
}
