import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessGuard } from './access/access.guard.js';
import { ActorResolver } from './access/actor.resolver.js';
import { Organisation } from './organisations/organisation.entity.js';
import { Region } from './regions/region.entity.js';
import { RegionsController } from './regions/regions.controller.js';
import { RegionsService } from './regions/regions.service.js';
import { TokenService } from './tokens/token.service.js';
import { PasswordHasher } from './users/password.hasher.js';
import { User } from './users/user.entity.js';

@Module({
  imports: [TypeOrmModule.forFeature([User, Organisation, Region])],
  controllers: [RegionsController],
  providers: [
    TokenService,
    PasswordHasher,
    ActorResolver,
    RegionsService,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [TokenService, PasswordHasher, ActorResolver, RegionsService, TypeOrmModule],
})
export class AuthModule {}
