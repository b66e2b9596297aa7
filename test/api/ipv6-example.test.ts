import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { TEST_KEY, startServer } from '../helpers/server.ts';

test('examples/ipv6-dual-stack.mjs: an IPv6 VPC, vSwitch, instance and ENI with the official SDKs, read back from the metadata service, with real delays', async () => {
  const server = await startServer({ args: ['--delays', 'none,vpcCreate=200,vswitchCreate=200,eniAttach=300,instanceCreate=200,instanceStart=200'] });
  try {
    const run = spawnSync(process.execPath, ['examples/ipv6-dual-stack.mjs'], {
      env: {
        ...process.env,
        ENIPLANE_ENDPOINT: server.endpoint,
        ENIPLANE_METADATA: server.metadataUrl,
        ALIBABA_CLOUD_ACCESS_KEY_ID: TEST_KEY.accessKeyId,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: TEST_KEY.accessKeySecret,
      },
      encoding: 'utf8',
      timeout: 90_000,
    });
    assert.equal(run.status, 0, run.stderr + run.stdout);
    assert.match(run.stdout, /VPC vpc-\S+ 2001:db8:[0-9a-f:]+\/56, vSwitch vsw-\S+ 2001:db8:[0-9a-f:]+\/64, instance i-\S+/);
    const m = /ENI eni-\S+: IPv6 (\S+) (\S+); prefix (\S+\/80); added (\S+)/.exec(run.stdout);
    assert.ok(m, run.stdout);
    assert.ok([m[1], m[2]].includes(m[4]), 'the added address is among the two the ENI holds');
    const md = /metadata ipv6s \[(\S+)\], ipv6-gateway (\S+), vswitch-ipv6-cidr-block (\S+\/64), ipv6-prefixes \[(\S+)\]/.exec(run.stdout);
    assert.ok(md, run.stdout);
    assert.deepEqual(md[1]!.split(',').sort(), [m[1], m[2]].sort());
    assert.match(md[2]!, /:ffff:ffff:ffff:fff7$/);
    assert.equal(md[4], m[3]);
  } finally {
    await server.stop();
  }
});
