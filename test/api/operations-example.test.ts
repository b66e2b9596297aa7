import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runExample } from '../helpers/run-example.ts';
import { startServer } from '../helpers/server.ts';
import { selfSignedCertificate } from '../helpers/tls.ts';

test('examples/operations.mjs: probes, SDK calls, then the metrics read back (plain HTTP, and HTTPS with the CA)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'eniplane-ops-example-'));
  const { cert, key } = selfSignedCertificate(dir);
  try {
    for (const tls of [false, true]) {
      const server = await startServer({ args: ['--replica-id', 'example-replica', ...(tls ? ['--tls-cert', cert, '--tls-key', key] : [])] });
      try {
        const run = await runExample('examples/operations.mjs', server.endpoint, tls ? { ENIPLANE_CA: cert } : {}, 60_000);
        assert.equal(run.status, 0, run.stderr + run.stdout);
        assert.match(run.stdout, /^GET \/healthz: 200 \{"status":"ok"\}$/m);
        assert.match(run.stdout, /^GET \/readyz: 200 \{"status":"ready","store":"(sqlite|postgres)"\}$/m);
        assert.match(run.stdout, /^a refused call: InvalidRegionId\.NotFound$/m);
        assert.match(run.stdout, /^replica example-replica \(store (sqlite|postgres), eniplane \d+\.\d+\.\d+\)$/m);
        assert.match(run.stdout, /^requests Ecs DescribeRegions OK HTTP 200: 20$/m);
        assert.match(run.stdout, /^requests Ecs DescribeNetworkInterfaces InvalidRegionId\.NotFound HTTP 404: 1$/m);
        assert.match(run.stdout, /^requests Ecs DescribeNetworkInterfaces OK HTTP 200: 1$/m);
        assert.match(run.stdout, /^DescribeRegions: p99 ≤ [\d.e-]+ s$/m);
        assert.match(run.stdout, /^store read commit: \d+, [\d.]+ ms on average$/m);
        assert.match(run.stdout, /^table client_tokens: 0 rows$/m);
        assert.match(run.stdout, /^in flight: nothing$/m);
      } finally {
        await server.dispose();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
