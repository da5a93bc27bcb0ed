import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppException } from '@edp/common';
import { isStaffOf, type Actor } from '@edp/auth';
import { ProcessesService } from '../processes/processes.service.js';
import { sql } from '../shared/sql.js';
import { toCsv } from './csv.js';
import {
  STAKEHOLDER_ANALYTICS,
  type StakeholderAnalyticsPort,
} from './stakeholder-analytics.port.js';

export interface ExportedIdea {
  id: string;
  title: string;
  body: string;
  status: string;
  mergedIntoId: string | null;
  hidden: boolean;
  voteCount: number;
  commentCount: number;
  priorityAreas: string[];
  authorName: string;
  organisationName: string | null;
  helix: string | null;
  workshopId: string | null;
  createdAt: string;
}

const CSV_HEADER = [
  'id',
  'title',
  'body',
  'status',
  'mergedIntoId',
  'hidden',
  'voteCount',
  'commentCount',
  'priorityAreas',
  'authorName',
  'organisationName',
  'helix',
  'workshopId',
  'createdAt',
];

/** Every idea of a process, for the region's staff, admins and the agency. */
@Injectable()
export class ExportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly processes: ProcessesService,
    @Optional()
    @Inject(STAKEHOLDER_ANALYTICS)
    private readonly analytics: StakeholderAnalyticsPort | null = null,
  ) {}

  /** The JSON export: every idea, plus who the process is hearing (the helix breakdown). */
  async json(actor: Actor | null, processId: string) {
    const ideas = await this.ideas(actor, processId);
    return {
      processId,
      ideas,
      analytics: this.analytics ? await this.analytics.ofProcess(processId) : null,
    };
  }

  async ideas(actor: Actor | null, processId: string): Promise<ExportedIdea[]> {
    const process = await this.processes.findVisible(this.dataSource.manager, actor, processId);
    const agency = actor?.kind === 'user' && actor.role === 'agency';
    if (
      !agency &&
      !(
        isStaffOf(actor, process.regionCode) &&
        actor?.kind === 'user' &&
        actor.role !== 'facilitator'
      )
    ) {
      throw AppException.forbidden('Only the region’s staff and the agency may export');
    }
    const { rows } = await sql<ExportRow>(
      this.dataSource.manager,
      `SELECT i.id, i.title, i.body, i.status, i.merged_into_id, i.hidden, i.vote_count,
              i.comment_count, i.author_name, i.organisation_name, i.helix, i.workshop_id,
              i.created_at,
              ARRAY(SELECT a.name FROM idea_priority_areas ipa
                    JOIN priority_areas a ON a.id = ipa.priority_area_id
                    WHERE ipa.idea_id = i.id ORDER BY a.name) AS priority_areas
       FROM ideas i WHERE i.process_id = $1 ORDER BY i.created_at, i.id`,
      [processId],
    );
    return rows.map((row) => ({
      id: row.id,
      title: row.title,
      body: row.body,
      status: row.status,
      mergedIntoId: row.merged_into_id,
      hidden: row.hidden,
      voteCount: Number(row.vote_count),
      commentCount: Number(row.comment_count),
      priorityAreas: Array.isArray(row.priority_areas) ? row.priority_areas : [],
      authorName: row.author_name,
      organisationName: row.organisation_name,
      helix: row.helix,
      workshopId: row.workshop_id,
      createdAt: new Date(row.created_at).toISOString(),
    }));
  }

  async csv(actor: Actor | null, processId: string): Promise<string> {
    const ideas = await this.ideas(actor, processId);
    return toCsv(
      CSV_HEADER,
      ideas.map((idea) => [
        idea.id,
        idea.title,
        idea.body,
        idea.status,
        idea.mergedIntoId,
        idea.hidden,
        idea.voteCount,
        idea.commentCount,
        idea.priorityAreas.join('; '),
        idea.authorName,
        idea.organisationName,
        idea.helix,
        idea.workshopId,
        idea.createdAt,
      ]),
    );
  }
}

interface ExportRow {
  id: string;
  title: string;
  body: string;
  status: string;
  merged_into_id: string | null;
  hidden: boolean;
  vote_count: number;
  comment_count: number;
  author_name: string;
  organisation_name: string | null;
  helix: string | null;
  workshop_id: string | null;
  created_at: Date;
  priority_areas: string[];
}
