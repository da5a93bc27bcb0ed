import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AppException } from '@edp/common';
import type { DataSource } from 'typeorm';
import type { UserActor } from '../access/actor.js';
import { STAFF_ROLES, type Role } from '../access/role.js';
import { RegionsService } from '../regions/regions.service.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { PasswordHasher } from './password.hasher.js';
import { User } from './user.entity.js';
import { UsersRepository } from './users.repository.js';
import { toUserView, type UserView } from './user.view.js';
import type { CreateUserDto } from './dto/create-user.dto.js';
import type { UpdateUserDto } from './dto/update-user.dto.js';

/** Roles with no region at all: their work spans every region. */
const NATIONAL_ROLES: readonly Role[] = ['admin', 'agency'];

/**
 * Staff administration of accounts. Admins manage anyone; region staff manage the
 * facilitators of their own region and see no other account (404).
 */
@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly regions: RegionsService,
    private readonly sessions: SessionsService,
  ) {}

  async create(actor: UserActor, input: CreateUserDto): Promise<UserView> {
    let regionCode = input.regionCode ?? null;
    if (actor.role !== 'admin') {
      if (actor.role !== 'region' || input.role !== 'facilitator') {
        throw AppException.forbidden('Region staff create facilitators only');
      }
      if (regionCode !== null && regionCode !== actor.regionCode) {
        throw AppException.forbidden('Region staff create users in their own region only');
      }
      regionCode = actor.regionCode;
    }
    await this.checkRegion(input.role, regionCode);
    if (await this.users.emailTaken(input.email)) throw this.users.emailTakenError();
    const passwordHash = await this.hasher.hash(input.password);
    const { id } = await this.users.translateUniqueViolation(() =>
      this.dataSource.manager.save(
        this.dataSource.manager.create(User, {
          email: input.email,
          passwordHash,
          displayName: input.displayName,
          role: input.role,
          regionCode,
          organisationId: null,
          disabled: false,
        }),
      ),
    );
    return toUserView(await this.users.load(id), actor);
  }

  async update(actor: UserActor, id: string, input: UpdateUserDto): Promise<UserView> {
    const target = await this.users.find(id);
    if (!target) throw AppException.notFound('User');
    const self = target.id === actor.id;
    if (actor.role !== 'admin' && !self) {
      const ownFacilitator =
        actor.role === 'region' &&
        target.role === 'facilitator' &&
        target.regionCode === actor.regionCode;
      // Another region's accounts (and non-facilitators) are invisible to region staff.
      if (!ownFacilitator) throw AppException.notFound('User');
      if (input.role !== undefined && input.role !== 'facilitator') {
        throw AppException.forbidden('Region staff cannot grant this role');
      }
      if (input.regionCode !== undefined && input.regionCode !== actor.regionCode) {
        throw AppException.forbidden('Region staff cannot move users to another region');
      }
    }

    const role = input.role ?? target.role;
    let regionCode = input.regionCode === undefined ? target.regionCode : input.regionCode;
    if (input.role && NATIONAL_ROLES.includes(input.role) && input.regionCode === undefined) {
      regionCode = null;
    }
    const rightsChanged = role !== target.role || regionCode !== target.regionCode;
    if (self && (rightsChanged || input.disabled === true)) {
      throw AppException.forbidden('Nobody can change their own role, region or status');
    }
    await this.checkRegion(role, regionCode);

    const disabling = input.disabled === true && !target.disabled;
    await this.dataSource.transaction(async (manager) => {
      await manager.update(
        User,
        { id },
        {
          role,
          regionCode,
          ...(input.displayName !== undefined ? { displayName: input.displayName } : {}),
          ...(input.disabled !== undefined ? { disabled: input.disabled } : {}),
        },
      );
      // A role change needs no new login (every request re-reads the role), only new sockets.
      if (disabling) await this.sessions.revokeAllOf(manager, id);
    });
    if (disabling) this.sessions.emitRevoked(id, 'disabled');
    else if (rightsChanged) this.sessions.emitRevoked(id, 'role-changed');
    return toUserView(await this.users.load(id), actor);
  }

  /** Staff need a region, national roles have none, participants may name a home region. */
  private async checkRegion(role: Role, regionCode: string | null): Promise<void> {
    if (STAFF_ROLES.includes(role) && regionCode === null) {
      throw AppException.unprocessable('REGION_REQUIRED', `A ${role} user needs a regionCode`);
    }
    if (NATIONAL_ROLES.includes(role) && regionCode !== null) {
      throw AppException.unprocessable('REGION_NOT_ALLOWED', `A ${role} user has no region`);
    }
    if (regionCode !== null) await this.regions.requireKnown(regionCode);
  }
}
