import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Actor, Helix, UserActor } from '@edp/auth';
import { IdeasService, type IdeaView } from '@edp/workshop';
import { IDEA_CARD_COLUMNS, PUBLISHED, toIdeaCard, type IdeaCardRow } from '../shared/idea-card.js';
import { rows } from '../shared/sql.js';
import { IDEAS_FOR_RESEARCHER, RESEARCHERS_FOR_IDEA } from './matching.sql.js';

export interface ResearcherMatch {
  researcher: {
    id: string;
    displayName: string;
    organisation: { id: string; name: string; helix: Helix } | null;
  };
  score: number;
  terms: string[];
}

export interface IdeaMatch {
  idea: IdeaView;
  score: number;
  terms: string[];
}

const LIMIT = 20;

/** Suggests researchers for an idea and ideas for a researcher, with the shared terms as reason. */
@Injectable()
export class MatchingService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ideas: IdeasService,
  ) {}

  async researchersFor(actor: Actor, ideaId: string): Promise<ResearcherMatch[]> {
    await this.ideas.view(actor, ideaId);
    const found = await rows<{
      user_id: string;
      display_name: string;
      organisation_id: string | null;
      organisation_name: string | null;
      helix: Helix | null;
      score: number;
      terms: string[];
    }>(this.dataSource, RESEARCHERS_FOR_IDEA, [ideaId, LIMIT]);
    return found.map((row) => ({
      researcher: {
        id: row.user_id,
        displayName: row.display_name,
        organisation:
          row.organisation_id && row.organisation_name && row.helix
            ? { id: row.organisation_id, name: row.organisation_name, helix: row.helix }
            : null,
      },
      score: Number(row.score),
      terms: row.terms,
    }));
  }

  async ideasFor(actor: UserActor): Promise<IdeaMatch[]> {
    const found = await rows<IdeaCardRow & { score: number; terms: string[] }>(
      this.dataSource,
      IDEAS_FOR_RESEARCHER(IDEA_CARD_COLUMNS, PUBLISHED),
      [actor.id, LIMIT],
    );
    return found.map((row) => ({
      idea: toIdeaCard(row),
      score: Number(row.score),
      terms: row.terms,
    }));
  }
}
