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

// S3 intelligence (API.md "S3 intelligence").
export const HELICES: Helix[] = ['industry', 'academia', 'public', 'civil'];
export type HelixCounts = Record<Helix, number>;

export interface RegionOverview {
  code: string;
  name: string;
  kind: 'nuts2' | 'county';
  parentCode: string | null;
  scope?: 'full' | 'published';
  processes: Record<Phase, number>;
  ideas: number;
  votes: number;
  participantsByHelix: HelixCounts;
}

export interface Overview {
  regions: RegionOverview[];
  clusters: { ideas: Idea[]; regionCodes: string[] }[];
}

export interface SimilarIdea {
  idea: Idea;
  score: number;
  regionCode: string;
  processId: string;
}

export interface ResearcherMatch {
  researcher: {
    id: string;
    displayName: string;
    organisation: { id: string; name: string; helix: Helix } | null;
  };
  score: number;
  terms: string[];
}

export interface IdeaMatch {
  idea: Idea;
  score: number;
  terms: string[];
}

export interface Expertise {
  keywords: string[];
  text: string;
}

export type InvitationStatus = 'pending' | 'accepted' | 'declined';

export interface Invitation {
  id: string;
  ideaId: string;
  researcherId: string;
  status: InvitationStatus;
  createdAt: string;
  idea?: { id: string; title: string; processId: string };
  invitedBy?: { id: string; displayName: string } | null;
}

export interface Contributor {
  id: string;
  displayName: string;
  organisation: { name: string; helix: Helix } | null;
}

export const OVERVIEW_ROLES: Role[] = ['admin', 'agency', 'region'];
