// `npm run bench [-- --quick]`: transpiles the platform and the harness with swc, then runs
// bench/src/main.ts from the build.
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build, root, runBuilt } from './swc-build.mjs';

// BENCH_BUILD_DIR lets two runs from one tree keep their builds apart.
const out = resolve(root, process.env.BENCH_BUILD_DIR ?? join('.cache', 'bench-build'));
const started = Date.now();
const count = await build(out, 'bench/src');
console.log(`bench: built ${count} files in ${Date.now() - started} ms`);
statSync(join(out, 'bench/src/main.js'));
runBuilt(['--expose-gc', join(out, 'bench/src/main.js')], { ...process.env, BENCH_BUILD_DIR: out });
