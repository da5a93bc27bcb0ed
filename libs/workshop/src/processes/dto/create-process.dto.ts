import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';
import { IsCleanText, NormalizeText } from '@edp/common';
import { CodePoints } from '@edp/auth';

export const REGION_CODE = /^[A-Z]{2}[A-Z0-9]{0,8}$/;

export class CreateProcessDto {
  @ApiPropertyOptional({
    description: 'Defaults to the caller’s region; staff may only use their own',
  })
  @IsOptional()
  @IsString()
  @Matches(REGION_CODE)
  regionCode?: string;

  @ApiProperty({ minLength: 3, maxLength: 200 })
  @NormalizeText()
  @IsString()
  @IsCleanText()
  @CodePoints(3, 200)
  @Matches(/\S/, { message: '$property must not be blank' })
  title!: string;

  @ApiPropertyOptional({ maxLength: 10000 })
  @IsOptional()
  @NormalizeText()
  @IsString()
  @IsCleanText()
  @MaxLength(10000)
  description?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  priorityAreaIds?: string[];
}
