// `node bench/insight-bench.mjs [--ideas=10000]` (add DATABASE_URL=… for PostgreSQL): times the
// S3 routes `similar` and `overview` on a generated data set, from an swc build of its own.
import { join } from 'node:path';
import { build, root, runBuilt } from './swc-build.mjs';

const out = join(root, '.cache', 'insight-bench-build');
await build(out, 'bench/insight');
runBuilt([join(out, 'bench/insight/insight-bench.js')]);
