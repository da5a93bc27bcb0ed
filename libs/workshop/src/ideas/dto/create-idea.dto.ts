import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';
import { IsCleanText, NormalizeText } from '@edp/common';
import { CLIENT_ID } from '../idea-input.js';

export class CreateIdeaDto {
  @ApiProperty({ minLength: 3, maxLength: 200 })
  @NormalizeText()
  @IsString()
  @IsCleanText()
  @Length(3, 200)
  @Matches(/\S/, { message: '$property must not be blank' })
  title!: string;

  @ApiPropertyOptional({ maxLength: 10000 })
  @IsOptional()
  @NormalizeText()
  @IsString()
  @IsCleanText()
  @MaxLength(10000)
  body?: string;

  @ApiPropertyOptional({ type: [String], description: 'Priority areas of the process' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  priorityAreaIds?: string[];

  @ApiPropertyOptional({ description: 'Idempotency key: a retry returns the first idea' })
  @IsOptional()
  @IsString()
  @Matches(CLIENT_ID)
  clientId?: string;
}
