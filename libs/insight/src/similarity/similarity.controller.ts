import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Permission, RequirePermissions, type UserActor } from '@edp/auth';
import { UuidParam } from '../shared/uuid.param.js';
import { SimilarLimitQuery, SimilarTextQuery } from './dto/similar.query.js';
import { SimilarityService } from './similarity.service.js';

@ApiTags('s3-intelligence')
@Controller()
export class SimilarityController {
  constructor(private readonly similarity: SimilarityService) {}

  @RequirePermissions(Permission.SimilarRead)
  @Get('ideas/:id/similar')
  @ApiOperation({
    summary: 'Published ideas of all regions similar to this idea, most similar first',
  })
  forIdea(
    @CurrentActor() actor: UserActor,
    @UuidParam() id: string,
    @Query() query: SimilarLimitQuery,
  ) {
    return this.similarity.forIdea(actor, id, query.limit ?? 10);
  }

  @RequirePermissions(Permission.SimilarRead)
  @Get('processes/:id/similar')
  @ApiOperation({ summary: 'Published ideas similar to a text being written (title, body)' })
  forText(
    @CurrentActor() actor: UserActor,
    @UuidParam() id: string,
    @Query() query: SimilarTextQuery,
  ) {
    return this.similarity.forText(actor, id, query.title, query.body ?? '', query.limit ?? 10);
  }
}
