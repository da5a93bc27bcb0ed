import type { CommentView } from '../comments/comment.view.js';
import type { IdeaView } from '../ideas/idea.view.js';

/** Domain events, emitted with EventEmitter2 after the transaction has committed. */
export const WorkshopEvent = {
  IdeaCreated: 'idea.created',
  IdeaUpdated: 'idea.updated',
  IdeaVotesChanged: 'idea.votes-changed',
  CommentCreated: 'comment.created',
} as const;

/** `idea` is the staff view (with `hidden`): listeners decide what each audience sees. */
export interface IdeaCreatedEvent {
  idea: IdeaView;
  regionCode: string;
}

export interface IdeaUpdatedEvent {
  idea: IdeaView;
  regionCode: string;
}

export interface IdeaVotesChangedEvent {
  ideaId: string;
  processId: string;
  workshopId: string | null;
  voteCount: number;
}

export interface CommentCreatedEvent {
  comment: CommentView;
  workshopId: string | null;
  processId: string;
}

export interface WorkshopEventPayloads {
  [WorkshopEvent.IdeaCreated]: IdeaCreatedEvent;
  [WorkshopEvent.IdeaUpdated]: IdeaUpdatedEvent;
  [WorkshopEvent.IdeaVotesChanged]: IdeaVotesChangedEvent;
  [WorkshopEvent.CommentCreated]: CommentCreatedEvent;
}
