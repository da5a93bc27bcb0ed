import { PartialType } from '@nestjs/swagger';
import { CreateWorkshopDto } from './create-workshop.dto.js';

/** Title and guests may change at any time; voting settings only until the first vote. */
export class UpdateWorkshopDto extends PartialType(CreateWorkshopDto) {}
