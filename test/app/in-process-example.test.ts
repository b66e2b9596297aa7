/**
 * examples/in-process.ts runs as the README shows it: the seed flow through invoke, no HTTP.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';

test('examples/in-process.ts: the seed flow through invoke, and a refusal with the cloud code', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'examples/in-process.ts'], { timeout: 60_000 });
  const [attached, refused] = stdout.trim().split('\n');
  assert.match(attached ?? '', /^eni-bp1[a-z0-9]{17} InUse on i-bp1[a-z0-9]{17}: 192\.168\.1\.\d+ \(primary\), 192\.168\.1\.\d+, 192\.168\.1\.\d+$/);
  assert.equal(refused, 'refused as the cloud refuses it: 404 InvalidEcsId.NotFound');
});
