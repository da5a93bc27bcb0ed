import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditController } from './audit/audit.controller.js';
import { AuditEvent } from './audit/audit-event.entity.js';
import { AuditService } from './audit/audit.service.js';
import { AuditTrail } from './audit/audit-trail.js';
import { Comment } from './comments/comment.entity.js';
import { CommentsController } from './comments/comments.controller.js';
import { CommentsService } from './comments/comments.service.js';
import { WorkshopEventsPublisher } from './events/workshop-events.publisher.js';
import { ExportController } from './export/export.controller.js';
import { ExportService } from './export/export.service.js';
import { IdeaListService } from './ideas/idea-list.service.js';
import { IdeaModerationService } from './ideas/idea-moderation.service.js';
import { IdeaPriorityArea } from './ideas/idea-priority-area.entity.js';
import { IdeaReader } from './ideas/idea-reader.js';
import { Idea } from './ideas/idea.entity.js';
import { IdeasController } from './ideas/ideas.controller.js';
import { IdeasService } from './ideas/ideas.service.js';
import { ProcessIdeasController } from './ideas/process-ideas.controller.js';
import { PriorityArea } from './priority-areas/priority-area.entity.js';
import { PriorityAreasController } from './priority-areas/priority-areas.controller.js';
import { PriorityAreasService } from './priority-areas/priority-areas.service.js';
import { ProcessPriorityArea } from './processes/process-priority-area.entity.js';
import { DiscoveryProcess } from './processes/process.entity.js';
import { ProcessesController } from './processes/processes.controller.js';
import { ProcessesService } from './processes/processes.service.js';
import { IdeaVote } from './votes/idea-vote.entity.js';
import { VotesController } from './votes/votes.controller.js';
import { VotesService } from './votes/votes.service.js';

/** Discovery processes, priority areas, ideas, support votes, comments, export and audit. */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      PriorityArea,
      DiscoveryProcess,
      ProcessPriorityArea,
      Idea,
      IdeaPriorityArea,
      IdeaVote,
      Comment,
      AuditEvent,
    ]),
  ],
  controllers: [
    PriorityAreasController,
    ProcessesController,
    ProcessIdeasController,
    IdeasController,
    VotesController,
    CommentsController,
    AuditController,
    ExportController,
  ],
  providers: [
    AuditTrail,
    AuditService,
    WorkshopEventsPublisher,
    PriorityAreasService,
    ProcessesService,
    IdeaReader,
    IdeaModerationService,
    IdeasService,
    IdeaListService,
    VotesService,
    CommentsService,
    ExportService,
  ],
  exports: [
    ProcessesService,
    IdeasService,
    CommentsService,
    VotesService,
    AuditTrail,
    TypeOrmModule,
  ],
})
export class WorkshopModule {}
