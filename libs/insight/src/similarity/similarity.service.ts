import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Actor } from '@edp/auth';
import { IdeasService, ProcessesService, type IdeaView } from '@edp/workshop';
import {
  IDEA_CARD_COLUMNS,
  PUBLISHED,
  toIdeaCard,
  viewerId,
  type IdeaCardRow,
} from '../shared/idea-card.js';
import { rows } from '../shared/sql.js';
import { similarIdeasSql, THRESHOLD_SQL } from './similarity.sql.js';

export interface SimilarIdea {
  idea: IdeaView;
  score: number;
  regionCode: string;
  processId: string;
}

/** Overlap detection: published ideas of every region that resemble an idea or a draft text. */
@Injectable()
export class SimilarityService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ideas: IdeasService,
    private readonly processes: ProcessesService,
  ) {}

  /** 404 unless the caller may see the idea itself; the results are published ideas only. */
  async forIdea(actor: Actor, ideaId: string, limit: number): Promise<SimilarIdea[]> {
    await this.ideas.view(actor, ideaId);
    return this.search(
      actor,
      `(SELECT insight_doc(title, body) FROM ideas WHERE id = $2::uuid)`,
      [ideaId],
      limit,
    );
  }

  /** For text being written in a process the caller can see (before it is submitted). */
  async forText(
    actor: Actor,
    processId: string,
    title: string,
    body: string,
    limit: number,
  ): Promise<SimilarIdea[]> {
    await this.processes.getVisible(actor, processId);
    return this.search(actor, `insight_doc($2::text, $3::text)`, [title, body], limit, true);
  }

  private async search(
    actor: Actor,
    docSql: string,
    params: unknown[],
    limit: number,
    textOnly = false,
  ): Promise<SimilarIdea[]> {
    const exclude = textOnly ? 'NULL::uuid' : '$2::uuid';
    const limitParam = `$${params.length + 2}`;
    const found = await rows<IdeaCardRow & { score: number; region_code: string }>(
      this.dataSource,
      `WITH scored AS (${similarIdeasSql(docSql, PUBLISHED, exclude)})
       SELECT s.score, p.region_code, ${IDEA_CARD_COLUMNS}
       FROM scored s JOIN ideas i ON i.id = s.id JOIN processes p ON p.id = i.process_id
       WHERE s.score >= ${THRESHOLD_SQL}
       ORDER BY s.score DESC, i.id
       LIMIT ${limitParam}`,
      [viewerId(actor), ...params, limit],
    );
    return found.map((row) => ({
      idea: toIdeaCard(row),
      score: Math.round(Number(row.score) * 1000) / 1000,
      regionCode: row.region_code,
      processId: row.process_id,
    }));
  }
}
