import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppException } from '@edp/common';
import {
  AllowGuests,
  CurrentActor,
  Permission,
  Public,
  RequirePermissions,
  type Actor,
  type UserActor,
} from '@edp/auth';
import { resultsCsv } from '../results/results-export.js';
import { ResultsService } from '../results/results.service.js';
import { CreateWorkshopDto } from './dto/create-workshop.dto.js';
import { JoinWorkshopDto } from './dto/join-workshop.dto.js';
import { UpdateWorkshopDto } from './dto/update-workshop.dto.js';
import { JoinService } from './join.service.js';
import { WorkshopsService } from './workshops.service.js';

/** A path id that must be a UUID: anything else is 400 before a query runs. */
const Id = (name = 'id') =>
  Param(
    name,
    new ParseUUIDPipe({
      exceptionFactory: () => AppException.badRequest('INVALID_ID', `${name} must be a UUID`),
    }),
  );

@ApiTags('workshops')
@Controller()
export class WorkshopsController {
  constructor(
    private readonly workshops: WorkshopsService,
    private readonly joins: JoinService,
    private readonly results: ResultsService,
  ) {}

  @Post('processes/:id/workshops')
  @RequirePermissions(Permission.WorkshopManage)
  @ApiOperation({
    summary: 'Create a live workshop in a process (admin, region and facilitator: own region)',
  })
  create(
    @CurrentActor() actor: UserActor,
    @Id() processId: string,
    @Body() body: CreateWorkshopDto,
  ) {
    return this.workshops.create(actor, processId, body);
  }

  @Get('processes/:id/workshops')
  @RequirePermissions(Permission.WorkshopManage)
  @ApiOperation({
    summary:
      'Every workshop of a process, newest first (admin, region and facilitator: own region)',
  })
  list(@CurrentActor() actor: UserActor, @Id() processId: string) {
    return this.workshops.listForProcess(actor, processId);
  }

  @Post('workshops/join')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Join by code: a user as itself, a walk-in as a guest (public)' })
  join(
    @CurrentActor() actor: Actor | null,
    @Req() request: FastifyRequest,
    @Body() body: JoinWorkshopDto,
  ) {
    return this.joins.join(actor, request.ip, body);
  }

  @Get('workshops/:id')
  @AllowGuests()
  @ApiOperation({ summary: 'A workshop (its region’s staff and its participants)' })
  get(@CurrentActor() actor: Actor, @Id() id: string) {
    return this.workshops.view(actor, id);
  }

  @Patch('workshops/:id')
  @RequirePermissions(Permission.WorkshopManage)
  @ApiOperation({ summary: 'Change title, guests or (before the first vote) voting settings' })
  update(@CurrentActor() actor: UserActor, @Id() id: string, @Body() body: UpdateWorkshopDto) {
    return this.workshops.update(actor, id, body);
  }

  @Get('workshops/:id/results')
  @AllowGuests()
  @ApiOperation({ summary: 'Ideas ranked by this workshop’s votes, highest first' })
  getResults(@CurrentActor() actor: Actor, @Id() id: string) {
    return this.results.results(actor, id);
  }

  @Get('workshops/:id/results/export')
  @RequirePermissions(Permission.WorkshopManage)
  @ApiQuery({ name: 'format', enum: ['csv', 'json'], required: false })
  @ApiOperation({ summary: 'Export the ranked results as CSV (UTF-8 with BOM) or JSON' })
  async export(
    @CurrentActor() actor: UserActor,
    @Id() id: string,
    @Query('format') format: string | undefined,
    @Res({ passthrough: true }) response: FastifyReply,
  ) {
    const kind = format ?? 'csv';
    if (kind !== 'csv' && kind !== 'json') {
      throw AppException.badRequest('VALIDATION_FAILED', 'format must be csv or json');
    }
    const { workshop, ranked, analytics } = await this.results.forExport(actor, id);
    const file = `workshop-${workshop.id}-results.${kind}`;
    response.header('Content-Disposition', `attachment; filename="${file}"`);
    if (kind === 'json') {
      return { workshopId: workshop.id, title: workshop.title, results: ranked, analytics };
    }
    response.header('Content-Type', 'text/csv; charset=utf-8');
    return resultsCsv(ranked);
  }
}
