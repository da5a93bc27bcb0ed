import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { HELICES, RegionsService, type Helix, type UserActor } from '@edp/auth';
import type { Phase } from '@edp/workshop';
import { IDEA_CARD_COLUMNS, toIdeaCard, viewerId, type IdeaCardRow } from '../shared/idea-card.js';
import { rows } from '../shared/sql.js';
import { SimilarityIndexService } from '../similarity/similarity-index.service.js';
import { SIMILARITY_THRESHOLD } from '../similarity/similarity.threshold.js';
import { components } from './clusters.js';
import {
  IDEAS_VOTES_COMMENTS,
  PARTICIPANTS_BY_HELIX,
  PRIORITY_AREAS,
  PROCESSES_BY_PHASE,
  PUBLISHED_PAIRS,
} from './overview.sql.js';
import {
  emptyHelixCounts,
  type IdeaCluster,
  type Overview,
  type RegionOverview,
} from './overview.view.js';

/** At most this many clusters are returned, those spanning most regions first. */
export const MAX_CLUSTERS = 100;
/** New or edited ideas indexed within the request; any more are indexed in the background. */
export const INDEX_IN_REQUEST = 50;

/** The national overview: every region side by side, and ideas that recur across regions. */
@Injectable()
export class OverviewService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly regions: RegionsService,
    private readonly index: SimilarityIndexService,
  ) {}

  async overview(actor: UserActor): Promise<Overview> {
    // admin and agency see every region in full; region staff their own, the rest published.
    const everything = actor.role === 'admin' || actor.role === 'agency';
    const params = [everything, everything ? null : actor.regionCode];
    const [regions, phases, totals, helices, areas] = await Promise.all([
      this.regions.list(),
      rows<{ code: string; phase: Phase; n: number }>(this.dataSource, PROCESSES_BY_PHASE, params),
      rows<{ code: string; ideas: number; votes: number; comments: number }>(
        this.dataSource,
        IDEAS_VOTES_COMMENTS,
        params,
      ),
      rows<{ code: string; helix: Helix; n: number }>(
        this.dataSource,
        PARTICIPANTS_BY_HELIX,
        params,
      ),
      rows<{ code: string; id: string; name: string; ideas: number }>(
        this.dataSource,
        PRIORITY_AREAS,
        params,
      ),
    ]);
    const byCode = new Map<string, RegionOverview>();
    for (const region of regions) {
      byCode.set(region.code, {
        code: region.code,
        name: region.name,
        kind: region.kind,
        parentCode: region.parentCode,
        scope: everything || region.code === actor.regionCode ? 'full' : 'published',
        processes: { draft: 0, open: 0, review: 0, closed: 0 },
        ideas: 0,
        votes: 0,
        comments: 0,
        participantsByHelix: emptyHelixCounts(),
        priorityAreas: [],
      });
    }
    for (const row of phases) {
      const region = byCode.get(row.code);
      if (region) region.processes[row.phase] = Number(row.n);
    }
    for (const row of totals) {
      const region = byCode.get(row.code);
      if (!region) continue;
      region.ideas = Number(row.ideas);
      region.votes = Number(row.votes);
      region.comments = Number(row.comments);
    }
    for (const row of helices) {
      const region = byCode.get(row.code);
      if (region && HELICES.includes(row.helix))
        region.participantsByHelix[row.helix] = Number(row.n);
    }
    for (const row of areas) {
      byCode
        .get(row.code)
        ?.priorityAreas.push({ id: row.id, name: row.name, ideas: Number(row.ideas) });
    }
    const clustersPending = await this.index.refresh(INDEX_IN_REQUEST);
    return {
      regions: [...byCode.values()],
      clusters: await this.clusters(actor),
      clustersPending,
    };
  }

  /** Groups of similar published ideas present in two or more regions (as far as indexed). */
  async clusters(actor: UserActor): Promise<IdeaCluster[]> {
    const pairs = await rows<{ a: string; b: string }>(this.dataSource, PUBLISHED_PAIRS, [
      SIMILARITY_THRESHOLD,
    ]);
    const groups = components(pairs.map((pair) => [pair.a, pair.b]));
    if (groups.length === 0) return [];
    const ids = groups.flat();
    const cards = await rows<IdeaCardRow & { region_code: string }>(
      this.dataSource,
      `SELECT p.region_code, ${IDEA_CARD_COLUMNS}
       FROM ideas i JOIN processes p ON p.id = i.process_id WHERE i.id = ANY($2::uuid[])`,
      [viewerId(actor), ids],
    );
    const byId = new Map(cards.map((card) => [card.id, card]));
    const clusters: IdeaCluster[] = [];
    for (const group of groups) {
      const members = group
        .map((id) => byId.get(id))
        .filter((card): card is IdeaCardRow & { region_code: string } => card !== undefined)
        .sort((a, b) => a.region_code.localeCompare(b.region_code) || a.id.localeCompare(b.id));
      const regionCodes = [...new Set(members.map((card) => card.region_code))].sort();
      if (regionCodes.length >= 2) clusters.push({ ideas: members.map(toIdeaCard), regionCodes });
    }
    clusters.sort(
      (a, b) =>
        b.regionCodes.length - a.regionCodes.length ||
        b.ideas.length - a.ideas.length ||
        a.ideas[0].id.localeCompare(b.ideas[0].id),
    );
    return clusters.slice(0, MAX_CLUSTERS);
  }
}
