import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { IsCleanText, IsOptionalNotNull, NormalizeText } from '@edp/common';
import { ROLES, type Role } from '../../access/role.js';
import { CodePoints, NOT_BLANK } from '../../validation/account-text.js';
import { NUTS_CODE } from '../../validation/nuts-code.js';

export class UpdateUserDto {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptionalNotNull()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ example: 'SE224', nullable: true })
  @IsOptional()
  @IsString()
  @Matches(NUTS_CODE, { message: 'regionCode must be a NUTS code' })
  regionCode?: string | null;

  @ApiPropertyOptional({ example: 'Örjan Ågren' })
  @IsOptionalNotNull()
  @NormalizeText()
  @IsString()
  @IsCleanText()
  @CodePoints(1, 60)
  @Matches(NOT_BLANK, { message: 'displayName must not be blank' })
  displayName?: string;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsBoolean()
  disabled?: boolean;
}
