import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Public, RequirePermissions, type Actor } from '@edp/auth';
import { requireUser } from '../shared/access.js';
import { UuidParam } from '../shared/uuid-param.js';
import { UpdateIdeaDto } from './dto/update-idea.dto.js';
import { IdeasService } from './ideas.service.js';

@ApiTags('ideas')
@Controller('ideas')
export class IdeasController {
  constructor(private readonly ideas: IdeasService) {}

  @Public()
  @Get(':id')
  @ApiOperation({ summary: 'An idea of a published process' })
  get(@CurrentActor() actor: Actor | null, @UuidParam() id: string) {
    return this.ideas.view(actor, id);
  }

  /** Who may change what is decided per object in the service (author vs region staff). */
  @RequirePermissions()
  @Patch(':id')
  @ApiOperation({ summary: 'Author: title, body. Region staff: status, mergedIntoId, hidden' })
  update(
    @CurrentActor() actor: Actor | null,
    @UuidParam() id: string,
    @Body() body: UpdateIdeaDto,
  ) {
    return this.ideas.update(requireUser(actor), id, body);
  }
}
