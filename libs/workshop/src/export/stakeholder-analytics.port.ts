/**
 * The helix breakdown that exports carry. It is computed by a lib above this one (insight),
 * which provides the token; the export has already checked the caller's access.
 */
export const STAKEHOLDER_ANALYTICS = Symbol('STAKEHOLDER_ANALYTICS');

export interface StakeholderAnalyticsPort {
  ofProcess(processId: string): Promise<unknown>;
  ofWorkshop(workshopId: string): Promise<unknown>;
}
