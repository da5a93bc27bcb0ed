// `npm test`: the whole jest suite on the embedded database, or on PostgreSQL when DATABASE_URL is set.
import { spawnSync } from 'node:child_process';

const result = spawnSync('npx', ['jest', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: {
    ...process.env,
    NODE_OPTIONS:
      `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules --disable-warning=ExperimentalWarning`.trim(),
  },
});
process.exit(result.status ?? 1);
