/**
 * Summarise V8 CPU profiles (the `.cpuprofile` files `--profile DIR` makes the bench servers write):
 * the functions with the most self time, and with the most inclusive time, over all files given.
 *
 *   node --import tsx bench/tools/profile-summary.ts DIR_OR_FILES... [--top 40] [--match src/]
 *
 * Why not Chrome's DevTools: the bench machines are headless, and what we want from a profile
 * is a ranked list to paste into BENCHMARKS.md, not a flame graph.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '40' }, match: { type: 'string', default: '' } },
});

function profileFiles(paths: string[]): string[] {
  return paths.flatMap((path) =>
    statSync(path).isDirectory()
      ? readdirSync(path)
          .filter((name) => name.endsWith('.cpuprofile'))
          .map((name) => join(path, name))
      : [path],
  );
}

function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? `${relative(process.cwd(), url.replace(/^file:\/\//, ''))}:${lineNumber + 1}` : '';
  return `${functionName || '(anonymous)'} ${where}`.trim();
}

const self = new Map<string, number>();
const inclusive = new Map<string, number>();
let total = 0;

for (const file of profileFiles(positionals)) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const sampleTime = new Map<number, number>();
  profile.samples.forEach((id, i) => sampleTime.set(id, (sampleTime.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  for (const [id, micros] of sampleTime) {
    const node = byId.get(id)!;
    total += micros;
    self.set(frameName(node), (self.get(frameName(node)) ?? 0) + micros);
    // Inclusive: count each distinct frame once per stack (recursion must not count twice).
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = frameName(byId.get(at)!);
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + micros);
    }
  }
}

const top = Number(values.top);
const filter = (name: string) => name.includes(values.match ?? '');
const print = (title: string, table: Map<string, number>) => {
  console.log(`\n${title} (of ${(total / 1000).toFixed(0)} ms sampled)`);
  [...table]
    .filter(([name]) => filter(name))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .forEach(([name, micros]) => console.log(`${((100 * micros) / total).toFixed(1).padStart(5)}%  ${name}`));
};
print('self time', self);
print('inclusive time', inclusive);
