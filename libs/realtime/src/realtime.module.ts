import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RedisHealth } from './redis/redis.health.js';
import { Workshop } from './workshops/workshop.entity.js';
import { WorkshopParticipant } from './workshops/workshop-participant.entity.js';
import { WorkshopVote } from './votes/workshop-vote.entity.js';
import { VoteRequest } from './votes/vote-request.entity.js';

@Module({
  imports: [TypeOrmModule.forFeature([Workshop, WorkshopParticipant, WorkshopVote, VoteRequest])],
  providers: [RedisHealth],
  exports: [RedisHealth],
})
export class RealtimeModule {}
