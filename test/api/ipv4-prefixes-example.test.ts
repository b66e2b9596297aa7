import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { TEST_KEY, startServer } from '../helpers/server.ts';

test('README "IPv4 prefixes": examples/ipv4-prefixes.ts creates, assigns, lists and gives back /28 prefixes, each holding 16 addresses', async () => {
  const server = await startServer({ args: ['--delays', 'realistic,vpcCreate=300,vswitchCreate=300'] });
  try {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'examples/ipv4-prefixes.ts'], {
      env: {
        ...process.env,
        ENIPLANE_ENDPOINT: server.endpoint,
        ALIBABA_CLOUD_ACCESS_KEY_ID: TEST_KEY.accessKeyId,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: TEST_KEY.accessKeySecret,
      },
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(run.status, 0, run.stderr);
    const lines = run.stdout.trim().split('\n');
    assert.match(lines[0]!, /^vSwitch vsw-\S+ \(192\.168\.1\.0\/24\): 252 free addresses$/);
    assert.match(lines[1]!, /^created eni-\S+ with 192\.168\.1\.\d+ and prefixes 192\.168\.1\.\d+\/28, 192\.168\.1\.\d+\/28$/);
    assert.match(lines[2]!, /^assigned 192\.168\.1\.(224|208|192|176)\/28$/);
    assert.equal(lines[3], '192.168.1.17/28 refused: 400 InvalidParameter');
    assert.equal(lines[4], 'DescribeNetworkInterfaces: 3 prefixes; vSwitch: 203 free addresses');
    assert.match(lines[5]!, /^unassigned 192\.168\.1\.\d+\/28; vSwitch: 219 free addresses$/);
  } finally {
    await server.dispose();
  }
});
