import type { Actor } from '../access/actor.js';
import type { Role } from '../access/role.js';
import type { Helix } from '../organisations/organisation.entity.js';
import type { User } from './user.entity.js';

/** API.md `user`. `email` is present only for the user themselves and for admins. */
export interface UserView {
  id: string;
  email?: string;
  displayName: string;
  role: Role;
  regionCode: string | null;
  disabled?: boolean;
  organisation: { id: string; name: string; helix: Helix } | null;
}

/** `user.organisation` must be loaded. Never copies the password hash or anything else by accident. */
export function toUserView(user: User, viewer: Actor | 'self' | null): UserView {
  const self = viewer === 'self' || (viewer?.kind === 'user' && viewer.id === user.id);
  const admin = viewer !== 'self' && viewer?.kind === 'user' && viewer.role === 'admin';
  const staffView =
    admin || (viewer !== 'self' && viewer?.kind === 'user' && viewer.role === 'region');
  const organisation = user.organisation
    ? { id: user.organisation.id, name: user.organisation.name, helix: user.organisation.helix }
    : null;
  return {
    id: user.id,
    ...(self || admin ? { email: user.email } : {}),
    displayName: user.displayName,
    role: user.role,
    regionCode: user.regionCode,
    ...(staffView ? { disabled: user.disabled } : {}),
    organisation,
  };
}
