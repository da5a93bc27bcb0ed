export type Json = Record<string, unknown>;

export interface Reply<T = Json> {
  status: number;
  body: T;
  text: string;
}

/** A thin fetch wrapper: JSON in and out, never throws for an HTTP status. */
export async function call<T = Json>(
  base: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; timeoutMs?: number } = {},
): Promise<Reply<T>> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(options.timeoutMs ?? 30000),
  });
  const text = await res.text();
  let body: unknown = null;
  try {
    if (text) body = JSON.parse(text);
  } catch {
    // not JSON: the text says what came back
  }
  return { status: res.status, body: body as T, text };
}

/** The error format of API.md; a 503 must carry it and nothing of the database's own words. */
export function isUnavailableBody(reply: Reply | null): boolean {
  if (!reply?.body) return false;
  return (
    reply.status === 503 &&
    reply.body?.statusCode === 503 &&
    reply.body?.code === 'UNAVAILABLE' &&
    typeof reply.body?.message === 'string' &&
    Object.keys(reply.body).length === 3
  );
}

/** Words that give away SQL, driver or stack details. */
export const LEAK =
  /SELECT|INSERT|UPDATE |DELETE|relation "|ECONNREFUSED|node_modules|at \w+ \(|QueryFailedError|pg_|sqlstate/i;

/**
 * A reply's text without its tokens, to search for LEAK: a random token can spell `pg_` (a
 * refresh token with `Fpg_` once failed the outage test; about 3 % of runs by its length).
 */
export function withoutTokens(text: string): string {
  return text.replace(/"(accessToken|refreshToken)":"[^"]*"/g, '"$1":"…"');
}
