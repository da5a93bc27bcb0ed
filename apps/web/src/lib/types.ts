// Shapes from the public contract (API.md); the client relies on nothing else.
export type Role = 'admin' | 'agency' | 'region' | 'facilitator' | 'company' | 'researcher';
export type Helix = 'industry' | 'academia' | 'public' | 'civil';
export type Phase = 'draft' | 'open' | 'review' | 'closed';
export type IdeaStatus = 'submitted' | 'shortlisted' | 'prioritised' | 'rejected' | 'merged';
export type Stage = 'lobby' | 'ideation' | 'voting' | 'results' | 'closed';

export const STAGES: Stage[] = ['lobby', 'ideation', 'voting', 'results', 'closed'];
export const IDEA_STATUSES: IdeaStatus[] = [
  'submitted',
  'shortlisted',
  'prioritised',
  'rejected',
  'merged',
];
export const PHASES: Phase[] = ['draft', 'open', 'review', 'closed'];

export interface User {
  id: string;
  email?: string;
  displayName: string;
  role: Role;
  regionCode: string | null;
  organisation: { id: string; name: string; helix: Helix } | null;
}

export interface Region {
  code: string;
  name: string;
  kind: 'nuts2' | 'county';
  parentCode: string | null;
}

export interface PriorityArea {
  id: string;
  name: string;
  description: string | null;
  naceCodes: string[] | null;
}

export interface Process {
  id: string;
  regionCode: string;
  title: string;
  description: string | null;
  phase: Phase;
  priorityAreaIds: string[];
  ideaCount: number;
  createdAt: string;
}

export interface Idea {
  id: string;
  processId: string;
  workshopId: string | null;
  title: string;
  body: string | null;
  status: IdeaStatus;
  authorName: string;
  helix: Helix | null;
  priorityAreaIds: string[];
  voteCount: number;
  commentCount: number;
  votedByMe: boolean;
  createdAt: string;
  hidden?: boolean;
}

export interface Comment {
  id: string;
  ideaId: string;
  parentId: string | null;
  body: string;
  kind: 'comment' | 'expertise';
  authorName: string;
  helix: Helix | null;
  createdAt: string;
  replies?: Comment[];
}

export interface Workshop {
  id: string;
  processId: string;
  title: string;
  joinCode: string;
  stage: Stage;
  votingMode: 'up' | 'dots';
  dotBudget: number;
  maxDotsPerIdea: number | null;
  allowGuests: boolean;
  timerEndsAt: string | null;
  spotlightIdeaId: string | null;
  participantCount: number;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface JoinSnapshot {
  workshop: Workshop;
  ideas: Idea[];
  me: { participantId: string; remainingDots: number; votes: Record<string, number> };
}

export interface ResultRow {
  idea: Idea;
  voteCount: number;
  rank: number;
}

export const STAFF_ROLES: Role[] = ['admin', 'region', 'facilitator'];
