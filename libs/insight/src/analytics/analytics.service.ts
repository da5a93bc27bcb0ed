import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppException } from '@edp/common';
import { HELICES, isStaffOf, type Helix, type UserActor } from '@edp/auth';
import { ProcessesService, type StakeholderAnalyticsPort } from '@edp/workshop';
import { emptyHelixCounts, type HelixCounts } from '../overview/overview.view.js';
import { rows } from '../shared/sql.js';

type Measure = 'ideas' | 'votes' | 'comments';
const MEASURES: Measure[] = ['ideas', 'votes', 'comments'];

export interface StakeholderAnalytics {
  ideas: HelixCounts;
  votes: HelixCounts;
  comments: HelixCounts;
  /** Helices with no idea, vote or comment at all: who the region is not hearing. */
  missing: Helix[];
  /** Contributions without a helix (workshop guests, accounts without an organisation). */
  unattributed: Record<Measure, number>;
  /** Each helix's share of all contributions of that kind (0–1), unattributed included. */
  shares: Record<Measure, HelixCounts>;
}

/**
 * Rows (measure, helix, n) for one scope. Ideas and comments carry the author's helix as a
 * snapshot; votes take the voter's organisation. Hidden ideas and comments are not input.
 * $1 is the process or workshop id.
 */
function contributionsSql(scope: 'process' | 'workshop'): string {
  const ideas = scope === 'process' ? `i.process_id = $1::uuid` : `i.workshop_id = $1::uuid`;
  const supportVotes =
    scope === 'process'
      ? `UNION ALL SELECT 'votes', o.helix, 1 FROM scope_ideas si
           JOIN idea_votes v ON v.idea_id = si.id
           JOIN users u ON u.id = v.user_id LEFT JOIN organisations o ON o.id = u.organisation_id`
      : '';
  const dots =
    scope === 'process'
      ? `wv.idea_id IN (SELECT id FROM scope_ideas)`
      : `wv.workshop_id = $1::uuid`;
  return `
    WITH scope_ideas AS (SELECT i.id, i.helix FROM ideas i WHERE ${ideas} AND NOT i.hidden)
    SELECT measure, helix, sum(n)::int AS n FROM (
      SELECT 'ideas' AS measure, si.helix, 1 AS n FROM scope_ideas si
      UNION ALL SELECT 'comments', c.helix, 1 FROM scope_ideas si
        JOIN comments c ON c.idea_id = si.id AND NOT c.hidden
      ${supportVotes}
      UNION ALL SELECT 'votes', o.helix, wv.dots FROM workshop_votes wv
        JOIN workshop_participants wp ON wp.id = wv.participant_id
        LEFT JOIN users u ON u.id = wp.user_id LEFT JOIN organisations o ON o.id = u.organisation_id
        WHERE ${dots}
    ) contributions GROUP BY measure, helix`;
}

/** Which parts of the quadruple helix a process or a workshop is hearing. */
@Injectable()
export class AnalyticsService implements StakeholderAnalyticsPort {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly processes: ProcessesService,
  ) {}

  async forProcess(actor: UserActor, processId: string): Promise<StakeholderAnalytics> {
    if (actor.role === 'agency' || actor.role === 'admin') {
      const found = await rows(this.dataSource, `SELECT 1 FROM processes WHERE id = $1`, [
        processId,
      ]);
      if (found.length === 0) throw AppException.notFound('Process');
    } else {
      // 404 for another region's draft, 403 for another region's published process.
      await this.processes.requireStaff(actor, processId);
    }
    return this.tally(contributionsSql('process'), processId);
  }

  async forWorkshop(actor: UserActor, workshopId: string): Promise<StakeholderAnalytics> {
    const [workshop] = await rows<{ region_code: string }>(
      this.dataSource,
      `SELECT region_code FROM workshops WHERE id = $1`,
      [workshopId],
    );
    const reader = actor.role === 'agency' || isStaffOf(actor, workshop?.region_code ?? '');
    if (!workshop || !reader) throw AppException.notFound('Workshop');
    return this.tally(contributionsSql('workshop'), workshopId);
  }

  /** For exports, which have already checked the caller's access. */
  ofProcess(processId: string): Promise<StakeholderAnalytics> {
    return this.tally(contributionsSql('process'), processId);
  }

  ofWorkshop(workshopId: string): Promise<StakeholderAnalytics> {
    return this.tally(contributionsSql('workshop'), workshopId);
  }

  private async tally(sql: string, id: string): Promise<StakeholderAnalytics> {
    const found = await rows<{ measure: Measure; helix: Helix | null; n: number }>(
      this.dataSource,
      sql,
      [id],
    );
    const result: StakeholderAnalytics = {
      ideas: emptyHelixCounts(),
      votes: emptyHelixCounts(),
      comments: emptyHelixCounts(),
      missing: [],
      unattributed: { ideas: 0, votes: 0, comments: 0 },
      shares: {
        ideas: emptyHelixCounts(),
        votes: emptyHelixCounts(),
        comments: emptyHelixCounts(),
      },
    };
    for (const row of found) {
      if (row.helix && HELICES.includes(row.helix)) result[row.measure][row.helix] += Number(row.n);
      else result.unattributed[row.measure] += Number(row.n);
    }
    for (const measure of MEASURES) {
      const total =
        HELICES.reduce((sum, helix) => sum + result[measure][helix], 0) +
        result.unattributed[measure];
      for (const helix of HELICES) {
        result.shares[measure][helix] =
          total === 0 ? 0 : Math.round((result[measure][helix] / total) * 1000) / 1000;
      }
    }
    result.missing = HELICES.filter((helix) => MEASURES.every((m) => result[m][helix] === 0));
    return result;
  }
}
