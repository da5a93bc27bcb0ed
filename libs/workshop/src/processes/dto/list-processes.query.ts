import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { ListQueryDto } from '../../shared/list-query.dto.js';
import { PHASES, type Phase } from '../process.entity.js';
import { REGION_CODE } from './create-process.dto.js';

export class ListProcessesQuery extends ListQueryDto {
  @ApiPropertyOptional({ example: 'SE224' })
  @IsOptional()
  @IsString()
  @Matches(REGION_CODE)
  region?: string;

  @ApiPropertyOptional({ enum: PHASES })
  @IsOptional()
  @IsIn(PHASES)
  phase?: Phase;
}
