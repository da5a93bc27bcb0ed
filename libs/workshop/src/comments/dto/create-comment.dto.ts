import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { IsCleanText, NormalizeText } from '@edp/common';
import { CLIENT_ID } from '../../ideas/idea-input.js';
import { COMMENT_KINDS, type CommentKind } from '../comment.entity.js';

export class CreateCommentDto {
  @ApiProperty({ minLength: 1, maxLength: 5000 })
  @NormalizeText()
  @IsString()
  @IsCleanText()
  @Length(1, 5000)
  @Matches(/\S/, { message: '$property must not be blank' })
  body!: string;

  @ApiPropertyOptional({ description: 'A comment on the same idea' })
  @IsOptional()
  @IsUUID('all')
  parentId?: string;

  @ApiPropertyOptional({ enum: COMMENT_KINDS, default: 'comment' })
  @IsOptional()
  @IsIn(COMMENT_KINDS)
  kind?: CommentKind;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(CLIENT_ID)
  clientId?: string;
}
