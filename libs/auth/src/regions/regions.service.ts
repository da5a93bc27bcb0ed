import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { AppException } from '@edp/common';
import type { Repository } from 'typeorm';
import { Region } from './region.entity.js';
import type { CreateRegionDto } from './dto/create-region.dto.js';

/** NUTS level by code length: NUTS-2 has four characters (SE22), NUTS-3 five (SE224). */
const CODE_LENGTH = { nuts2: 4, county: 5 } as const;

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

  /** For a region named in a request body: unknown is the client's mistake (400), not a 404. */
  async requireKnown(code: string): Promise<void> {
    if (!(await this.regions.existsBy({ code }))) {
      throw AppException.badRequest('UNKNOWN_REGION', `Region ${code} does not exist`);
    }
  }

  async create(input: CreateRegionDto): Promise<Region> {
    if (input.code.length !== CODE_LENGTH[input.kind]) {
      throw AppException.badRequest(
        'VALIDATION_FAILED',
        `A ${input.kind} code has ${CODE_LENGTH[input.kind]} characters`,
      );
    }
    if (input.parentCode !== undefined) {
      await this.requireKnown(input.parentCode);
      if (!input.code.startsWith(input.parentCode) || input.code === input.parentCode) {
        throw AppException.badRequest(
          'VALIDATION_FAILED',
          'A NUTS code starts with the code of its parent region',
        );
      }
    }
    // The primary key decides a race; ON CONFLICT keeps it a clean 409 rather than a driver error.
    const inserted: unknown[] = await this.regions.query(
      `INSERT INTO regions (code, name, kind, parent_code) VALUES ($1, $2, $3, $4)
       ON CONFLICT (code) DO NOTHING RETURNING code`,
      [input.code, input.name, input.kind, input.parentCode ?? null],
    );
    if (inserted.length === 0) {
      throw AppException.conflict('REGION_EXISTS', `Region ${input.code} already exists`);
    }
    return this.get(input.code);
  }
}
