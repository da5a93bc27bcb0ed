import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../access/access.decorators.js';
import { RegionsService } from './regions.service.js';

@ApiTags('regions')
@Controller('regions')
export class RegionsController {
  constructor(private readonly regions: RegionsService) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'All regions: NUTS-2 programme areas and counties (public)' })
  async list() {
    const regions = await this.regions.list();
    return regions.map(({ code, name, kind, parentCode }) => ({ code, name, kind, parentCode }));
  }
}
