import { Body, Controller, Get, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Permission, Public, RequirePermissions, type Actor } from '@edp/auth';
import { UuidParam } from '../shared/uuid-param.js';
import { CreateProcessDto } from './dto/create-process.dto.js';
import { ListProcessesQuery } from './dto/list-processes.query.js';
import { UpdateProcessDto } from './dto/update-process.dto.js';
import { ProcessesService } from './processes.service.js';

@ApiTags('processes')
@Controller('processes')
export class ProcessesController {
  constructor(private readonly processes: ProcessesService) {}

  @RequirePermissions(Permission.ProcessManage)
  @Post()
  @ApiOperation({
    summary: 'Create a discovery process in draft (admin, region staff: own region)',
  })
  create(@CurrentActor() actor: Actor | null, @Body() body: CreateProcessDto) {
    return this.processes.create(actor, body);
  }

  @Public()
  @Get()
  @ApiOperation({ summary: 'Published processes; drafts too for their own region’s staff' })
  list(@CurrentActor() actor: Actor | null, @Query() query: ListProcessesQuery) {
    return this.processes.list(actor, query);
  }

  @Public()
  @Get(':id')
  @ApiOperation({ summary: 'A process (a draft only for its region’s staff, else 404)' })
  get(@CurrentActor() actor: Actor | null, @UuidParam() id: string) {
    return this.processes.getVisible(actor, id);
  }

  @RequirePermissions(Permission.ProcessManage)
  @Patch(':id')
  @ApiOperation({ summary: 'Edit or move a process: draft → open → review → closed, reopen' })
  update(
    @CurrentActor() actor: Actor | null,
    @UuidParam() id: string,
    @Body() body: UpdateProcessDto,
  ) {
    return this.processes.update(actor, id, body);
  }
}
