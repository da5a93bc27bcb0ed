import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  ValidateNested,
} from 'class-validator';
import { IsCleanText, NormalizeText } from '@edp/common';
import { SELF_SERVICE_ROLES, type Role } from '../../access/role.js';
import { CodePoints, NOT_BLANK, NormalizeEmail } from '../../validation/account-text.js';
import { NUTS_CODE } from '../../validation/nuts-code.js';

export class OrganisationInputDto {
  @ApiProperty({ example: 'Ölands Lantbruk AB' })
  @NormalizeText()
  @IsString()
  @IsCleanText()
  @CodePoints(1, 200)
  @Matches(NOT_BLANK, { message: 'organisation name must not be blank' })
  name!: string;

  @ApiPropertyOptional({ example: '556677-8899' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9 -]{1,19}$/, {
    message: 'orgNumber is not an organisation number',
  })
  orgNumber?: string;
}

/** Self-service registration: the role is limited to participants; the region is never a tenant here. */
export class RegisterDto {
  @ApiProperty({ example: 'åsa.öberg@exempel.se' })
  @NormalizeEmail()
  @IsString()
  @CodePoints(3, 254)
  @IsEmail({}, { message: 'email must be an e-mail address' })
  email!: string;

  @ApiProperty({ minLength: 10, maxLength: 200 })
  @NormalizeText()
  @IsString()
  @IsCleanText()
  @CodePoints(10, 200)
  password!: string;

  @ApiProperty({ example: 'Åsa Öberg' })
  @NormalizeText()
  @IsString()
  @IsCleanText()
  @CodePoints(1, 60)
  @Matches(NOT_BLANK, { message: 'displayName must not be blank' })
  displayName!: string;

  @ApiProperty({ enum: SELF_SERVICE_ROLES })
  @IsIn(SELF_SERVICE_ROLES, { message: 'role must be company or researcher' })
  role!: Extract<Role, 'company' | 'researcher'>;

  @ApiPropertyOptional({ type: OrganisationInputDto })
  @IsOptional()
  // ValidateNested alone accepts a list (and validates its elements): then `name` was missing.
  @IsObject()
  @ValidateNested()
  @Type(() => OrganisationInputDto)
  organisation?: OrganisationInputDto;

  @ApiPropertyOptional({ example: 'SE224', description: 'Home region (NUTS code); not a tenant' })
  @IsOptional()
  @IsString()
  @Matches(NUTS_CODE, { message: 'homeRegionCode must be a NUTS code' })
  homeRegionCode?: string;
}
