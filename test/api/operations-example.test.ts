import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { TEST_KEY, startServer } from '../helpers/server.ts';

function runExample(endpoint: string, env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['examples/operations.mjs'], {
      env: {
        ...process.env,
        ENIPLANE_ENDPOINT: endpoint,
        ALIBABA_CLOUD_ACCESS_KEY_ID: TEST_KEY.accessKeyId,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: TEST_KEY.accessKeySecret,
        ...env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill(), 60_000);
    child.on('exit', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

test('examples/operations.mjs: probes, SDK calls, then the metrics read back (plain HTTP, and HTTPS with the CA)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'eniplane-ops-example-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=eniplane example',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  try {
    for (const tls of [false, true]) {
      const server = await startServer({ args: ['--replica-id', 'example-replica', ...(tls ? ['--tls-cert', cert, '--tls-key', key] : [])] });
      try {
        const run = await runExample(server.endpoint, tls ? { ENIPLANE_CA: cert } : {});
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
