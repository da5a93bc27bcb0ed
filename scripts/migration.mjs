// Builds the api and runs its migration command: `generate <Name>` or `run`.
import { execFileSync } from 'node:child_process';

execFileSync('npx', ['nest', 'build', 'api'], { stdio: 'inherit' });
execFileSync(
  process.execPath,
  ['dist/apps/api/apps/api/src/cli/migration.js', ...process.argv.slice(2)],
  {
    stdio: 'inherit',
  },
);
