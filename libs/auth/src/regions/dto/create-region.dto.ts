import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Matches } from 'class-validator';
import { IsCleanText, IsOptionalNotNull, NormalizeText } from '@edp/common';
import { CodePoints, NOT_BLANK } from '../../validation/account-text.js';
import { NUTS_CODE } from '../../validation/nuts-code.js';
import type { RegionKind } from '../region.entity.js';

export class CreateRegionDto {
  @ApiProperty({ example: 'FI1D2', description: 'NUTS code (any EU country)' })
  @IsString()
  @Matches(NUTS_CODE, { message: 'code must be a NUTS code such as SE22 or SE224' })
  code!: string;

  @ApiProperty({ example: 'Pohjois-Karjala' })
  @NormalizeText()
  @IsString()
  @IsCleanText()
  @CodePoints(1, 120)
  @Matches(NOT_BLANK, { message: 'name must not be blank' })
  name!: string;

  @ApiProperty({ enum: ['nuts2', 'county'] })
  @IsIn(['nuts2', 'county'])
  kind!: RegionKind;

  @ApiPropertyOptional({ example: 'FI1D' })
  @IsOptionalNotNull()
  @IsString()
  @Matches(NUTS_CODE, { message: 'parentCode must be a NUTS code' })
  parentCode?: string;
}
