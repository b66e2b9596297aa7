import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { desiredState } from '../dataplane/desired.ts';
import { diff } from '../dataplane/diff.ts';
import { INTERNET_CLIENT_IP } from '../dataplane/desired-internet.ts';
import { appliedEipNatDigest } from '../dataplane/eip-nat-filter.ts';
import { compileEipNat, eipNatDigest } from '../dataplane/eip-nat.ts';
import { instanceNamespace, internetNamespace } from '../dataplane/names.ts';
import { listOwnNamespaces, observe, run } from '../dataplane/observed.ts';
import { dataplaneRefusal } from '../dataplane/reconciler.ts';
import { readSnapshot } from '../dataplane/snapshot.ts';
import { systemClock } from '../lib/clock.ts';
import { migrateToLatest, openStore } from '../store/db.ts';
import { addStoreOptions, storeOpenOptions, storeTarget, type StoreOptions } from './store-options.ts';

function requireRoot(): void {
  const refusal = dataplaneRefusal();
  if (refusal) throw new Error(refusal);
}

/** `eniplane dataplane …`: look into and clean up what `serve --dataplane netns` made. */
export function registerDataplane(program: Command): void {
  const dp = program.command('dataplane').description('the netns data plane: run commands inside an instance, show what exists, remove it all');

  dp.command('exec')
    .description(
      'run a command inside an instance\'s network namespace (the seeds\' "connect to the instance"), e.g. dataplane exec i-… -- ip a; ' +
        `or with --internet in the namespace that stands for the internet, whose client address ${INTERNET_CLIENT_IP} reaches the associated EIPs`,
    )
    .option('--internet', 'run in the internet namespace (no instance ID)')
    .argument('[instance-id]', 'instance ID (not with --internet)')
    .argument('[command...]', 'the command and its arguments (after --)')
    .action(async (first: string | undefined, rest: string[], opts: { internet?: boolean }) => {
      requireRoot();
      const instanceId = opts.internet ? undefined : first;
      const command = opts.internet ? [...(first === undefined ? [] : [first]), ...rest] : rest;
      if (!opts.internet && instanceId === undefined) throw new Error('an instance ID, or --internet');
      if (command.length === 0) throw new Error('no command: dataplane exec INSTANCE_ID -- CMD…, or dataplane exec --internet -- CMD…');
      const ns = instanceId === undefined ? internetNamespace() : instanceNamespace(instanceId);
      if (!(await listOwnNamespaces(true)).includes(ns)) {
        throw new Error(
          instanceId === undefined
            ? `no namespace ${ns}: is a server running with --dataplane netns?`
            : `no namespace ${ns}: is the instance live, and a server running with --dataplane netns?`,
        );
      }
      const child = spawn('ip', ['netns', 'exec', ns, ...command], { stdio: 'inherit' });
      const code = await new Promise<number>((resolve) => {
        child.on('error', () => resolve(127));
        child.on('close', (c, signal) => resolve(c ?? (signal ? 128 : 1)));
      });
      process.exit(code);
    });

  addStoreOptions(dp.command('status').description('what exists on this machine, and whether it matches the store')).action(async (opts: StoreOptions) => {
    requireRoot();
    const store = await openStore(storeTarget(opts), storeOpenOptions());
    try {
      await migrateToLatest(store);
      const desired = desiredState(await readSnapshot(store, systemClock.now()));
      const observed = await observe(new Set(desired.vpcs.map((v) => v.ns)), new Set(desired.instances.map((i) => i.ns)));
      for (const vpc of desired.vpcs) {
        const here = observed.namespaces.has(vpc.ns) ? 'present' : 'missing';
        console.log(`${vpc.ns}  router of ${vpc.vpcId}: ${here}, ${vpc.ports.length} ENI(s), gateways ${vpc.gateways.join(' ') || '-'}`);
        if (!observed.namespaces.has(vpc.ns)) continue;
        // The NAT table is applied outside the commands (eip-nat-filter.ts): compared by digest.
        const nat = (await appliedEipNatDigest(vpc.ns).catch(() => undefined)) === eipNatDigest(compileEipNat(vpc));
        console.log(`  EIP NAT (${vpc.nat.length} address(es)): ${nat ? 'in place' : 'not in place (the reconciler applies it)'}`);
        if (!nat) process.exitCode = 3;
      }
      const net = desired.internet;
      console.log(
        `${net.ns}  the internet, client ${INTERNET_CLIENT_IP}: ${observed.namespaces.has(net.ns) ? 'present' : 'missing'}, linked to ${net.links.length} VPC router(s)`,
      );
      for (const vpc of desired.vpcs) {
        for (const n of vpc.nat) console.log(`  ${n.publicIp}/32 → ${vpc.vpcId} → ${n.privateIp}  (${n.kind === 'eip' ? 'EIP' : 'public IP of'} ${n.owner})`);
      }
      for (const inst of desired.instances) {
        const here = observed.namespaces.has(inst.ns) ? 'present' : 'missing';
        const links = inst.links.map((l) => `${l.name}=${l.eniId}(${l.mode})`).join(' ');
        console.log(`${inst.ns}  ${inst.running ? 'running' : 'not running'}: ${here}; ${links || 'no ENI'}`);
      }
      const wanted = new Set([...desired.vpcs.map((v) => v.ns), ...desired.instances.map((i) => i.ns), desired.internet.ns]);
      for (const ns of observed.namespaces) if (!wanted.has(ns)) console.log(`${ns}  stray (the reconciler removes it)`);
      const pending = diff(desired, observed);
      if (pending.length === 0) {
        console.log('in sync with the store');
      } else {
        console.log(`${pending.length} command(s) from the store's state:`);
        for (const c of pending) console.log(`  ${c.argv.join(' ')}    # ${c.why}`);
        process.exitCode = 3;
      }
    } finally {
      await store.close();
    }
  });

  dp.command('down')
    .description(
      'remove every namespace the data plane made (prefix ep-, or ENIPLANE_DATAPLANE_PREFIX), and with them its links; stop the server first, or it makes them again',
    )
    .action(async () => {
      requireRoot();
      const namespaces = await listOwnNamespaces(true);
      let failed = 0;
      for (const ns of namespaces) {
        const r = await run(['ip', 'netns', 'del', ns]);
        if (r.code !== 0) {
          failed++;
          console.error(`ip netns del ${ns}: ${r.stderr.trim()}`);
        }
      }
      console.log(`removed ${namespaces.length - failed} namespace(s)`);
      if (failed) process.exitCode = 1;
    });
}
