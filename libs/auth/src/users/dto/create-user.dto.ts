import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { IsCleanText, NormalizeText } from '@edp/common';
import { ROLES, type Role } from '../../access/role.js';
import { CodePoints, NOT_BLANK, NormalizeEmail } from '../../validation/account-text.js';
import { NUTS_CODE } from '../../validation/nuts-code.js';

/** An account created by staff (admin: any role; region staff: facilitators of their region). */
export class CreateUserDto {
  @ApiProperty({ example: 'facilitator@region.se' })
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

  @ApiProperty({ example: 'Örjan Ågren' })
  @NormalizeText()
  @IsString()
  @IsCleanText()
  @CodePoints(1, 60)
  @Matches(NOT_BLANK, { message: 'displayName must not be blank' })
  displayName!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;

  @ApiPropertyOptional({ example: 'SE224' })
  @IsOptional()
  @IsString()
  @Matches(NUTS_CODE, { message: 'regionCode must be a NUTS code' })
  regionCode?: string;
}
