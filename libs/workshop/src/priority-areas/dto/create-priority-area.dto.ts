import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';
import { IsCleanText, NormalizeText } from '@edp/common';
import { CodePoints } from '@edp/auth';

export class CreatePriorityAreaDto {
  @ApiProperty({ minLength: 2, maxLength: 120, example: 'Life science' })
  @NormalizeText()
  @IsString()
  @IsCleanText()
  @CodePoints(2, 120)
  @Matches(/\S/, { message: '$property must not be blank' })
  name!: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @NormalizeText()
  @IsString()
  @IsCleanText()
  @MaxLength(2000)
  description?: string;

  @ApiPropertyOptional({ type: [String], example: ['21.20', 'C26'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  // NACE: a section letter, a division, group or class (e.g. C, 21, 21.2, 21.20, C21.20).
  @Matches(/^[A-U]?(\d{2}(\.\d{1,2})?)?$/, { each: true })
  @Length(1, 8, { each: true })
  naceCodes?: string[];
}
