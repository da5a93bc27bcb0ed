import { AppException } from '@edp/common';
import type { Actor, UserActor } from '@edp/auth';

/** Routes behind RequirePermissions always have a user; this narrows the type for services. */
export function requireUser(actor: Actor | null): UserActor {
  if (!actor) throw AppException.unauthorized();
  if (actor.kind !== 'user')
    throw AppException.forbidden('A guest may act only inside its workshop');
  return actor;
}
