import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Not, type Repository } from 'typeorm';
import { AppException } from '@edp/common';
import {
  Permission,
  RateLimitedException,
  RateLimiter,
  TokenService,
  roleHas,
  type Actor,
} from '@edp/auth';
import type { JoinWorkshopDto } from './dto/join-workshop.dto.js';
import { JoinCodes } from './join-codes.js';
import { WorkshopAccess } from './workshop-access.service.js';
import { Workshop } from './workshop.entity.js';

/**
 * Only failed joins count: 31^6 codes make guessing hopeless at this rate, while a whole
 * room behind one venue NAT joins without limit.
 */
export const JOIN_FAILURE_LIMIT = 30;
export const JOIN_FAILURE_WINDOW_MS = 10 * 60_000;

export interface JoinResult {
  workshopId: string;
  guestToken?: string;
}

@Injectable()
export class JoinService {
  constructor(
    @InjectRepository(Workshop) private readonly workshops: Repository<Workshop>,
    private readonly access: WorkshopAccess,
    private readonly joinCodes: JoinCodes,
    private readonly tokens: TokenService,
    private readonly limiter: RateLimiter,
  ) {}

  async join(actor: Actor | null, ip: string, input: JoinWorkshopDto): Promise<JoinResult> {
    const key = `workshop-join-failed:${ip}`;
    // Refused before the code is looked at, so a blocked address learns nothing from the answer.
    const gate = await this.limiter.peek(key, JOIN_FAILURE_LIMIT, JOIN_FAILURE_WINDOW_MS);
    if (!gate.allowed) {
      throw new RateLimitedException(gate.retryAfterMs, 'Too many wrong codes; try again later');
    }
    const code = this.joinCodes.normalise(input.code);
    const workshop = code
      ? await this.workshops.findOneBy({ joinCode: code, stage: Not('closed') })
      : null;
    if (!workshop) {
      await this.limiter.hit(key, JOIN_FAILURE_LIMIT, JOIN_FAILURE_WINDOW_MS);
      throw AppException.notFound('Workshop');
    }
    if (actor?.kind === 'guest') {
      if (actor.workshopId !== workshop.id) {
        throw AppException.forbidden('A guest token is valid only inside its own workshop');
      }
      return { workshopId: workshop.id };
    }
    if (actor) {
      if (!roleHas(actor.role, Permission.WorkshopParticipate)) {
        throw AppException.forbidden('Your role does not take part in workshops');
      }
      await this.access.addUser(workshop.id, actor.id, actor.displayName);
      return { workshopId: workshop.id };
    }
    if (!workshop.allowGuests) {
      throw AppException.unauthorized('This workshop needs an account', 'LOGIN_REQUIRED');
    }
    if (!input.displayName?.trim()) {
      throw AppException.badRequest(
        'VALIDATION_FAILED',
        'displayName is required to join as a guest',
      );
    }
    const guest = await this.access.addGuest(workshop.id, input.displayName.trim());
    const guestToken = this.tokens.signGuest({
      sub: guest.id,
      workshopId: workshop.id,
      displayName: guest.displayName,
    });
    return { workshopId: workshop.id, guestToken };
  }
}
