import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AppException } from '@edp/common';
import { Organisation, Permission, isStaffOf, roleHas, type Actor } from '@edp/auth';
import { WorkshopEvent } from '../events/workshop.events.js';
import { WorkshopEventsPublisher } from '../events/workshop-events.publisher.js';
import { DiscoveryProcess } from '../processes/process.entity.js';
import { ProcessesService, findProcess } from '../processes/processes.service.js';
import { authorName } from '../shared/author-name.js';
import { isUniqueViolation, sql } from '../shared/sql.js';
import type { UpdateIdeaDto } from './dto/update-idea.dto.js';
import { IdeaModerationService, type ModerationOutcome } from './idea-moderation.service.js';
import { cleanIdeaInput, cleanText, type IdeaInput } from './idea-input.js';
import { IdeaPriorityArea } from './idea-priority-area.entity.js';
import { IdeaReader, actorUserId } from './idea-reader.js';
import { Idea } from './idea.entity.js';
import type { IdeaView } from './idea.view.js';

/** Set by libs/realtime when an idea or comment comes from a live workshop it has checked. */
export interface WorkshopContext {
  workshopId: string;
}

@Injectable()
export class IdeasService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly processes: ProcessesService,
    private readonly reader: IdeaReader,
    private readonly moderation: IdeaModerationService,
    private readonly events: WorkshopEventsPublisher,
  ) {}

  async submit(
    actor: Actor,
    processId: string,
    input: IdeaInput,
    context?: WorkshopContext,
  ): Promise<{ idea: IdeaView; created: boolean }> {
    const clean = cleanIdeaInput(input);
    // A retry returns the first idea even if the process has closed since.
    if (clean.clientId) {
      const first = await this.byClientId(actor, clean.clientId);
      if (first) return { idea: first, created: false };
    }
    let stored: { ideaId: string; regionCode: string };
    try {
      stored = await this.dataSource.transaction(async (manager) => {
        const process = await this.submittableProcess(manager, actor, processId, context);
        await this.assertAreasOfProcess(manager, process, clean.priorityAreaIds);
        const author = await this.authorSnapshot(manager, actor);
        const idea = await manager.save(
          manager.create(Idea, {
            processId,
            workshopId: context?.workshopId ?? null,
            ...author,
            clientId: clean.clientId,
            title: clean.title,
            body: clean.body,
          }),
        );
        if (clean.priorityAreaIds.length) {
          await manager.insert(
            IdeaPriorityArea,
            clean.priorityAreaIds.map((priorityAreaId) => ({ ideaId: idea.id, priorityAreaId })),
          );
        }
        return { ideaId: idea.id, regionCode: process.regionCode };
      });
    } catch (error) {
      // Two retries raced: the unique (author, clientId) key let exactly one through.
      const first =
        clean.clientId && isUniqueViolation(error)
          ? await this.byClientId(actor, clean.clientId)
          : null;
      if (first) return { idea: first, created: false };
      throw error;
    }
    const manager = this.dataSource.manager;
    const { ideaId, regionCode } = stored;
    this.events.publish(WorkshopEvent.IdeaCreated, {
      idea: await this.reader.view(manager, null, ideaId, true),
      regionCode,
    });
    const staff = isStaffOf(actor, regionCode);
    return { idea: await this.reader.view(manager, actor, ideaId, staff), created: true };
  }

  /**
   * With a workshop context (checked by libs/realtime) only an idea of that workshop is
   * found, and it is visible to the workshop's participants even in a draft process.
   */
  async view(actor: Actor | null, ideaId: string, context?: WorkshopContext): Promise<IdeaView> {
    const manager = this.dataSource.manager;
    const { staff, row } = await this.reader.visible(manager, actor, ideaId, false, !!context);
    if (context && row.workshop_id !== context.workshopId) throw AppException.notFound('Idea');
    return this.reader.view(manager, actor, ideaId, staff);
  }

  listForWorkshop(workshopId: string, actor: Actor | null): Promise<IdeaView[]> {
    return this.reader.forWorkshop(this.dataSource.manager, actor, workshopId);
  }

  /** Authors edit their text; the region's staff moderate (status, merge, hide). */
  async update(actor: Actor, ideaId: string, input: UpdateIdeaDto): Promise<IdeaView> {
    const edits = input.title !== undefined || input.body !== undefined;
    const moderates =
      input.status !== undefined || input.mergedIntoId !== undefined || input.hidden !== undefined;
    if (!edits && !moderates)
      throw AppException.badRequest('VALIDATION_FAILED', 'Nothing to change');
    const outcome = await this.dataSource.transaction(async (manager) => {
      if (input.mergedIntoId) {
        // Both rows in id order, so two merges in opposite directions cannot deadlock.
        await sql(manager, `SELECT id FROM ideas WHERE id IN ($1, $2) ORDER BY id FOR UPDATE`, [
          ideaId,
          input.mergedIntoId,
        ]);
      }
      const context = await this.reader.visible(manager, actor, ideaId, true);
      if (moderates && !context.staff) {
        throw AppException.forbidden('Only the region’s staff may moderate ideas');
      }
      if (edits) await this.editText(manager, actor, context, input);
      const result: ModerationOutcome = moderates
        ? await this.moderation.apply(manager, actor, context, input)
        : { updatedIds: [ideaId], votesChanged: [] };
      return { ...result, regionCode: context.regionCode, staff: context.staff };
    });
    await this.publishUpdates(outcome.updatedIds, outcome.regionCode);
    for (const change of outcome.votesChanged) {
      this.events.publish(WorkshopEvent.IdeaVotesChanged, change);
    }
    return this.reader.view(this.dataSource.manager, actor, ideaId, outcome.staff);
  }

  /** Hide or show abusive content (staff of the idea's region; audited). */
  async setHidden(actor: Actor, ideaId: string, hidden: boolean): Promise<IdeaView> {
    return this.update(actor, ideaId, { hidden });
  }

  private async editText(
    manager: EntityManager,
    actor: Actor,
    context: Awaited<ReturnType<IdeaReader['visible']>>,
    input: UpdateIdeaDto,
  ): Promise<void> {
    const { row } = context;
    const isAuthor =
      (actor.kind === 'user' && row.author_user_id === actor.id) ||
      (actor.kind === 'guest' && row.author_guest_id === actor.id);
    if (!isAuthor) throw AppException.forbidden('Only the author may edit an idea');
    if (row.status !== 'submitted') {
      throw AppException.conflict('IDEA_LOCKED', 'An idea can be edited only while submitted');
    }
    if (context.phase !== 'open') {
      throw AppException.conflict('PROCESS_NOT_OPEN', 'The process is not open');
    }
    const changes: Partial<Idea> = {};
    if (input.title !== undefined) changes.title = cleanText(input.title, 'title', 3, 200);
    if (input.body !== undefined) changes.body = cleanText(input.body, 'body', 0, 10000);
    await manager.update(Idea, { id: row.id }, changes);
  }

  private async publishUpdates(ideaIds: string[], regionCode: string): Promise<void> {
    for (const id of ideaIds) {
      this.events.publish(WorkshopEvent.IdeaUpdated, {
        idea: await this.reader.view(this.dataSource.manager, null, id, true),
        regionCode,
      });
    }
  }

  /** The process, its row shared until the idea is stored (see findProcess), or the refusal. */
  private async submittableProcess(
    manager: EntityManager,
    actor: Actor,
    processId: string,
    context?: WorkshopContext,
  ): Promise<DiscoveryProcess> {
    if (actor.kind === 'guest') {
      if (!context || context.workshopId !== actor.workshopId) {
        throw AppException.forbidden('A guest may submit only inside its workshop');
      }
    } else if (!roleHas(actor.role, Permission.IdeaSubmit)) {
      throw AppException.forbidden('Your role may not submit ideas');
    }
    // A live workshop has been checked by libs/realtime (membership, stage); it may run
    // in any phase but closed. Everyone else submits to a visible, open process.
    const process = context
      ? await findProcess(manager, processId, true)
      : await this.processes.findVisible(manager, actor, processId, true);
    if (!process) throw AppException.notFound('Process');
    if (
      actor.kind === 'user' &&
      (actor.role === 'region' || actor.role === 'facilitator') &&
      actor.regionCode !== process.regionCode
    ) {
      throw AppException.forbidden('Staff submit ideas only in their own region');
    }
    const open = context ? process.phase !== 'closed' : process.phase === 'open';
    if (!open) throw AppException.conflict('PROCESS_NOT_OPEN', 'The process is not open for ideas');
    return process;
  }

  /** The caller's earlier idea with this clientId, if any (a retry's first result). */
  async byClientId(actor: Actor, clientId: string): Promise<IdeaView | null> {
    const column = actor.kind === 'user' ? 'author_user_id' : 'author_guest_id';
    const { rows } = await sql<{ id: string; region_code: string }>(
      this.dataSource.manager,
      `SELECT i.id, p.region_code FROM ideas i JOIN processes p ON p.id = i.process_id
       WHERE i.${column} = $1 AND i.client_id = $2`,
      [actor.id, clientId],
    );
    const first = rows[0];
    if (!first) return null;
    return this.reader.view(
      this.dataSource.manager,
      actor,
      first.id,
      isStaffOf(actor, first.region_code),
    );
  }

  /** Tags must be the process's own priority areas (or its region's, when it names none). */
  private async assertAreasOfProcess(
    manager: EntityManager,
    process: DiscoveryProcess,
    areaIds: string[],
  ): Promise<void> {
    if (!areaIds.length) return;
    const { rows } = await sql<{ n: number }>(
      manager,
      `SELECT count(*)::int AS n FROM priority_areas a
       WHERE a.id = ANY($1::uuid[]) AND a.region_code = $2
         AND (NOT EXISTS (SELECT 1 FROM process_priority_areas WHERE process_id = $3)
              OR EXISTS (SELECT 1 FROM process_priority_areas
                         WHERE process_id = $3 AND priority_area_id = a.id))`,
      [areaIds, process.regionCode, process.id],
    );
    if (Number(rows[0]?.n) !== areaIds.length) {
      throw AppException.unprocessable(
        'INVALID_PRIORITY_AREA',
        'Every priority area must be one of the process’s',
      );
    }
  }

  private async authorSnapshot(manager: EntityManager, actor: Actor) {
    if (actor.kind === 'guest') {
      return {
        authorUserId: null,
        authorGuestId: actor.id,
        authorName: authorName(actor.displayName),
        organisationName: null,
        helix: null,
      };
    }
    const organisation = actor.organisationId
      ? await manager.findOneBy(Organisation, { id: actor.organisationId })
      : null;
    return {
      authorUserId: actorUserId(actor),
      authorGuestId: null,
      authorName: authorName(actor.displayName),
      organisationName: organisation?.name ?? null,
      helix: organisation?.helix ?? null,
    };
  }
}
