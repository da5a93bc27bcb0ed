import {
  SetMetadata,
  applyDecorators,
  createParamDecorator,
  type ExecutionContext,
} from '@nestjs/common';
import { ApiBearerAuth, ApiExtension } from '@nestjs/swagger';
import type { Permission } from './permission.js';
import type { Actor } from './actor.js';

export const ACCESS_KEY = 'edp:access';

export type AccessRule =
  /** `ignoreToken`: the route never looks at a bearer token (a stale one must not break login). */
  | { kind: 'public'; ignoreToken?: boolean }
  /** Any signed-in user holding every listed permission (none listed: any user). */
  | { kind: 'permissions'; permissions: Permission[]; guests: boolean };

/** Anyone may call this route; a valid token, when sent, is still resolved. */
export const Public = (options: { ignoreToken?: boolean } = {}) =>
  applyDecorators(
    SetMetadata(ACCESS_KEY, { kind: 'public', ...options } satisfies AccessRule),
    ApiExtension('x-access', 'public'),
  );

/** Signed-in users holding all `permissions`. Guest tokens are refused. */
export const RequirePermissions = (...permissions: Permission[]) =>
  applyDecorators(
    SetMetadata(ACCESS_KEY, {
      kind: 'permissions',
      permissions,
      guests: false,
    } satisfies AccessRule),
    ApiBearerAuth(),
    ApiExtension('x-access', permissions.length ? permissions.join(', ') : 'any signed-in user'),
  );

/** Like RequirePermissions, and a guest token is accepted too (the service checks its workshop). */
export const AllowGuests = (...permissions: Permission[]) =>
  applyDecorators(
    SetMetadata(ACCESS_KEY, {
      kind: 'permissions',
      permissions,
      guests: true,
    } satisfies AccessRule),
    ApiBearerAuth(),
    ApiExtension(
      'x-access',
      `guest of the workshop, or ${permissions.join(', ') || 'any signed-in user'}`,
    ),
  );

/** The caller resolved by the guard; null on a public route called without a token. */
export const CurrentActor = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Actor | null =>
    context.switchToHttp().getRequest<{ actor?: Actor | null }>().actor ?? null,
);
