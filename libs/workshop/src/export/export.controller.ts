import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Permission, RequirePermissions, type Actor } from '@edp/auth';
import { UuidParam } from '../shared/uuid-param.js';
import { ExportQuery } from './export.query.js';
import { ExportService } from './export.service.js';

@ApiTags('processes')
@Controller('processes/:id/export')
export class ExportController {
  constructor(private readonly exports: ExportService) {}

  @RequirePermissions(Permission.ProcessExport)
  @Get()
  @ApiOperation({ summary: 'Every idea of a process as CSV (UTF-8 BOM) or JSON' })
  async export(
    @CurrentActor() actor: Actor | null,
    @UuidParam() id: string,
    @Query() query: ExportQuery,
  ) {
    if (query.format === 'json') return this.exports.json(actor, id);
    return new StreamableFile(Buffer.from(await this.exports.csv(actor, id), 'utf8'), {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="process-${id}.csv"`,
    });
  }
}
