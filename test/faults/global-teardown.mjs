// Ends whatever a failed scenario left behind: only processes and clusters the suite itself
// started (noted in the run folder), by pid or data folder, never by name.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export default function globalTeardown() {
  const runDir = process.env.EDP_FAULTS_RUN_DIR;
  if (!runDir) return;
  const processes = join(runDir, 'processes.txt');
  if (existsSync(processes)) {
    for (const line of readFileSync(processes, 'utf8').split('\n').filter(Boolean)) {
      const pid = Number(line.split(' ')[0]);
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  const clusters = join(runDir, 'postgres-clusters.txt');
  if (existsSync(clusters)) {
    const bin = join('/usr/lib/postgresql', readdirSync('/usr/lib/postgresql').sort().pop(), 'bin');
    for (const dataDir of readFileSync(clusters, 'utf8').split('\n').filter(Boolean)) {
      if (!existsSync(join(dataDir, 'postmaster.pid'))) continue;
      const args = ['-D', dataDir, '-m', 'immediate', 'stop'];
      if (process.getuid?.() === 0)
        spawnSync('runuser', ['-u', 'postgres', '--', join(bin, 'pg_ctl'), ...args]);
      else spawnSync(join(bin, 'pg_ctl'), args);
    }
  }
}
