import type { Phase } from './process.entity.js';

/** API.md `process`. */
export interface ProcessView {
  id: string;
  regionCode: string;
  title: string;
  description: string;
  phase: Phase;
  priorityAreaIds: string[];
  ideaCount: number;
  createdAt: string;
}
