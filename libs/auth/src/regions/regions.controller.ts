import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public, RequirePermissions } from '../access/access.decorators.js';
import { Permission } from '../access/permission.js';
import { CreateRegionDto } from './dto/create-region.dto.js';
import type { Region } from './region.entity.js';
import { RegionsService } from './regions.service.js';

const view = ({ code, name, kind, parentCode }: Region) => ({ code, name, kind, parentCode });

@ApiTags('regions')
@Controller('regions')
export class RegionsController {
  constructor(private readonly regions: RegionsService) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'All regions: NUTS-2 programme areas and counties (public)' })
  async list() {
    return (await this.regions.list()).map(view);
  }

  @RequirePermissions(Permission.RegionCreate)
  @Post()
  @ApiOperation({ summary: 'Add a region by its NUTS code (admin)' })
  async create(@Body() body: CreateRegionDto) {
    return view(await this.regions.create(body));
  }
}
