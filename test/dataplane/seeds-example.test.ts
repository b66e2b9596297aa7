import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../helpers/cli.ts';
import { runExample } from '../helpers/run-example.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { netnsSkip, ownPrefix, SERVER_ARGS } from './kit.ts';

// examples/dataplane-seeds.ts, run as a user would against a server with --dataplane netns and
// real delays (Attaching, Detaching, a stop that takes time): the seeds' hot-plug, guest
// configuration and failover, with real packets. Root and ip netns; a failure in CI without them.

ownPrefix('ex-');
const skip = netnsSkip();

describe('examples/dataplane-seeds.ts', { skip }, () => {
  let server: RunningServer | undefined;
  before(async () => {
    server = await startServer({
      args: [...SERVER_ARGS, '--delays', 'none,vpcCreate=200,vswitchCreate=200,instanceCreate=300,instanceStop=500,eniAttach=300,eniDetach=300'],
    });
  });
  after(async () => {
    await server?.dispose();
    runCli(['dataplane', 'down']);
  });

  test('the seeds with real packets: the hot-plugged NIC in `ip a`, configured by guest apply, serving; failover to the standby', async () => {
    const run = await runExample('examples/dataplane-seeds.ts', server!.endpoint, { ENIPLANE_METADATA: server!.metadataUrl }, 150_000);
    assert.equal(run.status, 0, run.stderr + run.stdout);
    const ids = /instances: service (i-\S+), standby (i-\S+), client (i-\S+)/.exec(run.stdout);
    assert.ok(ids, run.stdout);
    const [, service, standby] = ids;
    // Step 1 of the seeds: the new NIC, with the ENI's MAC, down and without an address.
    const eni = /ENI eni-\S+ \((\S+), (\S+)\) bound to/.exec(run.stdout);
    assert.ok(eni, run.stdout);
    const nic = new RegExp(`\\d+: (eth1)@\\S+: <[^>]*> [^\\n]*state DOWN[^\\n]*\\n\\s+link/ether ${eni[1]}`).exec(run.stdout);
    assert.ok(nic, `eth1 down with the ENI's MAC in:\n${run.stdout}`);
    assert.match(run.stdout, new RegExp(`the client asks ${eni[2]!.replace(/\./g, '\\.')}:8000: answered by ${service}`));
    assert.match(run.stdout, /the service instance is stopped: the client asks \S+: (timeout|EHOSTUNREACH|ECONNREFUSED)/);
    assert.match(run.stdout, new RegExp(`failover done: the client asks \\S+: answered by ${standby}`));
  });
});
