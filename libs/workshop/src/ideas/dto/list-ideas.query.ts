import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { IsCleanText, NormalizeText } from '@edp/common';
import { ListQueryDto } from '../../shared/list-query.dto.js';
import { IDEA_STATUSES, type IdeaStatus } from '../idea.entity.js';

export const IDEA_SORTS = ['top', 'new'] as const;
export type IdeaSort = (typeof IDEA_SORTS)[number];

/** Every key and value comes from an allow-list; unknown keys are refused by the pipe. */
export class ListIdeasQuery extends ListQueryDto {
  @ApiPropertyOptional({ enum: IDEA_SORTS, default: 'new' })
  @IsOptional()
  @IsIn(IDEA_SORTS)
  sort: IdeaSort = 'new';

  @ApiPropertyOptional({ description: 'Swedish full-text search over title and body' })
  @IsOptional()
  @NormalizeText()
  @IsString()
  @IsCleanText()
  @Length(1, 200)
  q?: string;

  @ApiPropertyOptional({ enum: IDEA_STATUSES })
  @IsOptional()
  @IsIn(IDEA_STATUSES)
  status?: IdeaStatus;

  @ApiPropertyOptional({ description: 'A priority area id' })
  @IsOptional()
  @IsUUID('all')
  priorityArea?: string;
}
