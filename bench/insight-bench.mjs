// `node bench/insight-bench.mjs [--ideas=10000]` (add DATABASE_URL=… for PostgreSQL): times the
// S3 routes `similar` and `overview` on a generated data set. Transpiles the platform with swc
// into its own folder (no type-check), then runs bench/insight/insight-bench.ts from there.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import swc from '@swc/core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, '.cache', 'insight-bench-build');

function tsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.name === 'node_modules' || entry.name === 'dist') return [];
    if (entry.isDirectory()) return tsFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') && !path.endsWith('.d.ts')
      ? [path]
      : [];
  });
}

rmSync(out, { recursive: true, force: true });
const files = ['apps/api/src', 'libs', 'bench/insight'].flatMap((dir) => tsFiles(join(root, dir)));
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
const child = spawn(
  process.execPath,
  [join(out, 'bench/insight/insight-bench.js'), ...process.argv.slice(2)],
  { stdio: 'inherit', cwd: root },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
