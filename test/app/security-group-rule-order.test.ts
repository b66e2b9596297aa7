/**
 * A group's rules list in the order they were added, call after call, whatever the wall clock
 * does: calls within one millisecond, or a clock stepped back (NTP on a CI machine), once let a
 * later call's rules sort among an earlier call's by random rule ID. In process, on a clock the
 * test sets.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createInvoker } from '../../src/api/invoke.ts';
import { defaultServerConfig, parseDelays } from '../../src/config.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { seededRandom } from '../../src/lib/random.ts';
import { createAccount } from '../../src/services/accounts.ts';
import { migrateToLatest, openStore } from '../../src/store/db.ts';

test('AuthorizeSecurityGroup(Egress): rules list in call order when calls share a millisecond or the clock steps back', async () => {
  const store = await openStore({ kind: 'memory' }, { checkQueries: true });
  try {
    await migrateToLatest(store);
    const caller = { accountId: (await createAccount(store, 'rule-order', systemClock, seededRandom('ro'))).accountId };
    let now = Date.UTC(2026, 11, 7, 9, 0, 0);
    const api = createInvoker({
      store,
      settings: { ...defaultServerConfig, delays: parseDelays('none'), checkResults: true },
      clock: { now: () => now },
      random: seededRandom('rule-order-calls'),
    });
    const region = { RegionId: 'cn-hangzhou' };
    const { body: vpc } = await api.invoke('Vpc', 'CreateVpc', { ...region, CidrBlock: '192.168.0.0/16' }, caller);
    const { body: sg } = await api.invoke('Ecs', 'CreateSecurityGroup', { ...region, VpcId: vpc.VpcId }, caller);
    const group = { ...region, SecurityGroupId: sg.SecurityGroupId };
    const tcp = (port: number, cidr = '10.0.0.0/8') => ({ IpProtocol: 'tcp', PortRange: `${port}/${port}`, SourceCidrIp: cidr });

    await api.invoke('Ecs', 'AuthorizeSecurityGroup', { ...group, Permissions: [tcp(22), tcp(80), tcp(443)] }, caller);
    // The same millisecond, then a clock a minute behind.
    await api.invoke(
      'Ecs',
      'AuthorizeSecurityGroupEgress',
      { ...group, Permissions: [{ IpProtocol: 'tcp', PortRange: '53/53', DestCidrIp: '0.0.0.0/0' }] },
      caller,
    );
    now -= 60_000;
    await api.invoke('Ecs', 'AuthorizeSecurityGroup', { ...group, Permissions: [tcp(8080), tcp(8443)] }, caller);

    const { body } = await api.invoke('Ecs', 'DescribeSecurityGroupAttribute', group, caller);
    const listed = (body.Permissions as { Permission: { Direction: string; PortRange: string }[] }).Permission.map((p) => `${p.Direction} ${p.PortRange}`);
    assert.deepEqual(listed, ['ingress 22/22', 'ingress 80/80', 'ingress 443/443', 'egress 53/53', 'ingress 8080/8080', 'ingress 8443/8443']);
  } finally {
    await store.close();
  }
});
