import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LoadGenerator, scenario } from '../harness/loadgen.ts';
import { progressLine } from '../harness/report.ts';
import { SIGNED_NOOP } from '../harness/scenario.ts';
import { runMain, startEniplane, installDeadline } from '../harness/server.ts';
async function main() {
  installDeadline(200_000, 'scrape-ab');
  const server = await startEniplane({ name: 'on', storeArgs: ['--data-dir', mkdtempSync(join(tmpdir(), 'sab-'))], extraArgs: ['--metrics', 'on'], ...(process.argv[2] ? { profileDir: process.argv[2] } : {}) });
  const loadgen = new LoadGenerator();
  const pace = { concurrency: 32, warmupMs: 500, durationMs: 3000 };
  for (let r = 0; r < 3; r++) {
    for (const scrape of [0, 1000, 200]) {
      const times: number[] = [];
      let stop = false;
      const loop = (async () => { while (!stop && scrape > 0) { await new Promise((x) => setTimeout(x, scrape)); const t = performance.now(); const res = await fetch(`http://127.0.0.1:${server.port}/metrics`); await res.text(); times.push(performance.now() - t); } })();
      const m = await loadgen.run(scenario('noop', [server.port], pace, SIGNED_NOOP), { server: [server.child.pid!] });
      stop = true; await loop;
      console.log(progressLine(`scrape every ${scrape} ms (${times.length} scrapes, ${times.map((t) => t.toFixed(0)).join(' ')})`, m));
    }
  }
  loadgen.close();
  await server.stop();
}
runMain('scrape-ab', main);
