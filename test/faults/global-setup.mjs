// Builds the api once into a folder of its own (other engineers' builds clean `dist/`), and
// makes the run folder every scenario writes its server logs and handed-out secrets into.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export default function globalSetup() {
  const root = process.cwd();
  const runId = new Date().toISOString().replace(/[:.]/g, '-');
  // EDP_FAULTS_RUN_DIR may name an earlier run, e.g. to repeat only the log scan over it.
  const runDir = process.env.EDP_FAULTS_RUN_DIR || join(root, '.cache/faults', runId);
  mkdirSync(join(runDir, 'logs'), { recursive: true });
  process.env.EDP_FAULTS_RUN_DIR = runDir;
  process.env.EDP_FAULTS_DIST = join(root, '.cache/faults-dist');
  if (process.env.EDP_FAULTS_SKIP_BUILD !== '1') {
    const build = spawnSync(
      'npx',
      ['nest', 'build', 'api', '-p', 'test/faults/tsconfig.build.json'],
      {
        encoding: 'utf8',
      },
    );
    // Locally, other engineers' unfinished files can fail the type check while the emitted
    // server is fine; EDP_FAULTS_ALLOW_TYPE_ERRORS=1 runs it anyway (CI type-checks separately).
    const emitted = existsSync(join(root, '.cache/faults-dist/apps/api/src/main.js'));
    if (build.status !== 0 && process.env.EDP_FAULTS_ALLOW_TYPE_ERRORS === '1' && emitted) {
      console.warn(
        `\nfault suite: the build reported type errors; running the emitted server anyway`,
      );
    } else if (build.status !== 0) {
      throw new Error(
        `building the api for the fault suite failed:\n${build.stdout}\n${build.stderr}`,
      );
    }
  }
  console.log(`\nfault suite: logs in ${runDir}`);
}
