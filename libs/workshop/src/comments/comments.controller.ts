import { Body, Controller, Get, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentActor, Permission, Public, RequirePermissions, type Actor } from '@edp/auth';
import { ListQueryDto } from '../shared/list-query.dto.js';
import { requireUser } from '../shared/access.js';
import { UuidParam } from '../shared/uuid-param.js';
import { CommentsService } from './comments.service.js';
import { CreateCommentDto } from './dto/create-comment.dto.js';
import { UpdateCommentDto } from './dto/update-comment.dto.js';

@ApiTags('comments')
@Controller()
export class CommentsController {
  constructor(private readonly comments: CommentsService) {}

  @RequirePermissions(Permission.Comment)
  @Post('ideas/:id/comments')
  @ApiOperation({ summary: 'Comment or reply; kind "expertise" for researchers' })
  async add(
    @CurrentActor() actor: Actor | null,
    @UuidParam() id: string,
    @Body() body: CreateCommentDto,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    const { comment, created } = await this.comments.add(requireUser(actor), id, body);
    res.status(created ? 201 : 200);
    return comment;
  }

  @Public()
  @Get('ideas/:id/comments')
  @ApiOperation({ summary: 'The thread of an idea, oldest first, replies nested' })
  list(@CurrentActor() actor: Actor | null, @UuidParam() id: string, @Query() query: ListQueryDto) {
    return this.comments.list(actor, id, query);
  }

  @RequirePermissions(Permission.IdeaModerate)
  @Patch('comments/:id')
  @ApiOperation({ summary: 'Hide or show a comment (the region’s staff; audited)' })
  moderate(
    @CurrentActor() actor: Actor | null,
    @UuidParam() id: string,
    @Body() body: UpdateCommentDto,
  ) {
    return this.comments.setHidden(requireUser(actor), id, body.hidden);
  }
}
