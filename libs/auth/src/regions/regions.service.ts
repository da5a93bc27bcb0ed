import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { AppException } from '@edp/common';
import type { Repository } from 'typeorm';
import { Region } from './region.entity.js';

@Injectable()
export class RegionsService {
  constructor(@InjectRepository(Region) private readonly regions: Repository<Region>) {}

  list(): Promise<Region[]> {
    return this.regions.find({ order: { code: 'ASC' } });
  }

  async get(code: string): Promise<Region> {
    const region = await this.regions.findOneBy({ code });
    if (!region) throw AppException.notFound('Region');
    return region;
  }
}
