import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { IsCleanText, NormalizeText } from '@edp/common';

export class JoinWorkshopDto {
  @ApiProperty({ example: 'K7PX2M', description: 'Case and spaces do not matter' })
  @IsString()
  @Length(1, 20)
  code!: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 60, description: 'Required for a guest' })
  @IsOptional()
  @NormalizeText()
  @IsString()
  @Length(1, 60)
  @IsCleanText()
  displayName?: string;
}
