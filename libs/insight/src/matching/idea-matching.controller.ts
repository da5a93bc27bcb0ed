import { Body, Controller, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  CurrentActor,
  Permission,
  Public,
  RequirePermissions,
  type Actor,
  type UserActor,
} from '@edp/auth';
import { UuidParam } from '../shared/uuid.param.js';
import { InviteDto } from './dto/invite.dto.js';
import { RespondInvitationDto } from './dto/respond-invitation.dto.js';
import { InvitationsService } from './invitations.service.js';
import { MatchingService } from './matching.service.js';

@ApiTags('s3-intelligence')
@Controller()
export class IdeaMatchingController {
  constructor(
    private readonly matching: MatchingService,
    private readonly invitations: InvitationsService,
  ) {}

  @RequirePermissions(Permission.SimilarRead)
  @Get('ideas/:id/matches')
  @ApiOperation({ summary: 'Researchers whose expertise fits the idea, with the shared terms' })
  matches(@CurrentActor() actor: UserActor, @UuidParam() id: string) {
    return this.matching.researchersFor(actor, id);
  }

  @RequirePermissions(Permission.IdeaSubmit)
  @Post('ideas/:id/invitations')
  @HttpCode(201)
  @ApiOperation({ summary: 'The idea’s author invites a researcher to contribute' })
  invite(@CurrentActor() actor: UserActor, @UuidParam() id: string, @Body() input: InviteDto) {
    return this.invitations.invite(actor, id, input.researcherId);
  }

  @Public()
  @Get('ideas/:id/contributors')
  @ApiOperation({
    summary: 'Researchers who accepted an invitation to the idea (public like the idea)',
  })
  contributors(@CurrentActor() actor: Actor | null, @UuidParam() id: string) {
    return this.invitations.contributors(actor, id);
  }

  @RequirePermissions(Permission.ExpertiseManage)
  @Patch('invitations/:id')
  @ApiOperation({ summary: 'The invited researcher accepts or declines' })
  respond(
    @CurrentActor() actor: UserActor,
    @UuidParam() id: string,
    @Body() input: RespondInvitationDto,
  ) {
    return this.invitations.respond(actor, id, input.status);
  }
}
