import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { IsCleanText, NormalizeText } from '@edp/common';
import { STAGES, type Stage } from '../../workshops/workshop.entity.js';

/** Payloads of the `/live` events (API.md); unknown fields are refused like on HTTP. */
export class WorkshopRef {
  @IsUUID()
  workshopId!: string;
}

export class IdeaRef extends WorkshopRef {
  @IsUUID()
  ideaId!: string;
}

/** Client-generated id of a mutation: a retry with the same id returns the first result. */
function ClientId(): PropertyDecorator {
  return (target, key) => {
    IsString()(target, key);
    Length(1, 100)(target, key);
    IsCleanText()(target, key);
  };
}

export class SubmitIdeaPayload extends WorkshopRef {
  @NormalizeText()
  @IsString()
  @Length(3, 200)
  @IsCleanText()
  title!: string;

  @IsOptional()
  @NormalizeText()
  @IsString()
  @MaxLength(10000)
  @IsCleanText()
  body?: string;

  @ClientId()
  clientId!: string;
}

export class CastVotePayload extends IdeaRef {
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  dots?: number;

  @ClientId()
  clientId!: string;
}

export class RetractVotePayload extends IdeaRef {
  /** How many dots to take back (at most those on the idea); without it, all of them. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  dots?: number;
}

export class AddCommentPayload extends IdeaRef {
  @NormalizeText()
  @IsString()
  @Length(1, 5000)
  @IsCleanText()
  body!: string;

  @IsOptional()
  @IsUUID()
  parentId?: string;

  @ClientId()
  clientId!: string;
}

export class SetStagePayload extends WorkshopRef {
  @IsIn(STAGES)
  stage!: Stage;
}

export class SetTimerPayload extends WorkshopRef {
  /** null stops the timer; up to a day. */
  @ValidateIf((payload: SetTimerPayload) => payload.seconds !== null)
  @IsInt()
  @Min(1)
  @Max(86400)
  seconds!: number | null;
}

export class SpotlightPayload extends WorkshopRef {
  @ValidateIf((payload: SpotlightPayload) => payload.ideaId !== null)
  @IsUUID()
  ideaId!: string | null;
}
