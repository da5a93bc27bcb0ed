import { AppException, isCleanText } from '@edp/common';

export const CLIENT_ID = /^[A-Za-z0-9_.:-]{1,100}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface IdeaInput {
  title: string;
  body?: string;
  priorityAreaIds?: string[];
  clientId?: string;
}

function invalid(message: string): AppException {
  return AppException.badRequest('VALIDATION_FAILED', message);
}

/** Characters as PostgreSQL's char_length counts them (code points, not UTF-16 units). */
export function charLength(text: string): number {
  return [...text].length;
}

/** NFC text of bounded length, refusing NUL and lone surrogates. */
export function cleanText(value: unknown, field: string, min: number, max: number): string {
  if (typeof value !== 'string' || !isCleanText(value)) {
    throw invalid(`${field} must be text without NUL or unpaired surrogates`);
  }
  const text = value.normalize('NFC');
  const length = charLength(text);
  if (length < min || length > max) {
    throw invalid(`${field} must be ${min}–${max} characters`);
  }
  if (min > 0 && text.trim() === '') throw invalid(`${field} must not be blank`);
  return text;
}

export function cleanClientId(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || !CLIENT_ID.test(value)) {
    throw invalid('clientId must be 1–100 letters, digits or _ . : -');
  }
  return value;
}

export function cleanUuids(value: unknown, field: string, max = 20): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.length > max) throw invalid(`${field} must be a list of ids`);
  if (!value.every((id): id is string => typeof id === 'string' && UUID.test(id))) {
    throw invalid(`${field} must contain UUIDs`);
  }
  return [...new Set(value.map((id) => id.toLowerCase()))];
}

/**
 * The services validate again what the HTTP DTOs validated, because libs/realtime calls
 * them with socket payloads that never pass through the ValidationPipe.
 */
export function cleanIdeaInput(input: IdeaInput): Required<Omit<IdeaInput, 'clientId'>> & {
  clientId: string | null;
} {
  if (typeof input !== 'object' || input === null) throw invalid('An idea is required');
  return {
    title: cleanText(input.title, 'title', 3, 200),
    body:
      input.body === undefined || input.body === null
        ? ''
        : cleanText(input.body, 'body', 0, 10000),
    priorityAreaIds: cleanUuids(input.priorityAreaIds, 'priorityAreaIds'),
    clientId: cleanClientId(input.clientId),
  };
}
