import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppException } from '@edp/common';
import { isStaffOf, type Actor } from '@edp/auth';
import { AuditTrail } from '../audit/audit-trail.js';
import { requireUser } from '../shared/access.js';
import { isUniqueViolation, sql } from '../shared/sql.js';
import type { CreatePriorityAreaDto } from './dto/create-priority-area.dto.js';
import { PriorityArea } from './priority-area.entity.js';

export interface PriorityAreaView {
  id: string;
  name: string;
  description: string;
  naceCodes: string[];
}

@Injectable()
export class PriorityAreasService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
  ) {}

  async list(regionCode: string): Promise<PriorityAreaView[]> {
    await this.requireRegion(regionCode);
    const areas = await this.dataSource.manager.find(PriorityArea, {
      where: { regionCode },
      order: { name: 'ASC', id: 'ASC' },
    });
    return areas.map(toView);
  }

  async create(
    caller: Actor | null,
    regionCode: string,
    input: CreatePriorityAreaDto,
  ): Promise<PriorityAreaView> {
    const actor = requireUser(caller);
    await this.requireRegion(regionCode);
    if (!isStaffOf(actor, regionCode) || actor.role === 'facilitator') {
      throw AppException.forbidden('Only the region’s own staff may add priority areas');
    }
    try {
      return await this.dataSource.transaction(async (manager) => {
        const area = await manager.save(
          manager.create(PriorityArea, {
            regionCode,
            name: input.name.trim(),
            description: input.description ?? '',
            naceCodes: [...new Set(input.naceCodes ?? [])],
          }),
        );
        await this.audit.record(manager, actor, {
          regionCode,
          processId: null,
          action: 'priority-area.created',
          objectType: 'priority-area',
          objectId: area.id,
          details: { name: area.name },
        });
        return toView(area);
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw AppException.conflict(
          'PRIORITY_AREA_EXISTS',
          'The region already has that priority area',
        );
      }
      throw error;
    }
  }

  private async requireRegion(code: string): Promise<void> {
    const { count } = await sql(this.dataSource.manager, 'SELECT 1 FROM regions WHERE code = $1', [
      code,
    ]);
    if (count === 0) throw AppException.notFound('Region');
  }
}

function toView(area: PriorityArea): PriorityAreaView {
  return {
    id: area.id,
    name: area.name,
    description: area.description,
    naceCodes: area.naceCodes,
  };
}
