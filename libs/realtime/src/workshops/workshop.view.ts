import type { Stage, VotingMode, Workshop } from './workshop.entity.js';

/** API.md `workshop`. */
export interface WorkshopView {
  id: string;
  processId: string;
  title: string;
  joinCode: string;
  stage: Stage;
  votingMode: VotingMode;
  dotBudget: number;
  maxDotsPerIdea: number;
  allowGuests: boolean;
  timerEndsAt: string | null;
  spotlightIdeaId: string | null;
  participantCount: number;
}

export function toWorkshopView(workshop: Workshop, participantCount: number): WorkshopView {
  return {
    id: workshop.id,
    processId: workshop.processId,
    title: workshop.title,
    joinCode: workshop.joinCode,
    stage: workshop.stage,
    votingMode: workshop.votingMode,
    dotBudget: workshop.dotBudget,
    maxDotsPerIdea: workshop.maxDotsPerIdea,
    allowGuests: workshop.allowGuests,
    timerEndsAt: workshop.timerEndsAt ? new Date(workshop.timerEndsAt).toISOString() : null,
    spotlightIdeaId: workshop.spotlightIdeaId,
    participantCount,
  };
}
