/**
 * Where a server's time went: `node .cache/bench-build/bench/src/tools/cpu-profile.js <file>`
 * sums a V8 .cpuprofile's self time by package (or project folder) and lists the top functions.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

const file = process.argv[2];
const profile = JSON.parse(readFileSync(file, 'utf8')) as {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
};
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map<number, number>();
profile.samples.forEach((id, i) =>
  self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)),
);
const total = [...self.values()].reduce((a, b) => a + b, 0);

function area(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const project = /bench-build\/((?:libs|apps)\/[^/]+|bench)/.exec(url);
  if (project) return project[1];
  if (url.startsWith('node:')) return url;
  return url;
}

const areas = new Map<string, number>();
const functions = new Map<string, number>();
for (const [id, us] of self) {
  const { callFrame } = byId.get(id)!;
  const key = area(callFrame.url, callFrame.functionName);
  areas.set(key, (areas.get(key) ?? 0) + us);
  const fn = `${callFrame.functionName || '(anonymous)'} ${key}:${callFrame.lineNumber + 1}`;
  functions.set(fn, (functions.get(fn) ?? 0) + us);
}
const pct = (us: number) => `${((us / total) * 100).toFixed(1)}%`;
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled`);
console.log('\nself time by area:');
for (const [key, us] of [...areas].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
  console.log(`  ${pct(us).padStart(6)}  ${key}`);
}
console.log('\ntop functions:');
for (const [key, us] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
  console.log(`  ${pct(us).padStart(6)}  ${key}`);
}
