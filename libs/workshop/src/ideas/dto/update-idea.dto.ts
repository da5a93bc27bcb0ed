import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { IsCleanText, IsOptionalNotNull, NormalizeText } from '@edp/common';
import { IDEA_STATUSES, type IdeaStatus } from '../idea.entity.js';

/** Authors change `title`/`body`; the region's staff change `status`, `mergedIntoId`, `hidden`. */
export class UpdateIdeaDto {
  @ApiPropertyOptional({ minLength: 3, maxLength: 200 })
  @IsOptionalNotNull()
  @NormalizeText()
  @IsString()
  @IsCleanText()
  @Length(3, 200)
  @Matches(/\S/, { message: '$property must not be blank' })
  title?: string;

  @ApiPropertyOptional({ maxLength: 10000 })
  @IsOptionalNotNull()
  @NormalizeText()
  @IsString()
  @IsCleanText()
  @MaxLength(10000)
  body?: string;

  @ApiPropertyOptional({ enum: IDEA_STATUSES })
  @IsOptionalNotNull()
  @IsIn(IDEA_STATUSES)
  status?: IdeaStatus;

  @ApiPropertyOptional({ description: 'With status "merged": the idea this one joins' })
  @IsOptionalNotNull()
  @IsUUID('all')
  mergedIntoId?: string;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsBoolean()
  hidden?: boolean;
}
