import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Permission, RequirePermissions, type UserActor } from '@edp/auth';
import { ExpertiseDto } from './dto/expertise.dto.js';
import { ExpertiseService } from './expertise.service.js';
import { InvitationsService } from './invitations.service.js';
import { MatchingService } from './matching.service.js';

/** The researcher's own S3 pages, under the account path `/api/auth/me/…`. */
@ApiTags('s3-intelligence')
@Controller('auth/me')
export class MeController {
  constructor(
    private readonly expertise: ExpertiseService,
    private readonly matching: MatchingService,
    private readonly invitations: InvitationsService,
  ) {}

  @RequirePermissions(Permission.ExpertiseManage)
  @Get('expertise')
  @ApiOperation({ summary: 'The researcher’s expertise profile' })
  getExpertise(@CurrentActor() actor: UserActor) {
    return this.expertise.get(actor);
  }

  @RequirePermissions(Permission.ExpertiseManage)
  @Put('expertise')
  @ApiOperation({ summary: 'Replace the expertise profile: keywords (≤ 30) and a text (≤ 2000)' })
  putExpertise(@CurrentActor() actor: UserActor, @Body() input: ExpertiseDto) {
    return this.expertise.put(actor, input);
  }

  @RequirePermissions(Permission.ExpertiseManage)
  @Get('matches')
  @ApiOperation({
    summary: 'Published ideas that fit the researcher’s expertise, with the shared terms',
  })
  matches(@CurrentActor() actor: UserActor) {
    return this.matching.ideasFor(actor);
  }

  @RequirePermissions(Permission.ExpertiseManage)
  @Get('invitations')
  @ApiOperation({ summary: 'Invitations to contribute to ideas, newest first' })
  myInvitations(@CurrentActor() actor: UserActor) {
    return this.invitations.mine(actor);
  }
}
