import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Permission, Public, RequirePermissions, type Actor } from '@edp/auth';
import { RegionCodePipe } from '../shared/region-code.pipe.js';
import { CreatePriorityAreaDto } from './dto/create-priority-area.dto.js';
import { PriorityAreasService } from './priority-areas.service.js';

@ApiTags('regions')
@Controller('regions/:code/priority-areas')
export class PriorityAreasController {
  constructor(private readonly areas: PriorityAreasService) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'A region’s priority areas (styrkeområden)' })
  list(@Param('code', RegionCodePipe) code: string) {
    return this.areas.list(code);
  }

  @RequirePermissions(Permission.PriorityAreaManage)
  @Post()
  @ApiOperation({ summary: 'Add a priority area (admin, the region’s own staff)' })
  create(
    @CurrentActor() actor: Actor | null,
    @Param('code', RegionCodePipe) code: string,
    @Body() body: CreatePriorityAreaDto,
  ) {
    return this.areas.create(actor, code, body);
  }
}
