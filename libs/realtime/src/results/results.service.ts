import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Actor } from '@edp/auth';
import {
  IdeasService,
  STAKEHOLDER_ANALYTICS,
  type IdeaView,
  type StakeholderAnalyticsPort,
} from '@edp/workshop';
import { LiveSessionService } from '../live/live-session.service.js';
import { WorkshopAccess } from '../workshops/workshop-access.service.js';

export interface RankedIdea {
  idea: IdeaView;
  voteCount: number;
  /** Competition ranking: equal tallies share a rank (1, 2, 2, 4). */
  rank: number;
}

/** The outcome of a workshop: its visible ideas ranked by this session's votes. */
@Injectable()
export class ResultsService {
  constructor(
    private readonly access: WorkshopAccess,
    private readonly ideas: IdeasService,
    private readonly live: LiveSessionService,
    @Optional()
    @Inject(STAKEHOLDER_ANALYTICS)
    private readonly analytics: StakeholderAnalyticsPort | null = null,
  ) {}

  async results(actor: Actor, workshopId: string): Promise<RankedIdea[]> {
    await this.access.requireVisible(actor, workshopId);
    return this.rank(workshopId, actor);
  }

  /** For the export: the region's staff only. */
  async forExport(actor: Actor, workshopId: string) {
    const workshop = await this.access.requireStaff(actor, workshopId);
    const ranked = await this.rank(workshopId, actor);
    const analytics = this.analytics ? await this.analytics.ofWorkshop(workshopId) : null;
    return { workshop, ranked, analytics };
  }

  private async rank(workshopId: string, actor: Actor): Promise<RankedIdea[]> {
    const ideas = await this.live.withTallies(
      workshopId,
      await this.ideas.listForWorkshop(workshopId, actor),
    );
    // Ties keep the order the ideas came in (listForWorkshop is oldest first; sort is stable).
    const sorted = [...ideas].sort((a, b) => b.voteCount - a.voteCount);
    let rank = 0;
    return sorted.map((idea, index) => {
      if (index === 0 || idea.voteCount !== sorted[index - 1].voteCount) rank = index + 1;
      return { idea, voteCount: idea.voteCount, rank };
    });
  }
}
