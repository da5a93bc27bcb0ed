import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IsCleanText, NormalizeText } from '@edp/common';

export class SimilarLimitQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 50, default: 10 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  limit?: number;
}

/** Text being written: the same limits as an idea (title ≤ 200, body ≤ 10 000). */
export class SimilarTextQuery extends SimilarLimitQuery {
  @ApiPropertyOptional({ maxLength: 200 })
  @NormalizeText()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @IsCleanText()
  title!: string;

  @ApiPropertyOptional({ maxLength: 10000 })
  @IsOptional()
  @NormalizeText()
  @IsString()
  @MaxLength(10000)
  @IsCleanText()
  body?: string;
}
