import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { IsCleanText, NormalizeText } from '@edp/common';
import { VOTING_MODES, type VotingMode } from '../workshop.entity.js';

export class CreateWorkshopDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Workshop: hållbar livsmedelsindustri' })
  @NormalizeText()
  @IsString()
  @Length(1, 200)
  @IsCleanText()
  title!: string;

  @ApiProperty({ enum: VOTING_MODES })
  @IsIn(VOTING_MODES)
  votingMode!: VotingMode;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 5 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  dotBudget?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, description: 'Default: the whole budget' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  maxDotsPerIdea?: number;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  allowGuests?: boolean;
}
