import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '@edp/auth';
import { WorkshopModule } from '@edp/workshop';
import { LiveGateway } from './live/live.gateway.js';
import { LiveSessionService } from './live/live-session.service.js';
import { TallyCoalescer } from './live/tally.coalescer.js';
import { RedisHealth } from './redis/redis.health.js';
import { ResultsService } from './results/results.service.js';
import { DotVotesService } from './votes/dot-votes.service.js';
import { VoteRequest } from './votes/vote-request.entity.js';
import { WorkshopVote } from './votes/workshop-vote.entity.js';
import { FacilitationService } from './workshops/facilitation.service.js';
import { JoinCodes } from './workshops/join-codes.js';
import { JoinService } from './workshops/join.service.js';
import { WorkshopAccess } from './workshops/workshop-access.service.js';
import { WorkshopParticipant } from './workshops/workshop-participant.entity.js';
import { Workshop } from './workshops/workshop.entity.js';
import { WorkshopsController } from './workshops/workshops.controller.js';
import { WorkshopsService } from './workshops/workshops.service.js';

/** Live workshops: join codes, stages, dot votes, results and the `/live` socket gateway. */
@Module({
  imports: [
    AuthModule,
    WorkshopModule,
    TypeOrmModule.forFeature([Workshop, WorkshopParticipant, WorkshopVote, VoteRequest]),
  ],
  controllers: [WorkshopsController],
  providers: [
    RedisHealth,
    JoinCodes,
    WorkshopAccess,
    WorkshopsService,
    FacilitationService,
    JoinService,
    DotVotesService,
    LiveSessionService,
    ResultsService,
    TallyCoalescer,
    LiveGateway,
  ],
  exports: [RedisHealth, WorkshopsService, DotVotesService, ResultsService, TypeOrmModule],
})
export class RealtimeModule {}
