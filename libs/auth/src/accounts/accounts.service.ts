import { randomBytes } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AppException } from '@edp/common';
import type { DataSource } from 'typeorm';
import type { UserActor } from '../access/actor.js';
import { Organisation, type Helix } from '../organisations/organisation.entity.js';
import { RegionsService } from '../regions/regions.service.js';
import { RateLimiter } from '../rate-limit/rate-limiter.js';
import { RateLimitedException } from '../rate-limit/rate-limited.exception.js';
import { SessionsService, type TokenPair } from '../sessions/sessions.service.js';
import { PasswordHasher } from '../users/password.hasher.js';
import { User } from '../users/user.entity.js';
import { UsersRepository } from '../users/users.repository.js';
import { toUserView, type UserView } from '../users/user.view.js';
import { LOGIN_LIMITS, REGISTRATION_LIMITS } from './auth-limits.js';
import type { LoginDto } from './dto/login.dto.js';
import type { RegisterDto } from './dto/register.dto.js';
import type { UpdateMeDto } from './dto/update-me.dto.js';

const HELIX_OF_ROLE: Record<RegisterDto['role'], Helix> = {
  company: 'industry',
  researcher: 'academia',
};

export type Session = TokenPair & { user: UserView };

const wrongCredentials = () =>
  AppException.unauthorized('Wrong e-mail address or password', 'INVALID_CREDENTIALS');

@Injectable()
export class AccountsService implements OnModuleInit {
  /** Verified against when the e-mail is unknown, so both failures cost the same time. */
  private dummyHash!: Promise<string>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly regions: RegionsService,
    private readonly limiter: RateLimiter,
  ) {}

  onModuleInit(): void {
    this.dummyHash = this.hasher.hash(randomBytes(24).toString('base64url'));
  }

  async register(input: RegisterDto, address: string): Promise<Session> {
    const limit = await this.limiter.hit(
      `register:ip:${address}`,
      REGISTRATION_LIMITS.perAddress,
      REGISTRATION_LIMITS.windowMs,
    );
    if (!limit.allowed) throw new RateLimitedException(limit.retryAfterMs);
    if (input.homeRegionCode) await this.regions.requireKnown(input.homeRegionCode);
    if (await this.users.emailTaken(input.email)) throw this.users.emailTakenError();
    const passwordHash = await this.hasher.hash(input.password);

    return this.users.translateUniqueViolation(() =>
      this.dataSource.transaction(async (manager) => {
        let organisationId: string | null = null;
        if (input.organisation) {
          const organisation = await manager.save(
            manager.create(Organisation, {
              name: input.organisation.name,
              orgNumber: input.organisation.orgNumber ?? null,
              naceCode: null,
              helix: HELIX_OF_ROLE[input.role],
            }),
          );
          organisationId = organisation.id;
        }
        const { id } = await manager.save(
          manager.create(User, {
            email: input.email,
            passwordHash,
            displayName: input.displayName,
            role: input.role,
            regionCode: input.homeRegionCode ?? null,
            organisationId,
            disabled: false,
          }),
        );
        const user = await this.users.load(id, manager);
        const tokens = await this.sessions.start(user, manager);
        return { user: toUserView(user, 'self'), ...tokens };
      }),
    );
  }

  /**
   * Wrong e-mail and wrong password fail alike, in about the same time. Every attempt is
   * counted up front (so parallel guesses cannot slip past the limit) and given back on success.
   */
  async login(input: LoginDto, address: string): Promise<Session> {
    const accountKey = `login:account:${input.email}`;
    const addressKey = `login:ip:${address}`;
    const { failuresPerAccount, failuresPerAddress, windowMs } = LOGIN_LIMITS;
    const byAccount = await this.limiter.hit(accountKey, failuresPerAccount, windowMs);
    if (!byAccount.allowed) throw new RateLimitedException(byAccount.retryAfterMs);
    const byAddress = await this.limiter.hit(addressKey, failuresPerAddress, windowMs);
    if (!byAddress.allowed) {
      await this.limiter.unhit(accountKey);
      throw new RateLimitedException(byAddress.retryAfterMs);
    }

    const found = await this.users.findForLogin(input.email);
    const matches = await this.hasher.verify(
      found?.passwordHash ?? (await this.dummyHash),
      input.password,
    );
    if (!found || !matches || found.disabled) throw wrongCredentials();

    await Promise.all([this.limiter.unhit(accountKey), this.limiter.unhit(addressKey)]);
    return { user: toUserView(found, 'self'), ...(await this.sessions.start(found)) };
  }

  async me(actor: UserActor): Promise<UserView> {
    return toUserView(await this.users.load(actor.id), actor);
  }

  async updateMe(actor: UserActor, input: UpdateMeDto): Promise<UserView> {
    if (input.displayName !== undefined) {
      await this.dataSource.manager.update(
        User,
        { id: actor.id },
        { displayName: input.displayName },
      );
    }
    return this.me(actor);
  }
}
