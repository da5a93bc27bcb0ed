import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength } from 'class-validator';
import { IsCleanText, IsOptionalNotNull, NormalizeText } from '@edp/common';
import { CodePoints } from '@edp/auth';
import { PHASES, type Phase } from '../process.entity.js';

export class UpdateProcessDto {
  @ApiPropertyOptional({ minLength: 3, maxLength: 200 })
  @IsOptionalNotNull()
  @NormalizeText()
  @IsString()
  @IsCleanText()
  @CodePoints(3, 200)
  @Matches(/\S/, { message: '$property must not be blank' })
  title?: string;

  @ApiPropertyOptional({ maxLength: 10000 })
  @IsOptionalNotNull()
  @NormalizeText()
  @IsString()
  @IsCleanText()
  @MaxLength(10000)
  description?: string;

  @ApiPropertyOptional({ enum: PHASES })
  @IsOptionalNotNull()
  @IsIn(PHASES)
  phase?: Phase;
}
