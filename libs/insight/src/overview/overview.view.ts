import type { Helix } from '@edp/auth';
import type { IdeaView } from '@edp/workshop';

export type HelixCounts = Record<Helix, number>;

export interface RegionOverview {
  code: string;
  name: string;
  kind: 'nuts2' | 'county';
  parentCode: string | null;
  /** `full`: drafts and hidden ideas counted (the caller's own region, or admin/agency). */
  scope: 'full' | 'published';
  processes: { draft: number; open: number; review: number; closed: number };
  ideas: number;
  votes: number;
  comments: number;
  participantsByHelix: HelixCounts;
  priorityAreas: { id: string; name: string; ideas: number }[];
}

export interface IdeaCluster {
  ideas: IdeaView[];
  regionCodes: string[];
}

export interface Overview {
  regions: RegionOverview[];
  clusters: IdeaCluster[];
  /** Ideas not yet compared (after a bulk import); 0 when the clusters are complete. */
  clustersPending: number;
}

export function emptyHelixCounts(): HelixCounts {
  return { industry: 0, academia: 0, public: 0, civil: 0 };
}
