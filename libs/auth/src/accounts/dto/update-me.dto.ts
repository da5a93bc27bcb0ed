import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { IsCleanText, IsOptionalNotNull, NormalizeText } from '@edp/common';
import { CodePoints, NOT_BLANK } from '../../validation/account-text.js';

/** What a user may change about themselves; role, region and status are not listed on purpose. */
export class UpdateMeDto {
  @ApiPropertyOptional({ example: 'Åsa Öberg' })
  @IsOptionalNotNull()
  @NormalizeText()
  @IsString()
  @IsCleanText()
  @CodePoints(1, 60)
  @Matches(NOT_BLANK, { message: 'displayName must not be blank' })
  displayName?: string;
}
