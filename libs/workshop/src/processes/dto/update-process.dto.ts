import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsCleanText, NormalizeText } from '@edp/common';
import { CodePoints } from '@edp/auth';
import { PHASES, type Phase } from '../process.entity.js';

export class UpdateProcessDto {
  @ApiPropertyOptional({ minLength: 3, maxLength: 200 })
  @IsOptional()
  @NormalizeText()
  @IsString()
  @IsCleanText()
  @CodePoints(3, 200)
  @Matches(/\S/, { message: '$property must not be blank' })
  title?: string;

  @ApiPropertyOptional({ maxLength: 10000 })
  @IsOptional()
  @NormalizeText()
  @IsString()
  @IsCleanText()
  @MaxLength(10000)
  description?: string;

  @ApiPropertyOptional({ enum: PHASES })
  @IsOptional()
  @IsIn(PHASES)
  phase?: Phase;
}
