import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppException } from '@edp/common';
import { ACCESS_KEY, type AccessRule } from './access.decorators.js';
import { ActorResolver, bearerToken } from './actor.resolver.js';
import type { Actor } from './actor.js';
import { roleHas } from './permission.js';

/** Default-deny: a route that declares no access rule is refused for everybody. */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly actors: ActorResolver,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, string | undefined>; actor?: Actor | null }>();
    if (!rule) throw AppException.forbidden('This route declares no access');
    if (rule.kind === 'public' && rule.ignoreToken) {
      request.actor = null;
      return true;
    }

    const token = bearerToken(request.headers.authorization);
    const actor = token ? await this.actors.resolve(token) : null;
    request.actor = actor;
    if (rule.kind === 'public') return true;

    if (!actor) throw AppException.unauthorized();
    if (actor.kind === 'guest') {
      if (!rule.guests)
        throw AppException.unauthorized('A guest token is valid only inside its workshop');
      return true;
    }
    if (!rule.permissions.every((permission) => roleHas(actor.role, permission))) {
      throw AppException.forbidden();
    }
    return true;
  }
}
