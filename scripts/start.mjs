// `npm start`: builds what is missing or stale (api, web client), then serves the platform.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const API_ENTRY = 'dist/apps/api/apps/api/src/main.js';

/** The newest modification time of a file, or of any file under a folder. */
function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    newest = Math.max(newest, newestMtime(join(path, entry.name)));
  }
  return newest;
}

function stale(output, sources) {
  if (!existsSync(output)) return true;
  const built = statSync(output).mtimeMs;
  return sources.some((dir) => newestMtime(dir) > built);
}

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (existsSync('apps/web/package.json') || existsSync('apps/web/vite.config.ts')) {
  if (stale('apps/web/dist/index.html', ['apps/web/src', 'apps/web/index.html'])) {
    console.log('Building the web client…');
    run('npm', ['run', 'build:web']);
  }
}
if (stale(API_ENTRY, ['apps/api/src', 'libs'])) {
  console.log('Building the api…');
  run('npx', ['nest', 'build', 'api']);
}

const server = spawn(process.execPath, [API_ENTRY], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
