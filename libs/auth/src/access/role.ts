export const ROLES = ['admin', 'agency', 'region', 'facilitator', 'company', 'researcher'] as const;
export type Role = (typeof ROLES)[number];

/** Roles anyone may pick when registering; every other role is granted by staff. */
export const SELF_SERVICE_ROLES: readonly Role[] = ['company', 'researcher'];

/** Roles tied to one region's staff work. */
export const STAFF_ROLES: readonly Role[] = ['region', 'facilitator'];
