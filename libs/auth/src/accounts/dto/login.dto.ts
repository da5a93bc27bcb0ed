import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { IsCleanText, NormalizeText } from '@edp/common';
import { NormalizeEmail } from '../../validation/account-text.js';

/**
 * Deliberately loose: a malformed address is just a wrong e-mail (same 401 as any other).
 * Only NUL is refused (400): PostgreSQL text cannot hold it, so the lookup failed with a 500.
 */
export class LoginDto {
  @ApiProperty({ example: 'åsa.öberg@exempel.se' })
  @NormalizeEmail()
  @IsString()
  @IsCleanText()
  @MaxLength(320)
  email!: string;

  @ApiProperty()
  @NormalizeText()
  @IsString()
  @MaxLength(1000)
  password!: string;
}
