import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class InviteDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  researcherId!: string;
}
