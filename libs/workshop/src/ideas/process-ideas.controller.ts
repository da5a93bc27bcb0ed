import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentActor, Permission, Public, RequirePermissions, type Actor } from '@edp/auth';
import { requireUser } from '../shared/access.js';
import { UuidParam } from '../shared/uuid-param.js';
import { CreateIdeaDto } from './dto/create-idea.dto.js';
import { ListIdeasQuery } from './dto/list-ideas.query.js';
import { IdeaListService } from './idea-list.service.js';
import { IdeasService } from './ideas.service.js';

@ApiTags('ideas')
@Controller('processes/:id/ideas')
export class ProcessIdeasController {
  constructor(
    private readonly ideas: IdeasService,
    private readonly lists: IdeaListService,
  ) {}

  @RequirePermissions(Permission.IdeaSubmit)
  @Post()
  @ApiOperation({
    summary: 'Submit an idea (201; a repeated clientId returns the first idea, 200)',
  })
  async submit(
    @CurrentActor() actor: Actor | null,
    @UuidParam() id: string,
    @Body() body: CreateIdeaDto,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    const { idea, created } = await this.ideas.submit(requireUser(actor), id, body);
    res.status(created ? 201 : 200);
    return idea;
  }

  @Public()
  @Get()
  @ApiOperation({ summary: 'Ideas of a process: ?sort=top|new&q=&status=&priorityArea=' })
  list(
    @CurrentActor() actor: Actor | null,
    @UuidParam() id: string,
    @Query() query: ListIdeasQuery,
  ) {
    return this.lists.list(actor, id, query);
  }
}
