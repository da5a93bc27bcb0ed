import { describe, expect, it } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { logsDir, recordedSecrets } from './support/run-dir.js';

/** Anything shaped like a JWT, whoever issued it. */
const JWT = /eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{8,}/;
const PASSWORD_HASH = /\$argon2(id|i|d)\$/;

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Issue 8, scenario 7 — runs last (see sequencer.mjs): every server log the suite wrote,
 * crashes and outages included, is searched for the tokens, passwords and join codes the
 * scenarios handed out, and for anything shaped like a token or a password hash.
 */
describe('server logs after the whole fault suite', () => {
  it('contain no access, refresh or guest token, password, password hash or join code', () => {
    const files = readdirSync(logsDir()).filter((file) => file.endsWith('.log'));
    const secrets = recordedSecrets();
    const unique = new Map(secrets.map((secret) => [secret.value, secret.kind]));
    const patterns = [...unique].map(([value, kind]) => ({
      kind,
      // A join code is six letters and digits: only a whole word counts.
      pattern:
        kind === 'join-code'
          ? new RegExp(`(?<![A-Za-z0-9])${escape(value)}(?![A-Za-z0-9])`)
          : new RegExp(escape(value)),
    }));
    patterns.push(
      { kind: 'access-token', pattern: JWT },
      { kind: 'password', pattern: PASSWORD_HASH },
    );
    const found: string[] = [];
    let lines = 0;
    for (const file of files) {
      const text = readFileSync(join(logsDir(), file), 'utf8');
      lines += text.split('\n').length;
      for (const { kind, pattern } of patterns) {
        const match = pattern.exec(text);
        if (match)
          found.push(
            `${file}: ${kind} near "${text.slice(Math.max(0, match.index - 80), match.index)}"`,
          );
      }
    }
    const byKind = [...unique.values()].reduce<Record<string, number>>((counts, kind) => {
      counts[kind] = (counts[kind] ?? 0) + 1;
      return counts;
    }, {});
    console.log(
      `logs: ${files.length} server logs, ${lines} lines searched for ${unique.size} secrets ` +
        `(${JSON.stringify(byKind)}) and token/hash shapes; found ${found.length}`,
    );
    // Run with the scenarios (npm run test:faults): alone there is nothing to search.
    expect(files.length).toBeGreaterThan(0);
    expect(unique.size).toBeGreaterThan(0);
    expect(found).toEqual([]);
  });
});
