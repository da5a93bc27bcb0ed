import { AppException } from '@edp/common';

const MAX_CURSOR_LENGTH = 512;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** `timestamptz::text` as PostgreSQL prints it (microseconds kept: JS dates would lose them). */
const PG_TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/;

/** A keyset position: sort key, creation time (as PostgreSQL text) and id; `v` for vote sorts. */
export interface KeysetCursor {
  s: string;
  t: string;
  i: string;
  v?: number;
}

export function encodeCursor(cursor: KeysetCursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

/** Opaque to clients, so anything that is not exactly what we issued is a 400. */
export function decodeCursor(raw: string | undefined, sort: string): KeysetCursor | null {
  if (raw === undefined) return null;
  const invalid = () => AppException.badRequest('INVALID_CURSOR', 'The cursor is not valid');
  if (raw.length === 0 || raw.length > MAX_CURSOR_LENGTH || !BASE64URL.test(raw)) throw invalid();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid();
  const { s, t, i, v, ...rest } = value as Record<string, unknown>;
  if (Object.keys(rest).length > 0) throw invalid();
  if (s !== sort || typeof t !== 'string' || !PG_TIMESTAMP.test(t)) throw invalid();
  if (typeof i !== 'string' || !UUID.test(i)) throw invalid();
  if (v !== undefined && (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)) {
    throw invalid();
  }
  if ((sort === 'top') !== (v !== undefined)) throw invalid();
  return { s, t, i, ...(v === undefined ? {} : { v }) };
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
