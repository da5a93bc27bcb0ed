import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';
import { IsCleanText, NormalizeText } from '@edp/common';
import { IDEA_STATUSES, type IdeaStatus } from '../idea.entity.js';

/** Authors change `title`/`body`; the region's staff change `status`, `mergedIntoId`, `hidden`. */
export class UpdateIdeaDto {
  @ApiPropertyOptional({ minLength: 3, maxLength: 200 })
  @IsOptional()
  @NormalizeText()
  @IsString()
  @IsCleanText()
  @Length(3, 200)
  @Matches(/\S/, { message: '$property must not be blank' })
  title?: string;

  @ApiPropertyOptional({ maxLength: 10000 })
  @IsOptional()
  @NormalizeText()
  @IsString()
  @IsCleanText()
  @MaxLength(10000)
  body?: string;

  @ApiPropertyOptional({ enum: IDEA_STATUSES })
  @IsOptional()
  @IsIn(IDEA_STATUSES)
  status?: IdeaStatus;

  @ApiPropertyOptional({ description: 'With status "merged": the idea this one joins' })
  @IsOptional()
  @IsUUID('all')
  mergedIntoId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  hidden?: boolean;
}
