import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsString, MaxLength, MinLength } from 'class-validator';
import { IsCleanText, NormalizeText } from '@edp/common';

export class ExpertiseDto {
  @ApiProperty({ type: [String], maxItems: 30, example: ['vätgas', 'elektrolys', 'batterier'] })
  @Transform(({ value }: { value: unknown }) =>
    Array.isArray(value)
      ? value.map((item) => (typeof item === 'string' ? item.normalize('NFC').trim() : item))
      : value,
  )
  @IsArray()
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(80, { each: true })
  @IsCleanText({ each: true })
  keywords!: string[];

  @ApiProperty({ maxLength: 2000 })
  @NormalizeText()
  @IsString()
  @MaxLength(2000)
  @IsCleanText()
  text!: string;
}
