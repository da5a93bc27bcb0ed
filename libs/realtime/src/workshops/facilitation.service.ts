import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, QueryDeepPartialEntity } from 'typeorm';
import { AppException } from '@edp/common';
import type { Actor } from '@edp/auth';
import { IdeasService, type IdeaView } from '@edp/workshop';
import { WorkshopAccess } from './workshop-access.service.js';
import { Workshop, type Stage } from './workshop.entity.js';
import type { WorkshopView } from './workshop.view.js';
import { WorkshopsService } from './workshops.service.js';

/** What the facilitator does in the room: stages, the timer, the spotlight, hiding ideas. */
@Injectable()
export class FacilitationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: WorkshopAccess,
    private readonly workshops: WorkshopsService,
    private readonly ideas: IdeasService,
  ) {}

  /**
   * Any stage may follow any other (a facilitator may go back to ideation), except that a
   * closed workshop stays closed: its join code may already belong to another workshop.
   * The update waits for in-flight votes, which hold a share lock on the workshop row.
   */
  async setStage(actor: Actor, workshopId: string, stage: Stage): Promise<WorkshopView> {
    await this.access.requireStaff(actor, workshopId);
    return this.update(workshopId, { stage });
  }

  async setTimer(actor: Actor, workshopId: string, seconds: number | null): Promise<WorkshopView> {
    await this.access.requireStaff(actor, workshopId);
    // The database clock, so every instance shows the same end time.
    const end = seconds === null ? 'NULL' : `now() + make_interval(secs => ${Math.trunc(seconds)})`;
    return this.update(workshopId, { timerEndsAt: () => end });
  }

  async setSpotlight(
    actor: Actor,
    workshopId: string,
    ideaId: string | null,
  ): Promise<WorkshopView> {
    await this.access.requireStaff(actor, workshopId);
    if (ideaId !== null) await this.requireIdeaOf(actor, workshopId, ideaId);
    return this.update(workshopId, { spotlightIdeaId: ideaId });
  }

  async hideIdea(actor: Actor, workshopId: string, ideaId: string): Promise<IdeaView> {
    await this.access.requireStaff(actor, workshopId);
    await this.requireIdeaOf(actor, workshopId, ideaId);
    const idea = await this.ideas.setHidden(actor, ideaId, true);
    const workshop = await this.access.load(workshopId);
    if (workshop.spotlightIdeaId === ideaId && workshop.stage !== 'closed') {
      await this.update(workshopId, { spotlightIdeaId: null });
    }
    return idea;
  }

  private async requireIdeaOf(actor: Actor, workshopId: string, ideaId: string): Promise<IdeaView> {
    const idea = await this.ideas.view(actor, ideaId);
    if (idea.workshopId !== workshopId) throw AppException.notFound('Idea');
    return idea;
  }

  /** One UPDATE that a closed workshop refuses; then the new state goes to the room. */
  private async update(
    workshopId: string,
    changes: QueryDeepPartialEntity<Workshop>,
  ): Promise<WorkshopView> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(Workshop)
      .set(changes)
      .where('id = :workshopId', { workshopId })
      .andWhere(`stage <> 'closed'`)
      .execute();
    if (!result.affected) {
      throw AppException.conflict('WRONG_STAGE', 'The workshop is closed');
    }
    return this.workshops.publish(await this.access.load(workshopId));
  }
}
