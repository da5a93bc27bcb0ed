import { AppException } from '@edp/common';

const MAX_CURSOR_LENGTH = 512;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** `timestamptz::text` as PostgreSQL prints it (microseconds kept: JS dates would lose them). */
const PG_TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?[+-](\d{2})(?::(\d{2}))?$/;
/** Vote counts are PostgreSQL `int`; a larger number would fail the cast in SQL. */
const MAX_INT4 = 2_147_483_647;

/**
 * The shape alone admits 2026-02-30, hour 99 or offset +99, which PostgreSQL refuses with an
 * error (a 500): a forged cursor must be a 400, so the calendar is checked here.
 */
function isRealTimestamp(text: string): boolean {
  const match = PG_TIMESTAMP.exec(text);
  if (!match) return false;
  const [year, month, day, hour, minute, second, offsetHours] = match.slice(1, 8).map(Number);
  const offsetMinutes = Number(match[8] ?? 0);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return (
    year >= 1 &&
    days !== undefined &&
    day >= 1 &&
    day <= days &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHours <= 15 &&
    offsetMinutes <= 59
  );
}

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
  if (s !== sort || typeof t !== 'string' || !isRealTimestamp(t)) throw invalid();
  if (typeof i !== 'string' || !UUID.test(i)) throw invalid();
  if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > MAX_INT4)) {
    throw invalid();
  }
  if ((sort === 'top') !== (v !== undefined)) throw invalid();
  return { s, t, i, ...(v === undefined ? {} : { v }) };
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
