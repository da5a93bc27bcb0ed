import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { AppException } from '@edp/common';
import { isStaffOf, type Actor } from '@edp/auth';
import { Workshop } from './workshop.entity.js';
import { WorkshopParticipant } from './workshop-participant.entity.js';

/** Who may see and drive a workshop: the per-object checks every use case starts with. */
@Injectable()
export class WorkshopAccess {
  constructor(
    @InjectRepository(Workshop) private readonly workshops: Repository<Workshop>,
    @InjectRepository(WorkshopParticipant)
    private readonly participants: Repository<WorkshopParticipant>,
  ) {}

  async load(workshopId: string, manager?: EntityManager): Promise<Workshop> {
    const repository = manager ? manager.getRepository(Workshop) : this.workshops;
    const workshop = await repository.findOneBy({ id: workshopId });
    if (!workshop) throw AppException.notFound('Workshop');
    return workshop;
  }

  /** The caller's participant row, or null; a guest is only ever a participant of its own workshop. */
  async participantOf(
    actor: Actor,
    workshopId: string,
    manager?: EntityManager,
  ): Promise<WorkshopParticipant | null> {
    const repository = manager ? manager.getRepository(WorkshopParticipant) : this.participants;
    if (actor.kind === 'guest') {
      if (actor.workshopId !== workshopId) return null;
      return repository.findOneBy({ id: actor.id, workshopId });
    }
    return repository.findOneBy({ workshopId, userId: actor.id });
  }

  /** Staff of the region or a participant; anyone else is told it does not exist. */
  async requireVisible(actor: Actor, workshopId: string): Promise<Workshop> {
    const workshop = await this.load(workshopId);
    if (isStaffOf(actor, workshop.regionCode)) return workshop;
    if (await this.participantOf(actor, workshopId)) return workshop;
    throw AppException.notFound('Workshop');
  }

  /** Facilitator actions: the region's staff only (403 for participants, 404 for outsiders). */
  async requireStaff(actor: Actor, workshopId: string): Promise<Workshop> {
    const workshop = await this.requireVisible(actor, workshopId);
    if (!isStaffOf(actor, workshop.regionCode)) {
      throw AppException.forbidden('Only the facilitator or the region’s staff may do this');
    }
    return workshop;
  }

  /**
   * The caller as a participant. The region's staff become participants on first use (a
   * facilitator runs the room without typing its code); anyone else must have joined.
   */
  async requireParticipant(actor: Actor, workshopId: string): Promise<WorkshopParticipant> {
    const workshop = await this.load(workshopId);
    const existing = await this.participantOf(actor, workshopId);
    if (existing) return existing;
    if (actor.kind === 'user' && isStaffOf(actor, workshop.regionCode)) {
      return this.addUser(workshopId, actor.id, actor.displayName);
    }
    throw AppException.notFound('Workshop');
  }

  /** Idempotent: a user joining twice stays one participant. */
  async addUser(workshopId: string, userId: string, displayName: string) {
    await this.participants
      .createQueryBuilder()
      .insert()
      .values({ workshopId, userId, displayName })
      .orIgnore()
      .execute();
    return this.participants.findOneByOrFail({ workshopId, userId });
  }

  addGuest(workshopId: string, displayName: string): Promise<WorkshopParticipant> {
    return this.participants.save(
      this.participants.create({ workshopId, userId: null, displayName }),
    );
  }

  countParticipants(workshopId: string): Promise<number> {
    return this.participants.countBy({ workshopId });
  }

  /** Participant counts of many workshops in one query (absent: none). */
  async countParticipantsOf(workshopIds: string[]): Promise<Map<string, number>> {
    if (!workshopIds.length) return new Map();
    const rows = await this.participants
      .createQueryBuilder('p')
      .select('p.workshop_id', 'workshop_id')
      .addSelect('count(*)::int', 'n')
      .where('p.workshop_id IN (:...workshopIds)', { workshopIds })
      .groupBy('p.workshop_id')
      .getRawMany<{ workshop_id: string; n: number }>();
    return new Map(rows.map((row) => [row.workshop_id, Number(row.n)]));
  }
}
