import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Permission, RequirePermissions, type UserActor } from '@edp/auth';
import { OverviewService } from './overview.service.js';

@ApiTags('s3-intelligence')
@Controller('overview')
export class OverviewController {
  constructor(private readonly overview: OverviewService) {}

  @RequirePermissions(Permission.OverviewRead)
  @Get()
  @ApiOperation({
    summary:
      'National overview by region and cross-region clusters (admin, agency: all in full; region: own in full, others published)',
  })
  get(@CurrentActor() actor: UserActor) {
    return this.overview.overview(actor);
  }
}
