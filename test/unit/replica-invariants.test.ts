import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkInvariants, type Acks, type ApiView, type InstanceTypeLimits, type Snapshot } from '../../src/store/check/invariants.ts';

/**
 * The invariant checker (src/store/check/invariants.ts) must be able to fail: a sound state passes,
 * and each corruption below is reported by name.
 */
const TYPES = new Map<string, InstanceTypeLimits>([['t.small', { eniQuantity: 2, ipsPerEni: 6 }]]);

interface World {
  snapshot: Snapshot;
  api: ApiView;
  acks: Acks;
}

/** One /28 vSwitch (12 usable addresses), an instance with its primary ENI and one attached secondary ENI made with a ClientToken. */
function sound(): World {
  const ip = (n: number) => ({ vswitchId: 'vsw-1', addressInt: 0x0a000000 + n, address: `10.0.0.${n}` });
  return {
    snapshot: {
      accounts: [{ id: 'a1', name: 'root' }],
      vswitches: [{ id: 'vsw-1', cidr: '10.0.0.0/28', capacity: 12, used: 2 }],
      freeRanges: [{ vswitchId: 'vsw-1', first: 0x0a000003, last: 0x0a00000c }],
      privateIps: [
        { ...ip(1), eniId: 'eni-a' },
        { ...ip(2), eniId: 'eni-p' },
      ],
      enis: [
        { id: 'eni-a', accountId: 'a1', mac: '00:16:3e:00:00:01', type: 'Secondary', status: 'InUse', instanceId: 'i-1', vswitchId: 'vsw-1', name: 'tok-1' },
        { id: 'eni-p', accountId: 'a1', mac: '00:16:3e:00:00:02', type: 'Primary', status: 'InUse', instanceId: 'i-1', vswitchId: 'vsw-1', name: '' },
      ],
      instances: [{ id: 'i-1', instanceType: 't.small' }],
      eniGroups: [
        { eniId: 'eni-a', groupId: 'sg-1' },
        { eniId: 'eni-p', groupId: 'sg-1' },
      ],
      groups: [{ id: 'sg-1', accountId: 'a1', type: 'normal' }],
      vpcs: [{ id: 'vpc-1', accountId: 'a1' }],
      clientTokens: [{ action: 'CreateNetworkInterface', token: 't1', response: '{"NetworkInterfaceId":"eni-a"}' }],
    },
    api: {
      enis: [
        { id: 'eni-a', status: 'InUse', instanceId: 'i-1', ips: ['10.0.0.1'], mac: '00:16:3e:00:00:01' },
        { id: 'eni-p', status: 'InUse', instanceId: 'i-1', ips: ['10.0.0.2'], mac: '00:16:3e:00:00:02' },
      ],
      instances: [{ id: 'i-1', eniIds: ['eni-p', 'eni-a'] }],
      vswitches: [{ id: 'vsw-1', available: 10 }],
    },
    acks: {
      createdEnis: [{ eniId: 'eni-a', ips: ['10.0.0.1'] }],
      assignedIps: [],
      attached: [{ eniId: 'eni-a', instanceId: 'i-1' }],
      createdVpcs: ['vpc-1'],
      createdGroups: ['sg-1'],
      tokenCalls: [
        { token: 't1', name: 'tok-1', variant: 'a', eniId: 'eni-a' },
        { token: 't1', name: 'tok-1', variant: 'a', eniId: 'eni-a' },
        { token: 't1', name: 'tok-1', variant: 'b', code: 'IdempotentParameterMismatch' },
      ],
      nonceTrials: [
        {
          nonce: 'n1',
          answers: [
            { status: 200, code: '' },
            { status: 400, code: 'SignatureNonceUsed' },
          ],
        },
      ],
      serverErrors: [],
      unknown: [{ label: 'AssignPrivateIpAddresses', replica: 2, error: 'ECONNRESET' }],
      killedReplicas: [2],
    },
  };
}

function violationsOf(corrupt: (w: World) => void): string[] {
  const w = sound();
  corrupt(w);
  return checkInvariants({ ...w, types: TYPES });
}

function assertReported(corrupt: (w: World) => void, pattern: RegExp): void {
  const found = violationsOf(corrupt);
  assert.ok(
    found.some((v) => pattern.test(v)),
    `expected a violation matching ${pattern}, got:\n  ${found.join('\n  ') || '(none)'}`,
  );
}

test('replica checker: a sound state has no violations', () => {
  assert.deepEqual(checkInvariants({ ...sound(), types: TYPES }), []);
});

test('replica checker: an address given twice in a vSwitch', () => {
  assertReported((w) => {
    w.snapshot.privateIps.push({ vswitchId: 'vsw-1', addressInt: 0x0a000001, address: '10.0.0.1', eniId: 'eni-p' });
  }, /address given 2 times: vsw-1 10\.0\.0\.1/);
});

test('replica checker: an address both allocated and free, and counters that disagree', () => {
  assertReported((w) => (w.snapshot.freeRanges[0]!.first = 0x0a000002), /10\.0\.0\.2 of vsw-1 is both allocated and free/);
  assertReported((w) => (w.snapshot.vswitches[0]!.used = 3), /used counter 3, but 2 addresses are allocated/);
  assertReported((w) => (w.api.vswitches[0]!.available = 11), /AvailableIpAddressCount 11, but 10 addresses are free/);
});

test('replica checker: an address listed on two ENIs, a Deleting one included', () => {
  assertReported((w) => {
    w.snapshot.enis.push({
      id: 'eni-d',
      accountId: 'a1',
      mac: '00:16:3e:00:00:03',
      type: 'Secondary',
      status: 'Deleting',
      instanceId: null,
      vswitchId: 'vsw-1',
      name: '',
    });
    w.api.enis.push({ id: 'eni-d', status: 'Deleting', instanceId: '', ips: ['10.0.0.1'], mac: '00:16:3e:00:00:03' });
  }, /address 10\.0\.0\.1 is listed on 2 ENIs: eni-a, eni-d/);
  // A Deleting ENI that lost its addresses before it is gone is reported too.
  assertReported((w) => {
    w.snapshot.enis.push({
      id: 'eni-d',
      accountId: 'a1',
      mac: '00:16:3e:00:00:03',
      type: 'Secondary',
      status: 'Deleting',
      instanceId: null,
      vswitchId: 'vsw-1',
      name: '',
    });
    w.api.enis.push({ id: 'eni-d', status: 'Deleting', instanceId: '', ips: [], mac: '00:16:3e:00:00:03' });
  }, /ENI eni-d \(Deleting\) holds no address/);
});

test('replica checker: a gone ENI awaiting its purge still holds its address, free to readers; a vanished one does not', () => {
  const gone = (w: World) => {
    w.snapshot.privateIps.push({ vswitchId: 'vsw-1', addressInt: 0x0a000003, address: '10.0.0.3', eniId: 'eni-g' });
    w.snapshot.vswitches[0]!.used = 3;
    w.snapshot.freeRanges = [{ vswitchId: 'vsw-1', first: 0x0a000004, last: 0x0a00000c }];
  };
  assert.deepEqual(
    violationsOf((w) => {
      gone(w);
      w.snapshot.releasing = [{ eniId: 'eni-g', vswitchId: 'vsw-1' }];
    }),
    [],
  );
  assertReported((w) => {
    gone(w);
    w.snapshot.releasing = [{ eniId: 'eni-g', vswitchId: 'vsw-1' }];
    w.api.vswitches[0]!.available = 9;
  }, /AvailableIpAddressCount 9, but 10 addresses are free/);
  assertReported(gone, /address 10\.0\.0\.3 held by ENI eni-g, which does not exist/);
});

test('replica checker: a MAC twice', () => {
  assertReported((w) => (w.snapshot.enis[1]!.mac = '00:16:3e:00:00:01'), /MAC 00:16:3e:00:00:01 on 2 ENIs/);
});

test("replica checker: an instance over its type's ENI quota", () => {
  assertReported((w) => {
    w.snapshot.enis.push({
      id: 'eni-b',
      accountId: 'a1',
      mac: '00:16:3e:00:00:03',
      type: 'Secondary',
      status: 'Attaching',
      instanceId: 'i-1',
      vswitchId: 'vsw-1',
      name: '',
    });
    w.snapshot.privateIps.push({ vswitchId: 'vsw-1', addressInt: 0x0a000003, address: '10.0.0.3', eniId: 'eni-b' });
  }, /instance i-1 \(t\.small\) holds 3 ENIs, its type allows 2/);
});

test('replica checker: an ENI over its address limit', () => {
  assertReported((w) => {
    for (let n = 3; n <= 8; n++) w.snapshot.privateIps.push({ vswitchId: 'vsw-1', addressInt: 0x0a000000 + n, address: `10.0.0.${n}`, eniId: 'eni-a' });
  }, /ENI eni-a \(InUse\) holds 7 addresses, its limit is 6/);
});

test('replica checker: a security group over 2,000 addresses', () => {
  assertReported((w) => {
    w.snapshot.vswitches.push({ id: 'vsw-2', cidr: '10.1.0.0/20', capacity: 4092, used: 2000 });
    for (let e = 0; e < 200; e++) {
      w.snapshot.enis.push({
        id: `eni-g${e}`,
        accountId: 'a1',
        mac: `m${e}`,
        type: 'Secondary',
        status: 'Available',
        instanceId: null,
        vswitchId: 'vsw-2',
        name: '',
      });
      w.snapshot.eniGroups.push({ eniId: `eni-g${e}`, groupId: 'sg-1' });
      for (let k = 0; k < 10; k++) {
        const n = e * 10 + k + 1;
        w.snapshot.privateIps.push({ vswitchId: 'vsw-2', addressInt: 0x0a010000 + n, address: `10.1.${n >> 8}.${n & 255}`, eniId: `eni-g${e}` });
      }
    }
  }, /security group sg-1 holds 2002 addresses, its limit is 2000/);
});

test('replica checker: an ENI on two instances, or seen differently by the instance', () => {
  assertReported((w) => w.api.instances.push({ id: 'i-2', eniIds: ['eni-a'] }), /ENI eni-a is listed on 2 instances: i-1, i-2/);
  assertReported((w) => (w.api.instances[0]!.eniIds = ['eni-p']), /ENI eni-a says instance i-1, which does not list it/);
  assertReported((w) => (w.api.enis[0]!.instanceId = ''), /ENI eni-a: the API shows instance "", the database "i-1"/);
});

test('replica checker: a ClientToken that created two resources, or answered differently', () => {
  assertReported((w) => {
    w.snapshot.enis.push({
      id: 'eni-t',
      accountId: 'a1',
      mac: '00:16:3e:00:00:09',
      type: 'Secondary',
      status: 'Available',
      instanceId: null,
      vswitchId: 'vsw-1',
      name: 'tok-1',
    });
    w.snapshot.privateIps.push({ vswitchId: 'vsw-1', addressInt: 0x0a000009, address: '10.0.0.9', eniId: 'eni-t' });
  }, /ClientToken t1 created 2 ENIs/);
  assertReported((w) => w.acks.tokenCalls.push({ token: 't1', name: 'tok-1', variant: 'a', eniId: 'eni-x' }), /ClientToken t1 answered with different ENIs/);
  assertReported((w) => (w.acks.tokenCalls[2]!.eniId = 'eni-a'), /ClientToken t1 succeeded with different parameters/);
});

test('replica checker: a replayed nonce accepted twice', () => {
  assertReported((w) => (w.acks.nonceTrials[0]!.answers[1] = { status: 200, code: '' }), /nonce n1: 2 copies accepted, expected exactly 1/);
});

test('replica checker: an acknowledged write that is not there', () => {
  assertReported((w) => w.acks.createdEnis.push({ eniId: 'eni-lost', ips: [] }), /acknowledged ENI eni-lost does not exist/);
  assertReported((w) => w.acks.assignedIps.push({ eniId: 'eni-a', ips: ['10.0.0.5'] }), /acknowledged assignment of 10\.0\.0\.5 to eni-a is not there/);
  assertReported((w) => w.acks.attached.push({ eniId: 'eni-p', instanceId: 'i-2' }), /acknowledged attachment of eni-p to i-2 does not hold/);
  assertReported((w) => w.acks.createdVpcs.push('vpc-lost'), /acknowledged VPC vpc-lost does not exist/);
});

test('replica checker: quotas and account names', () => {
  assertReported((w) => {
    for (let i = 2; i <= 11; i++) w.snapshot.vpcs.push({ id: `vpc-${i}`, accountId: 'a1' });
  }, /account a1 has 11 VPCs, the quota is 10/);
  assertReported((w) => w.snapshot.accounts.push({ id: 'a2', name: 'root' }), /2 accounts named root/);
});

test('replica checker: quotas count per account and region, and follow the quotas given (serve --quotas)', () => {
  const elevenVpcs = (regionOf: (i: number) => string) => (w: World) => {
    w.snapshot.vpcs[0]!.regionId = 'cn-hangzhou';
    for (let i = 2; i <= 11; i++) w.snapshot.vpcs.push({ id: `vpc-${i}`, accountId: 'a1', regionId: regionOf(i) });
  };
  assert.deepEqual(violationsOf(elevenVpcs((i) => (i % 2 ? 'cn-beijing' : 'cn-hangzhou'))), []);
  assertReported(
    elevenVpcs(() => 'cn-hangzhou'),
    /account a1 in cn-hangzhou has 11 VPCs, the quota is 10/,
  );
  const w = sound();
  elevenVpcs(() => 'cn-hangzhou')(w);
  assert.deepEqual(checkInvariants({ ...w, types: TYPES, quotas: { vpcsPerRegion: 20 } }), []);
});

test('invariant checker, the database alone (db check): no API view and no acknowledgements; what the database shows is still checked', () => {
  const { snapshot } = sound();
  assert.deepEqual(checkInvariants({ snapshot, types: TYPES }), []);
  const corrupt = sound().snapshot;
  corrupt.vswitches[0]!.used = 3;
  corrupt.enis[1]!.mac = corrupt.enis[0]!.mac;
  const found = checkInvariants({ snapshot: corrupt, types: TYPES });
  assert.ok(
    found.some((v) => /used counter 3, but 2 addresses are allocated/.test(v)),
    found.join('\n'),
  );
  assert.ok(
    found.some((v) => /MAC 00:16:3e:00:00:01 on 2 ENIs/.test(v)),
    found.join('\n'),
  );
});

test('replica checker: a 500, and a call unanswered by a live replica', () => {
  assertReported(
    (w) => w.acks.serverErrors.push({ label: 'CreateNetworkInterface', status: 500, code: 'InternalError' }),
    /CreateNetworkInterface answered HTTP 500 InternalError/,
  );
  assertReported((w) => (w.acks.unknown[0]!.replica = 0), /on live replica 0 got no answer/);
});

/** The sound world plus a /26 vSwitch (60 usable addresses) with an Available ENI holding 10.2.0.1 and the prefix 10.2.0.16/28. */
function withPrefix(w: World): void {
  const base = 0x0a020000;
  w.snapshot.vswitches.push({ id: 'vsw-p', cidr: '10.2.0.0/26', capacity: 60, used: 17 });
  w.snapshot.freeRanges.push({ vswitchId: 'vsw-p', first: base + 2, last: base + 15 }, { vswitchId: 'vsw-p', first: base + 32, last: base + 60 });
  w.snapshot.enis.push({
    id: 'eni-q',
    accountId: 'a1',
    mac: '00:16:3e:00:00:09',
    type: 'Secondary',
    status: 'Available',
    instanceId: null,
    vswitchId: 'vsw-p',
    name: '',
  });
  w.snapshot.privateIps.push({ vswitchId: 'vsw-p', addressInt: base + 1, address: '10.2.0.1', eniId: 'eni-q' });
  w.snapshot.ipv4Prefixes = [{ vswitchId: 'vsw-p', firstInt: base + 16, prefix: '10.2.0.16/28', eniId: 'eni-q' }];
  w.api.enis.push({ id: 'eni-q', status: 'Available', instanceId: '', ips: ['10.2.0.1'], mac: '00:16:3e:00:00:09', prefixes: ['10.2.0.16/28'] });
  w.api.vswitches.push({ id: 'vsw-p', available: 43 });
  w.acks.assignedPrefixes = [{ eniId: 'eni-q', prefixes: ['10.2.0.16/28'] }];
}

test('replica checker: a sound state with an IPv4 prefix has no violations; its 16 addresses count as used', () => {
  assert.deepEqual(violationsOf(withPrefix), []);
  assertReported((w) => {
    withPrefix(w);
    w.snapshot.vswitches[1]!.used = 1;
  }, /vsw-p: used counter 1, but 1 addresses are allocated and 1 prefixes \(16 addresses\)/);
  assertReported((w) => {
    withPrefix(w);
    w.api.vswitches[1]!.available = 59;
  }, /vsw-p: AvailableIpAddressCount 59, but 43 addresses are free/);
});

test('replica checker: prefixes that overlap each other, an address or a free range, or are not aligned /28s', () => {
  const base = 0x0a020000;
  assertReported((w) => {
    withPrefix(w);
    w.snapshot.ipv4Prefixes!.push({ vswitchId: 'vsw-p', firstInt: base + 16, prefix: '10.2.0.16/28', eniId: 'eni-q' });
  }, /prefixes 10\.2\.0\.16\/28 and 10\.2\.0\.16\/28 of vsw-p overlap/);
  assertReported((w) => {
    withPrefix(w);
    w.snapshot.privateIps.push({ vswitchId: 'vsw-p', addressInt: base + 20, address: '10.2.0.20', eniId: 'eni-q' });
  }, /address 10\.2\.0\.20 of vsw-p is inside prefix 10\.2\.0\.16\/28/);
  assertReported((w) => {
    withPrefix(w);
    w.snapshot.freeRanges[1]!.last = base + 20;
  }, /prefix 10\.2\.0\.16\/28 of vsw-p is both carved and free/);
  assertReported((w) => {
    withPrefix(w);
    w.snapshot.ipv4Prefixes![0] = { vswitchId: 'vsw-p', firstInt: base + 17, prefix: '10.2.0.17/28', eniId: 'eni-q' };
  }, /prefix 10\.2\.0\.17\/28 \(\d+\) is not an aligned \/28/);
  assertReported((w) => {
    withPrefix(w);
    w.snapshot.ipv4Prefixes![0] = { vswitchId: 'vsw-p', firstInt: base + 48, prefix: '10.2.0.48/28', eniId: 'eni-q' };
  }, /prefix 10\.2\.0\.48\/28 outside the usable span of vsw-p/);
});

test('replica checker: prefixes shown differently by the API, on two ENIs, missing though acknowledged, or over the per-ENI limit', () => {
  assertReported((w) => {
    withPrefix(w);
    w.api.enis[2]!.prefixes = [];
  }, /ENI eni-q: the API shows prefixes , the database 10\.2\.0\.16\/28/);
  assertReported((w) => {
    withPrefix(w);
    w.api.enis[0]!.prefixes = ['10.2.0.16/28'];
  }, /prefix 10\.2\.0\.16\/28 is listed on 2 ENIs/);
  assertReported((w) => {
    withPrefix(w);
    w.acks.assignedPrefixes!.push({ eniId: 'eni-q', prefixes: ['10.2.0.32/28'] });
  }, /acknowledged prefix 10\.2\.0\.32\/28 of eni-q is not there/);
  // eni-a is InUse on a type of 6 per ENI, holding one address: six prefixes make seven.
  assertReported((w) => {
    w.snapshot.ipv4Prefixes = Array.from({ length: 6 }, (_, i) => ({ vswitchId: 'vsw-1', firstInt: 0, prefix: `p${i}`, eniId: 'eni-a' }));
  }, /ENI eni-a \(InUse\) holds 7 addresses and prefixes, its limit is 6/);
});

/** The same world with eni-a a trunk on a trunk type (2 ENIs of its own, 4 in all) and one member, eni-m, on VLAN 1. */
function withTrunk(w: World): void {
  w.snapshot.instances[0]!.instanceType = 't.trunk';
  w.snapshot.enis[0]!.type = 'Trunk';
  w.snapshot.enis.push({
    id: 'eni-m',
    accountId: 'a1',
    mac: '00:16:3e:00:00:09',
    type: 'Secondary',
    status: 'InUse',
    instanceId: 'i-1',
    vswitchId: 'vsw-1',
    name: '',
    trunkEniId: 'eni-a',
    deviceIndex: 1,
  });
  w.snapshot.privateIps.push({ vswitchId: 'vsw-1', addressInt: 0x0a000003, address: '10.0.0.3', eniId: 'eni-m' });
  w.snapshot.freeRanges[0]!.first = 0x0a000004;
  w.snapshot.vswitches[0]!.used = 3;
  w.api.vswitches[0]!.available = 9;
  w.api.enis.push({ id: 'eni-m', status: 'InUse', instanceId: 'i-1', ips: ['10.0.0.3'], mac: '00:16:3e:00:00:09', trunkId: 'eni-a' });
}

const TRUNK_TYPES = new Map<string, InstanceTypeLimits>([
  ...TYPES,
  ['t.trunk', { eniQuantity: 2, ipsPerEni: 6, eniTotalQuantity: 4, trunkSupported: true }],
  ['t.notrunk', { eniQuantity: 2, ipsPerEni: 6, eniTotalQuantity: 4, trunkSupported: false }],
]);

function trunkViolations(corrupt: (w: World) => void): string[] {
  const w = sound();
  withTrunk(w);
  corrupt(w);
  return checkInvariants({ ...w, types: TRUNK_TYPES });
}

function assertTrunkReported(corrupt: (w: World) => void, pattern: RegExp): void {
  const found = trunkViolations(corrupt);
  assert.ok(
    found.some((v) => pattern.test(v)),
    `expected a violation matching ${pattern}, got:\n  ${found.join('\n  ') || '(none)'}`,
  );
}

/** Another member of eni-a on `vlan`, with its address and API entry. */
function addMember(w: World, id: string, n: number, vlan: number, trunkEniId = 'eni-a'): void {
  const mac = `00:16:3e:00:01:${String(n).padStart(2, '0')}`;
  w.snapshot.enis.push({
    id,
    accountId: 'a1',
    mac,
    type: 'Secondary',
    status: 'InUse',
    instanceId: 'i-1',
    vswitchId: 'vsw-1',
    name: '',
    trunkEniId,
    deviceIndex: vlan,
  });
  w.snapshot.privateIps.push({ vswitchId: 'vsw-1', addressInt: 0x0a000000 + n, address: `10.0.0.${n}`, eniId: id });
  w.api.enis.push({ id, status: 'InUse', instanceId: 'i-1', ips: [`10.0.0.${n}`], mac, trunkId: trunkEniId });
}

test('replica checker: a trunk with a member is sound; members count in EniTotalQuantity, not EniQuantity, and DescribeInstances need not list them', () => {
  assert.deepEqual(
    trunkViolations(() => {}),
    [],
  );
});

test('replica checker: trunk members over EniTotalQuantity, a trunk on a type without trunks, two trunks, a member of no trunk, a VLAN ID twice', () => {
  assertTrunkReported((w) => {
    addMember(w, 'eni-m2', 5, 2);
    addMember(w, 'eni-m3', 6, 3);
  }, /instance i-1 \(t\.trunk\) holds 5 ENIs with trunk members, its type allows 4/);
  assertTrunkReported((w) => (w.snapshot.instances[0]!.instanceType = 't.notrunk'), /holds a trunk ENI, its type supports none/);
  assertTrunkReported((w) => (w.snapshot.enis[1]!.type = 'Trunk'), /instance i-1 holds 2 trunk ENIs/);
  assertTrunkReported((w) => (w.snapshot.enis[0]!.type = 'Secondary'), /member eni-m on i-1 names trunk eni-a, which is no trunk attached there/);
  assertTrunkReported((w) => addMember(w, 'eni-m2', 5, 1), /2 members of eni-a VLAN 1/);
});

/** The sound world with vsw-1 holding the /64 2001:db8:0:7::/64: eni-a has an address in /80 0 and the prefix /80 5, eni-p an address in /80 9. */
function withIpv6(w: World): void {
  w.snapshot.ipv6 = {
    vswitchBlocks: [{ vswitchId: 'vsw-1', block: '2001:db8:0:7::/64' }],
    addresses: [
      { vswitchId: 'vsw-1', address: '2001:db8:0:7::a', block80: 0, eniId: 'eni-a' },
      { vswitchId: 'vsw-1', address: '2001:db8:0:7:9::b', block80: 9, eniId: 'eni-p' },
    ],
    prefixes: [{ vswitchId: 'vsw-1', block80: 5, prefix: '2001:db8:0:7:5::/80', eniId: 'eni-a' }],
    freeBlocks: [
      { vswitchId: 'vsw-1', first: 1, last: 4 },
      { vswitchId: 'vsw-1', first: 6, last: 8 },
      { vswitchId: 'vsw-1', first: 10, last: 65534 },
    ],
  };
  w.api.enis[0]!.ipv6 = ['2001:db8:0:7::a'];
  w.api.enis[0]!.ipv6Prefixes = ['2001:db8:0:7:5::/80'];
  w.api.enis[1]!.ipv6 = ['2001:db8:0:7:9::b'];
  w.acks.assignedIpv6 = [{ eniId: 'eni-a', addresses: ['2001:db8:0:7::a'], prefixes: ['2001:db8:0:7:5::/80'] }];
}

test('replica checker: a sound IPv6 state has no violations', () => {
  assert.deepEqual(violationsOf(withIpv6), []);
});

test('replica checker: IPv6 addresses twice, inside a prefix, outside the /64, or reserved; prefixes twice or on an edge /80', () => {
  assertReported((w) => {
    withIpv6(w);
    w.snapshot.ipv6!.addresses.push({ vswitchId: 'vsw-1', address: '2001:db8:0:7::a', block80: 0, eniId: 'eni-p' });
  }, /IPv6 address 2001:db8:0:7::a of vsw-1 given twice/);
  assertReported((w) => {
    withIpv6(w);
    w.snapshot.ipv6!.addresses.push({ vswitchId: 'vsw-1', address: '2001:db8:0:7:5::1', block80: 5, eniId: 'eni-p' });
  }, /an IPv6 address of vsw-1 is inside prefix 2001:db8:0:7:5::\/80/);
  assertReported((w) => {
    withIpv6(w);
    w.snapshot.ipv6!.addresses[0]!.address = '2001:db8:0:8::a';
  }, /outside the \/64 of vsw-1/);
  assertReported((w) => {
    withIpv6(w);
    w.snapshot.ipv6!.addresses[0]!.address = '2001:db8:0:7:ffff:ffff:ffff:fff7';
    w.snapshot.ipv6!.addresses[0]!.block80 = 65535;
  }, /is a reserved one/);
  assertReported((w) => {
    withIpv6(w);
    w.snapshot.ipv6!.prefixes.push({ vswitchId: 'vsw-1', block80: 5, prefix: '2001:db8:0:7:5::/80', eniId: 'eni-p' });
  }, /IPv6 prefix 2001:db8:0:7:5::\/80 of vsw-1 given twice/);
  assertReported((w) => {
    withIpv6(w);
    w.snapshot.ipv6!.prefixes[0] = { vswitchId: 'vsw-1', block80: 0, prefix: '2001:db8:0:7::/80', eniId: 'eni-a' };
  }, /is an edge \/80/);
});

test('replica checker: free /80 ranges that overlap a used /80 or leak one; IPv6 over the limit, shown differently, or acknowledged and missing', () => {
  assertReported((w) => {
    withIpv6(w);
    w.snapshot.ipv6!.freeBlocks[1]!.first = 5;
  }, /\/80 5 of vsw-1 is both free and used/);
  assertReported((w) => {
    withIpv6(w);
    w.snapshot.ipv6!.freeBlocks[2]!.first = 11;
  }, /vsw-1: 65531 free \/80s \+ 2 used != 65534/);
  assertReported((w) => {
    withIpv6(w);
    w.snapshot.enis[0]!.status = 'Available';
    w.snapshot.enis[0]!.instanceId = null;
    for (let i = 0; i < 10; i++) w.snapshot.ipv6!.addresses.push({ vswitchId: 'vsw-1', address: `2001:db8:0:7::1:${i}`, block80: 0, eniId: 'eni-a' });
  }, /ENI eni-a \(Available\) holds 12 IPv6 addresses and prefixes, its limit is 10/);
  assertReported((w) => {
    withIpv6(w);
    w.api.enis[0]!.ipv6 = [];
  }, /ENI eni-a: the API shows IPv6 , the database 2001:db8:0:7::a/);
  assertReported((w) => {
    withIpv6(w);
    w.acks.assignedIpv6!.push({ eniId: 'eni-a', addresses: ['2001:db8:0:7::c'], prefixes: [] });
  }, /acknowledged IPv6 address 2001:db8:0:7::c of eni-a is not there/);
});
