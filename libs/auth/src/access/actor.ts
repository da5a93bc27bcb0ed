import type { Role } from './role.js';

/** A signed-in account, as the guard resolved it from the token and the database. */
export interface UserActor {
  kind: 'user';
  id: string;
  role: Role;
  /** Staff: the region they work for. Participants: their home region, if any. */
  regionCode: string | null;
  displayName: string;
  organisationId: string | null;
}

/** A walk-in workshop participant: valid for exactly one workshop. */
export interface GuestActor {
  kind: 'guest';
  /** The guest participant id (stable across reconnects of the same token). */
  id: string;
  workshopId: string;
  displayName: string;
}

export type Actor = UserActor | GuestActor;

export function isStaffOf(actor: Actor | null, regionCode: string): boolean {
  if (!actor || actor.kind !== 'user') return false;
  if (actor.role === 'admin') return true;
  return (
    (actor.role === 'region' || actor.role === 'facilitator') && actor.regionCode === regionCode
  );
}
