import { Init1764230000000 } from './1764230000000-init.js';
import { Auth1795763706358 } from './1795763706358-auth.js';
import { SwedishRegions1795763706400 } from './1795763706400-swedish-regions.js';
import { LiveWorkshops1795764101033 } from './1795764101033-live-workshops.js';
import { RefreshTokens1795764178731 } from './1795764178731-refresh-tokens.js';
import { WorkshopService1795764258034 } from './1795764258034-workshop-service.js';
import { InsightSimilarity1795765000000 } from './1795765000000-insight-similarity.js';
import { LiveWorkshopLinks1795765100000 } from './1795765100000-live-workshop-links.js';
import { Insight1795766000000 } from './1795766000000-insight.js';
import { InsightFingerprints1795767000000 } from './1795767000000-insight-fingerprints.js';
import { InsightScoreOpening1795768000000 } from './1795768000000-insight-score-opening.js';
import { WorkshopIdeaTallies1795769000000 } from './1795769000000-workshop-idea-tallies.js';
import { LiveCastVotes1795769100000 } from './1795769100000-live-cast-votes.js';
import { LiveCastVotesGenericPlan1795769200000 } from './1795769200000-live-cast-votes-generic-plan.js';

/** Every migration, in order. New ones are appended here (generate with `npm run migration:generate -- Name`). */
export const MIGRATIONS = [
  Init1764230000000,
  Auth1795763706358,
  SwedishRegions1795763706400,
  LiveWorkshops1795764101033,
  RefreshTokens1795764178731,
  WorkshopService1795764258034,
  InsightSimilarity1795765000000,
  LiveWorkshopLinks1795765100000,
  Insight1795766000000,
  InsightFingerprints1795767000000,
  InsightScoreOpening1795768000000,
  WorkshopIdeaTallies1795769000000,
  LiveCastVotes1795769100000,
  LiveCastVotesGenericPlan1795769200000,
];
