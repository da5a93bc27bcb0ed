import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Permission, RequirePermissions, type UserActor } from '@edp/auth';
import { UuidParam } from '../shared/uuid.param.js';
import { AnalyticsService } from './analytics.service.js';

@ApiTags('s3-intelligence')
@Controller()
export class AnalyticsController {
  constructor(private readonly analytics: AnalyticsService) {}

  @RequirePermissions(Permission.AnalyticsRead)
  @Get('processes/:id/analytics')
  @ApiOperation({ summary: 'Ideas, votes and comments per helix, and the missing helices' })
  forProcess(@CurrentActor() actor: UserActor, @UuidParam() id: string) {
    return this.analytics.forProcess(actor, id);
  }

  @RequirePermissions(Permission.AnalyticsRead)
  @Get('workshops/:id/analytics')
  @ApiOperation({ summary: 'The same for one live workshop (dot votes count per dot)' })
  forWorkshop(@CurrentActor() actor: UserActor, @UuidParam() id: string) {
    return this.analytics.forWorkshop(actor, id);
  }
}
