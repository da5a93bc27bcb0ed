// Shared by the benchmark runners: transpile the platform and a harness with swc (no
// type-check, so a half-built lib elsewhere cannot stop a run), then run an entry from the build.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import swc from '@swc/core';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function tsFiles(dir) {
  const files = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...tsFiles(path));
    else if (path.endsWith('.ts') && !path.endsWith('.spec.ts') && !path.endsWith('.d.ts')) {
      files.push(path);
    }
  }
  return files;
}

/** Transpiles the platform plus `harness` (a folder) into `out`; returns the number of files. */
export async function build(out, harness) {
  rmSync(out, { recursive: true, force: true });
  const files = ['apps/api/src', 'libs', harness].flatMap((dir) => tsFiles(join(root, dir)));
  await Promise.all(
    files.map(async (file) => {
      const { code } = await swc.transformFile(file, {
        filename: file,
        swcrc: false,
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
          keepClassNames: true,
          baseUrl: root,
          paths: { '@edp/*': ['libs/*/src/index.ts'] },
        },
        module: { type: 'es6', resolveFully: true },
        sourceMaps: 'inline',
      });
      const target = join(out, relative(root, file)).replace(/\.ts$/, '.js');
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, code);
    }),
  );
  writeFileSync(join(out, 'package.json'), '{ "type": "module" }\n');
  return files.length;
}

/** Runs a built entry with this process's arguments; exits with its code and forwards signals. */
export function runBuilt(args, env = process.env) {
  const child = spawn(process.execPath, [...args, ...process.argv.slice(2)], {
    stdio: 'inherit',
    cwd: root,
    env,
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
