import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { en } from '../../apps/web/src/i18n/en.js';
import { sv } from '../../apps/web/src/i18n/sv.js';

/**
 * Faults of the calling program, not of what a person typed, chose or followed (a broken
 * link is `INVALID_ID`, which has its message): the web client never sends such a request,
 * so it shows its general "something went wrong" for them.
 */
const PROGRAM_FAULTS = new Set([
  'INVALID_CURSOR',
  'INVALID_JSON',
  'UNSUPPORTED_MEDIA_TYPE',
  'METHOD_NOT_ALLOWED',
  'UNPROCESSABLE',
  'INTERNAL',
]);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .filter((entry) => !entry.name.endsWith('.spec.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The codes in every `AppException.<kind>(…)` of the server, and the HTTP status codes' own. */
function serverCodes(): Set<string> {
  const codes = new Set<string>();
  for (const file of [...sources('libs'), ...sources('apps/api')]) {
    const text = readFileSync(file, 'utf8');
    for (const call of text.matchAll(/AppException\.\w+\(/g)) {
      let depth = 1;
      let end = call.index + call[0].length;
      while (depth > 0 && end < text.length) {
        if (text[end] === '(') depth++;
        if (text[end] === ')') depth--;
        end++;
      }
      const args = text.slice(call.index + call[0].length, end);
      for (const [, code] of args.matchAll(/'([A-Z][A-Z_]{2,})'/g)) codes.add(code);
    }
  }
  const statusCodes = readFileSync('libs/common/src/errors/error-body.ts', 'utf8');
  const table = /HTTP_CODES[^{]*\{([^}]*)\}/.exec(statusCodes)?.[1] ?? '';
  for (const [, code] of table.matchAll(/'([A-Z][A-Z_]{2,})'/g)) codes.add(code);
  return codes;
}

describe('error messages in the web client', () => {
  const codes = serverCodes();

  it('finds the codes the server sends (the scan itself works)', () => {
    for (const known of ['NOT_AUTHOR', 'ALREADY_VOTED', 'VOTING_CLOSED', 'RATE_LIMITED']) {
      expect(codes).toContain(known);
    }
  });

  it('has a Swedish and an English message for every code a person can meet', () => {
    const missing = [...codes]
      .filter((code) => !PROGRAM_FAULTS.has(code))
      .filter((code) => !(`error.${code}` in sv) || !(`error.${code}` in en))
      .sort();
    expect(missing).toEqual([]);
  });
});
