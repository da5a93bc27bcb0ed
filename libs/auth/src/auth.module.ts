import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RejectUnsafeKeysGuard } from '@edp/common';
import { AccessGuard } from './access/access.guard.js';
import { ActorResolver } from './access/actor.resolver.js';
import { AccountsController } from './accounts/accounts.controller.js';
import { AccountsService } from './accounts/accounts.service.js';
import { Organisation } from './organisations/organisation.entity.js';
import { RateLimiter } from './rate-limit/rate-limiter.js';
import { Region } from './regions/region.entity.js';
import { RegionsController } from './regions/regions.controller.js';
import { RegionsService } from './regions/regions.service.js';
import { RefreshToken } from './sessions/refresh-token.entity.js';
import { SessionsService } from './sessions/sessions.service.js';
import { TokenService } from './tokens/token.service.js';
import { AdminBootstrap } from './users/admin.bootstrap.js';
import { PasswordHasher } from './users/password.hasher.js';
import { User } from './users/user.entity.js';
import { UsersController } from './users/users.controller.js';
import { UsersRepository } from './users/users.repository.js';
import { UsersService } from './users/users.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([User, Organisation, Region, RefreshToken])],
  controllers: [AccountsController, UsersController, RegionsController],
  providers: [
    TokenService,
    PasswordHasher,
    ActorResolver,
    RegionsService,
    RateLimiter,
    SessionsService,
    UsersRepository,
    AccountsService,
    UsersService,
    AdminBootstrap,
    // Global guards run in this order: access is decided before the request's shape is looked at.
    { provide: APP_GUARD, useClass: AccessGuard },
    { provide: APP_GUARD, useClass: RejectUnsafeKeysGuard },
  ],
  exports: [
    TokenService,
    PasswordHasher,
    ActorResolver,
    RegionsService,
    RateLimiter,
    TypeOrmModule,
  ],
})
export class AuthModule {}
