/** Emitted (EventEmitter2) after commit whenever a user's sessions end, so realtime closes their sockets. */
export const AUTH_SESSIONS_REVOKED = 'auth.sessions-revoked';

export interface SessionsRevokedEvent {
  userId: string;
  reason: 'logout' | 'disabled' | 'refresh-reuse' | 'role-changed';
}
