import { appendFileSync, mkdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * One folder per fault-suite run (set by global-setup.mjs): server logs, the secrets the
 * scenarios handed out (for the log scan) and the processes they started (for cleanup).
 */
export function runDir(): string {
  const dir = process.env.EDP_FAULTS_RUN_DIR ?? join(process.cwd(), '.cache/faults/adhoc');
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function logsDir(): string {
  const dir = join(runDir(), 'logs');
  mkdirSync(dir, { recursive: true });
  return dir;
}

export type SecretKind =
  'access-token' | 'refresh-token' | 'guest-token' | 'password' | 'join-code';

/** Remembers a secret a scenario used, so the log scan can prove it never reached a log. */
export function recordSecret(kind: SecretKind, value: string): void {
  appendFileSync(join(runDir(), 'secrets.jsonl'), `${JSON.stringify({ kind, value })}\n`);
}

export function recordedSecrets(): { kind: SecretKind; value: string }[] {
  const file = join(runDir(), 'secrets.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { kind: SecretKind; value: string });
}

/** Every process a scenario starts is noted, so global teardown can end stragglers by pid. */
export function recordProcess(kind: string, pid: number | undefined): void {
  if (pid) appendFileSync(join(runDir(), 'processes.txt'), `${pid} ${kind}\n`);
}

export function recordPostgresCluster(dataDir: string): void {
  appendFileSync(join(runDir(), 'postgres-clusters.txt'), `${dataDir}\n`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${lastError instanceof Error ? `: ${lastError.message}` : ''}`,
      );
    }
    await sleep(intervalMs);
  }
}
