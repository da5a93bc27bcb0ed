import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '@edp/auth';
import { STAKEHOLDER_ANALYTICS, WorkshopModule } from '@edp/workshop';
import { AnalyticsController } from './analytics/analytics.controller.js';
import { AnalyticsService } from './analytics/analytics.service.js';
import { ExpertiseService } from './matching/expertise.service.js';
import { IdeaMatchingController } from './matching/idea-matching.controller.js';
import { InvitationsService } from './matching/invitations.service.js';
import { MatchingService } from './matching/matching.service.js';
import { MeController } from './matching/me.controller.js';
import { ResearchInvitation } from './matching/research-invitation.entity.js';
import { ResearcherExpertise } from './matching/researcher-expertise.entity.js';
import { OverviewController } from './overview/overview.controller.js';
import { OverviewService } from './overview/overview.service.js';
import { IdeaSimilarity, IdeaSimilarityState } from './similarity/idea-similarity.entity.js';
import { SimilarityIndexService } from './similarity/similarity-index.service.js';
import { SimilarityController } from './similarity/similarity.controller.js';
import { SimilarityService } from './similarity/similarity.service.js';

/**
 * S3 intelligence: overlap detection, national overview, research ↔ business matching, analytics.
 * Global only to hand the helix breakdown down to the exports of the libs below it.
 */
@Global()
@Module({
  imports: [
    AuthModule,
    WorkshopModule,
    TypeOrmModule.forFeature([
      ResearcherExpertise,
      ResearchInvitation,
      IdeaSimilarity,
      IdeaSimilarityState,
    ]),
  ],
  controllers: [
    SimilarityController,
    OverviewController,
    AnalyticsController,
    MeController,
    IdeaMatchingController,
  ],
  providers: [
    SimilarityService,
    SimilarityIndexService,
    OverviewService,
    AnalyticsService,
    ExpertiseService,
    MatchingService,
    InvitationsService,
    { provide: STAKEHOLDER_ANALYTICS, useExisting: AnalyticsService },
  ],
  exports: [
    SimilarityService,
    SimilarityIndexService,
    OverviewService,
    AnalyticsService,
    STAKEHOLDER_ANALYTICS,
  ],
})
export class InsightModule {}
