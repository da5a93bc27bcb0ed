import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppException } from '@edp/common';
import type { Actor, UserActor } from '@edp/auth';
import { ProcessesService } from '@edp/workshop';
import { RealtimeEvent, type WorkshopUpdatedEvent } from '../events/realtime.events.js';
import type { CreateWorkshopDto } from './dto/create-workshop.dto.js';
import type { UpdateWorkshopDto } from './dto/update-workshop.dto.js';
import { JoinCodes } from './join-codes.js';
import { WorkshopAccess } from './workshop-access.service.js';
import { Workshop } from './workshop.entity.js';
import { toWorkshopView, type WorkshopView } from './workshop.view.js';

const DEFAULT_DOT_BUDGET = 5;
const JOIN_CODE_ATTEMPTS = 8;

/** Creating, reading and configuring workshops. */
@Injectable()
export class WorkshopsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly processes: ProcessesService,
    private readonly access: WorkshopAccess,
    private readonly joinCodes: JoinCodes,
    private readonly events: EventEmitter2,
  ) {}

  async create(actor: UserActor, processId: string, input: CreateWorkshopDto) {
    const process = await this.processes.requireStaff(actor, processId);
    const voting = votingSettings(input, {
      votingMode: input.votingMode,
      dotBudget: DEFAULT_DOT_BUDGET,
      maxDotsPerIdea: undefined,
    });
    const repository = this.dataSource.getRepository(Workshop);
    // Codes are random; the partial unique index settles the rare collision and we draw again.
    for (let attempt = 1; ; attempt++) {
      try {
        const workshop = await repository.save(
          repository.create({
            processId,
            regionCode: process.regionCode,
            title: input.title,
            joinCode: this.joinCodes.next(),
            stage: 'lobby',
            ...voting,
            allowGuests: input.allowGuests ?? true,
            createdBy: actor.id,
          }),
        );
        return toWorkshopView(workshop, 0);
      } catch (error) {
        if (!isJoinCodeCollision(error) || attempt >= JOIN_CODE_ATTEMPTS) throw error;
      }
    }
  }

  /** For the region's staff (404 for a process they may not see, 403 when it is not theirs). */
  async listForProcess(actor: UserActor, processId: string): Promise<WorkshopView[]> {
    await this.processes.requireStaff(actor, processId);
    const workshops = await this.dataSource.getRepository(Workshop).find({
      where: { processId },
      order: { createdAt: 'DESC', id: 'DESC' },
    });
    const counts = await this.access.countParticipantsOf(workshops.map((w) => w.id));
    return workshops.map((workshop) => toWorkshopView(workshop, counts.get(workshop.id) ?? 0));
  }

  async view(actor: Actor, workshopId: string): Promise<WorkshopView> {
    const workshop = await this.access.requireVisible(actor, workshopId);
    return this.toView(workshop);
  }

  async toView(workshop: Workshop): Promise<WorkshopView> {
    return toWorkshopView(workshop, await this.access.countParticipants(workshop.id));
  }

  async update(actor: Actor, workshopId: string, input: UpdateWorkshopDto): Promise<WorkshopView> {
    await this.access.requireStaff(actor, workshopId);
    const changesVoting =
      input.votingMode !== undefined ||
      input.dotBudget !== undefined ||
      input.maxDotsPerIdea !== undefined;
    const workshop = await this.dataSource.transaction(async (manager) => {
      // The row lock orders this against the first vote, which sets voting_started.
      const current = await manager.findOne(Workshop, {
        where: { id: workshopId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!current) throw AppException.notFound('Workshop');
      if (changesVoting && current.votingStarted) {
        throw AppException.conflict(
          'VOTING_SETTINGS_FROZEN',
          'Voting settings cannot change once the first vote has been cast',
        );
      }
      if (input.title !== undefined) current.title = input.title;
      if (input.allowGuests !== undefined) current.allowGuests = input.allowGuests;
      if (changesVoting) {
        const { votingMode, dotBudget, maxDotsPerIdea } = current;
        // Coming from `up`, the old per-idea cap of 1 means nothing for dots.
        const cap = votingMode === 'up' ? undefined : maxDotsPerIdea;
        Object.assign(
          current,
          votingSettings(input, { votingMode, dotBudget, maxDotsPerIdea: cap }),
        );
      }
      return manager.save(current);
    });
    return this.publish(workshop);
  }

  /** Pushes the new state to the room (after commit) and returns it. */
  async publish(workshop: Workshop): Promise<WorkshopView> {
    const view = await this.toView(workshop);
    this.events.emit(RealtimeEvent.WorkshopUpdated, {
      workshop: view,
    } satisfies WorkshopUpdatedEvent);
    return view;
  }
}

type VotingSettings = Pick<Workshop, 'votingMode' | 'dotBudget' | 'maxDotsPerIdea'>;

/** `up`: one vote per idea, no budget to spend. `dots`: a budget, capped per idea. */
function votingSettings(
  input: Partial<VotingSettings>,
  current: { votingMode: Workshop['votingMode']; dotBudget: number; maxDotsPerIdea?: number },
): VotingSettings {
  const votingMode = input.votingMode ?? current.votingMode;
  const dotBudget = input.dotBudget ?? current.dotBudget;
  if (votingMode === 'up') return { votingMode, dotBudget, maxDotsPerIdea: 1 };
  const maxDotsPerIdea =
    input.maxDotsPerIdea ?? Math.min(current.maxDotsPerIdea ?? dotBudget, dotBudget);
  if (maxDotsPerIdea > dotBudget) {
    throw AppException.badRequest('VALIDATION_FAILED', 'maxDotsPerIdea must not exceed dotBudget');
  }
  return { votingMode, dotBudget, maxDotsPerIdea };
}

function isJoinCodeCollision(error: unknown): boolean {
  const driverError = (error as { driverError?: { code?: string; constraint?: string } })
    .driverError;
  return driverError?.code === '23505' && driverError.constraint === 'UQ_workshops_join_code_open';
}
