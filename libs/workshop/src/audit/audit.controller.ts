import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermissions, type Actor } from '@edp/auth';
import { ListQueryDto } from '../shared/list-query.dto.js';
import { UuidParam } from '../shared/uuid-param.js';
import { AuditService } from './audit.service.js';

@ApiTags('processes')
@Controller('processes/:id/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /** Any signed-in user reaches the service, which admits admins and the region's staff. */
  @RequirePermissions()
  @Get()
  @ApiOperation({
    summary: 'Staff actions on a process, newest first (admins, the region’s staff)',
  })
  list(@CurrentActor() actor: Actor | null, @UuidParam() id: string, @Query() query: ListQueryDto) {
    return this.audit.listForProcess(actor, id, query);
  }
}
