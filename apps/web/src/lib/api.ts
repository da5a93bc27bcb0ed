import { session, setSession } from './session.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface RequestOptions {
  body?: unknown;
  /** A token to use instead of the signed-in user's (a workshop guest token). */
  token?: string | null;
  signal?: AbortSignal;
  accept?: string;
}

async function send(method: string, path: string, options: RequestOptions, token: string | null) {
  const headers: Record<string, string> = { Accept: options.accept ?? 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  try {
    return await fetch(path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK', 'Network error');
  }
}

let refreshing: Promise<boolean> | null = null;

/** Rotates the refresh token once for all concurrent callers. */
function refresh(): Promise<boolean> {
  refreshing ??= (async () => {
    const current = session();
    if (!current) return false;
    const res = await send(
      'POST',
      '/api/auth/refresh',
      {
        body: { refreshToken: current.refreshToken },
      },
      null,
    ).catch(() => null);
    if (!res?.ok) {
      if (res && res.status === 401) setSession(null);
      return false;
    }
    const tokens = (await res.json()) as { accessToken: string; refreshToken: string };
    setSession({ ...current, ...tokens });
    return true;
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

async function toError(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => null)) as { code?: string; message?: string } | null;
  return new ApiError(
    res.status,
    body?.code ?? `HTTP_${res.status}`,
    body?.message ?? res.statusText,
  );
}

/** Calls the platform's API; a 401 with a stored session is retried once after a refresh. */
export async function api<T>(
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<T> {
  const ownToken = options.token === undefined;
  let res = await send(
    method,
    path,
    options,
    ownToken ? (session()?.accessToken ?? null) : (options.token ?? null),
  );
  if (res.status === 401 && ownToken && session() && (await refresh())) {
    res = await send(method, path, options, session()?.accessToken ?? null);
  }
  if (!res.ok) throw await toError(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** Downloads a protected file (e.g. a CSV export) with the session's token. */
export async function download(path: string, filename: string): Promise<void> {
  const options = { accept: 'text/csv, */*' };
  let res = await send('GET', path, options, session()?.accessToken ?? null);
  if (res.status === 401 && (await refresh()))
    res = await send('GET', path, options, session()?.accessToken ?? null);
  if (!res.ok) throw await toError(res);
  const url = URL.createObjectURL(await res.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A v4 UUID; crypto.randomUUID exists only in secure contexts, and a venue LAN may be plain http. */
export function clientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
