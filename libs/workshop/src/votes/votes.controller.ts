import { Controller, Delete, HttpCode, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Permission, RequirePermissions, type Actor } from '@edp/auth';
import { UuidParam } from '../shared/uuid-param.js';
import { VotesService } from './votes.service.js';

@ApiTags('ideas')
@Controller('ideas/:id/vote')
export class VotesController {
  constructor(private readonly votes: VotesService) {}

  @RequirePermissions(Permission.Vote)
  @Put()
  @HttpCode(200)
  @ApiOperation({ summary: 'Support an idea (companies, researchers; idempotent)' })
  vote(@CurrentActor() actor: Actor | null, @UuidParam() id: string) {
    return this.votes.set(actor, id, true);
  }

  @RequirePermissions()
  @Delete()
  @HttpCode(200)
  @ApiOperation({ summary: 'Retract your support vote (idempotent)' })
  retract(@CurrentActor() actor: Actor | null, @UuidParam() id: string) {
    return this.votes.set(actor, id, false);
  }
}
