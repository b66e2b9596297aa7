import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GuestEni, GuestModel } from '../../src/guest/model.ts';
import { renderCommand } from '../../src/guest/apply/commands.ts';
import { diffState, type AddressLedger } from '../../src/guest/apply/diff.ts';
import { nextLedger } from '../../src/guest/apply/ledger.ts';
import { parseAddrShow, parseRouteShow, parseRuleShow, type ObservedState } from '../../src/guest/apply/observed.ts';
import { networkOf, planDesired } from '../../src/guest/apply/plan.ts';

function eni(over: Partial<GuestEni> & Pick<GuestEni, 'mac' | 'eniId' | 'index' | 'primaryIp'>): GuestEni {
  return {
    primary: over.index === 0,
    ifname: `eth${over.index}`,
    secondaryIps: [],
    netmask: '255.255.255.0',
    prefixLength: 24,
    gateway: '10.1.0.253',
    vswitchId: 'vsw-a',
    vswitchCidr: '10.1.0.0/24',
    vpcId: 'vpc-a',
    vpcCidr: '10.0.0.0/8',
    ipv6s: [],
    vpcIpv6Cidrs: [],
    ipv4Prefixes: [],
    ipv6Prefixes: [],
    ...over,
  };
}

const PRIMARY = eni({ mac: '00:16:3e:00:00:01', eniId: 'eni-primary', index: 0, primaryIp: '10.1.0.10', secondaryIps: ['10.1.0.11'] });
const SECOND = eni({ mac: '00:16:3e:00:00:02', eniId: 'eni-second', index: 1, primaryIp: '10.1.0.20', secondaryIps: ['10.1.0.21', '10.1.0.22'] });
const model = (...enis: GuestEni[]): GuestModel => ({ instanceId: 'i-1', regionId: 'cn-hangzhou', zoneId: 'cn-hangzhou-i', enis });

/** `ip -N -j addr show` of a namespace with lo and the given devices. */
function addrJson(devices: { name: string; mac: string; up?: boolean; addrs?: [string, number, boolean?][] }[]): unknown {
  return [
    { ifindex: 1, ifname: 'lo', flags: ['LOOPBACK'], address: '00:00:00:00:00:00', addr_info: [] },
    ...devices.map((d, i) => ({
      ifindex: i + 2,
      ifname: d.name,
      flags: d.up === false ? ['BROADCAST', 'MULTICAST'] : ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'],
      address: d.mac,
      addr_info: [
        ...(d.addrs ?? []).map(([local, prefixlen, secondary]) => ({
          family: 'inet',
          local,
          prefixlen,
          scope: 'global',
          ...(secondary ? { secondary: true } : {}),
        })),
        { family: 'inet6', local: 'fe80::1', prefixlen: 64, scope: 'link' },
      ],
    })),
  ];
}

const KERNEL_RULES = [
  { priority: 0, src: 'all', table: '255' },
  { priority: 32766, src: 'all', table: '254' },
  { priority: 32767, src: 'all', table: '253' },
];

function state(addr: unknown, routes: unknown[] = [], rules: unknown[] = KERNEL_RULES, rp: Record<string, number> = {}): ObservedState {
  return { links: parseAddrShow(addr), routes: parseRouteShow(routes), rules: parseRuleShow(rules), rpFilter: new Map(Object.entries(rp)) };
}

function commands(m: GuestModel, s: ObservedState, ledger: AddressLedger = new Map()): string[] {
  return diffState(planDesired(m, s.links), s, ledger).commands.map((c) => renderCommand('ns1', c));
}

test('guest apply plan: a fresh namespace gets links up, addresses, a table and rules for the secondary ENI only', () => {
  const s = state(
    addrJson([
      { name: 'eth0', mac: PRIMARY.mac, up: false },
      { name: 'ens6', mac: SECOND.mac, up: false },
    ]),
  );
  assert.deepEqual(commands(model(PRIMARY, SECOND), s), [
    'ip -n ns1 link set dev eth0 up',
    'ip -n ns1 link set dev ens6 name eth1',
    'ip -n ns1 link set dev eth1 up',
    'ip -n ns1 addr add 10.1.0.10/24 dev eth0',
    'ip -n ns1 addr add 10.1.0.11/24 dev eth0 noprefixroute',
    'ip -n ns1 addr add 10.1.0.20/24 dev eth1 noprefixroute',
    'ip -n ns1 addr add 10.1.0.21/24 dev eth1 noprefixroute',
    'ip -n ns1 addr add 10.1.0.22/24 dev eth1 noprefixroute',
    'ip -n ns1 route add default via 10.1.0.253 dev eth0 table 254 proto 77',
    'ip -n ns1 route add 10.1.0.0/24 dev eth1 table 1001 proto 77',
    'ip -n ns1 route add default via 10.1.0.253 dev eth1 table 1001 proto 77',
    'ip -n ns1 rule add from 10.1.0.20 lookup 1001 priority 1001 protocol 77',
    'ip -n ns1 rule add from 10.1.0.21 lookup 1001 priority 1001 protocol 77',
    'ip -n ns1 rule add from 10.1.0.22 lookup 1001 priority 1001 protocol 77',
    'ip netns exec ns1 sysctl -w net.ipv4.conf.eth1.rp_filter=2',
  ]);
});

/** What the namespace looks like once the fresh-namespace commands above have run (ip -N -j). */
const CONVERGED_ADDR = addrJson([
  {
    name: 'eth0',
    mac: PRIMARY.mac,
    addrs: [
      ['10.1.0.10', 24],
      ['10.1.0.11', 24, true],
    ],
  },
  {
    name: 'eth1',
    mac: SECOND.mac,
    addrs: [
      ['10.1.0.20', 24],
      ['10.1.0.21', 24, true],
      ['10.1.0.22', 24, true],
    ],
  },
]);
const CONVERGED_ROUTES = [
  { dst: 'default', gateway: '10.1.0.253', dev: 'eth0', protocol: '77', flags: [] },
  { dst: '10.1.0.0/24', dev: 'eth0', protocol: '2', scope: '253', prefsrc: '10.1.0.10', flags: [] },
  { dst: 'default', gateway: '10.1.0.253', dev: 'eth1', table: '1001', protocol: '77', flags: [] },
  { dst: '10.1.0.0/24', dev: 'eth1', table: '1001', protocol: '77', scope: '253', flags: [] },
  { type: '2', dst: '10.1.0.20', dev: 'eth1', table: '255', protocol: '2', scope: '254', prefsrc: '10.1.0.20', flags: [] },
];
const CONVERGED_RULES = [
  KERNEL_RULES[0],
  { priority: 1001, src: '10.1.0.20', table: '1001', protocol: '77' },
  { priority: 1001, src: '10.1.0.21', table: '1001', protocol: '77' },
  { priority: 1001, src: '10.1.0.22', table: '1001', protocol: '77' },
  KERNEL_RULES[1],
  KERNEL_RULES[2],
];
const LEDGER: AddressLedger = new Map([
  [PRIMARY.mac, new Set(['10.1.0.10/24', '10.1.0.11/24'])],
  [SECOND.mac, new Set(['10.1.0.20/24', '10.1.0.21/24', '10.1.0.22/24'])],
]);

test('guest apply plan: a converged namespace needs no command', () => {
  const s = state(CONVERGED_ADDR, CONVERGED_ROUTES, CONVERGED_RULES, { eth1: 2 });
  assert.deepEqual(commands(model(PRIMARY, SECOND), s, LEDGER), []);
});

test('guest apply plan: a secondary IP unassigned and another assigned: one address and one rule each way', () => {
  const s = state(CONVERGED_ADDR, CONVERGED_ROUTES, CONVERGED_RULES, { eth1: 2 });
  const changed = { ...SECOND, secondaryIps: ['10.1.0.22', '10.1.0.30'] };
  assert.deepEqual(commands(model(PRIMARY, changed), s, LEDGER), [
    'ip -n ns1 rule del from 10.1.0.21 lookup 1001 priority 1001 protocol 77',
    'ip -n ns1 addr del 10.1.0.21/24 dev eth1',
    'ip -n ns1 addr add 10.1.0.30/24 dev eth1 noprefixroute',
    'ip -n ns1 rule add from 10.1.0.30 lookup 1001 priority 1001 protocol 77',
  ]);
});

test('guest apply plan: an ENI gone from the metadata loses its rules, table routes and (ledger) addresses, secondaries first', () => {
  const s = state(CONVERGED_ADDR, CONVERGED_ROUTES, CONVERGED_RULES, { eth1: 2 });
  assert.deepEqual(commands(model(PRIMARY), s, LEDGER), [
    'ip -n ns1 rule del from 10.1.0.20 lookup 1001 priority 1001 protocol 77',
    'ip -n ns1 rule del from 10.1.0.21 lookup 1001 priority 1001 protocol 77',
    'ip -n ns1 rule del from 10.1.0.22 lookup 1001 priority 1001 protocol 77',
    'ip -n ns1 route del default via 10.1.0.253 dev eth1 table 1001 proto 77',
    'ip -n ns1 route del 10.1.0.0/24 dev eth1 table 1001 proto 77',
    'ip -n ns1 addr del 10.1.0.21/24 dev eth1',
    'ip -n ns1 addr del 10.1.0.22/24 dev eth1',
    'ip -n ns1 addr del 10.1.0.20/24 dev eth1',
  ]);
});

test('guest apply plan: a detached ENI whose device is gone leaves only its rules to remove', () => {
  const addr = addrJson([
    {
      name: 'eth0',
      mac: PRIMARY.mac,
      addrs: [
        ['10.1.0.10', 24],
        ['10.1.0.11', 24, true],
      ],
    },
  ]);
  const routes = CONVERGED_ROUTES.filter((r) => r.dev === 'eth0');
  assert.deepEqual(commands(model(PRIMARY), state(addr, routes, CONVERGED_RULES), LEDGER), [
    'ip -n ns1 rule del from 10.1.0.20 lookup 1001 priority 1001 protocol 77',
    'ip -n ns1 rule del from 10.1.0.21 lookup 1001 priority 1001 protocol 77',
    'ip -n ns1 rule del from 10.1.0.22 lookup 1001 priority 1001 protocol 77',
  ]);
});

test('guest apply plan: what eniplane did not make is never removed (unmarked rules and routes, addresses not in the ledger)', () => {
  const addr = addrJson([
    {
      name: 'eth0',
      mac: PRIMARY.mac,
      addrs: [
        ['10.1.0.10', 24],
        ['10.1.0.11', 24, true],
        ['10.1.0.100', 24, true],
      ],
    },
    {
      name: 'eth1',
      mac: SECOND.mac,
      addrs: [
        ['10.1.0.20', 24],
        ['10.1.0.21', 24, true],
        ['10.1.0.22', 24, true],
      ],
    },
  ]);
  const rules = [...CONVERGED_RULES, { priority: 500, src: '10.1.0.100', table: '500' }, { priority: 1001, src: '10.1.0.99', table: '1001', protocol: '4' }];
  const routes = [...CONVERGED_ROUTES, { dst: '192.168.0.0/16', gateway: '10.1.0.253', dev: 'eth1', table: '1001', protocol: '4', flags: [] }];
  // 10.1.0.100 is a HAVIP keepalived put on eth0: inside the vSwitch CIDR, on an ENI, but not ours.
  assert.deepEqual(commands(model(PRIMARY, SECOND), state(addr, routes, rules, { eth1: 2 }), LEDGER), []);
});

test('guest apply plan: the primary ENI yields to a main default route someone else made, and gets no rules', () => {
  const addr = addrJson([
    {
      name: 'eth0',
      mac: PRIMARY.mac,
      addrs: [
        ['10.1.0.10', 24],
        ['10.1.0.11', 24, true],
      ],
    },
  ]);
  const routes = [{ dst: 'default', gateway: '10.1.0.253', dev: 'eth0', protocol: '16', flags: [] }];
  const d = diffState(planDesired(model(PRIMARY), parseAddrShow(addr)), state(addr, routes), LEDGER);
  assert.deepEqual(d.commands, []);
  assert.deepEqual(d.notes, []);
});

test('guest apply plan: an up NIC keeps its kernel name, a taken name is not stolen; both are said', () => {
  const up = planDesired(
    model(PRIMARY, SECOND),
    parseAddrShow(
      addrJson([
        { name: 'eth0', mac: PRIMARY.mac },
        { name: 'ens6', mac: SECOND.mac, up: true },
      ]),
    ),
  );
  assert.equal(up.interfaces[1]!.name, 'ens6');
  assert.match(up.notes.join('\n'), /eni-second .*keeps the name ens6: it is up/);
  const taken = planDesired(
    model(PRIMARY, SECOND),
    parseAddrShow(
      addrJson([
        { name: 'eth0', mac: PRIMARY.mac },
        { name: 'ens6', mac: SECOND.mac, up: false },
        { name: 'eth1', mac: '02:00:00:00:00:09' },
      ]),
    ),
  );
  assert.equal(taken.interfaces[1]!.name, 'ens6');
  assert.match(taken.notes.join('\n'), /eth1 is taken by another device/);
  // Whatever the name, rules and table use the ENI's index.
  assert.ok(up.routes.some((r) => r.table === 1001 && r.dev === 'ens6'));
});

test('guest apply plan: a listed MAC without a device is reported missing, the rest still planned', () => {
  const d = planDesired(model(PRIMARY, SECOND), parseAddrShow(addrJson([{ name: 'eth0', mac: PRIMARY.mac }])));
  assert.deepEqual(d.missing, [{ eniId: 'eni-second', mac: SECOND.mac }]);
  assert.deepEqual(
    d.interfaces.map((i) => i.eniId),
    ['eni-primary'],
  );
  assert.deepEqual(d.rules, []);
});

test('guest apply plan: strict rp_filter on a secondary ENI is loosened; tables follow the index, not the order', () => {
  const third = eni({ mac: '00:16:3e:00:00:03', eniId: 'eni-third', index: 3, primaryIp: '10.1.0.40' });
  const s = state(
    addrJson([
      {
        name: 'eth0',
        mac: PRIMARY.mac,
        addrs: [
          ['10.1.0.10', 24],
          ['10.1.0.11', 24, true],
        ],
      },
      { name: 'eth3', mac: third.mac, addrs: [['10.1.0.40', 24]] },
    ]),
    CONVERGED_ROUTES.slice(0, 2),
    KERNEL_RULES,
    { eth3: 1 },
  );
  assert.deepEqual(commands(model(PRIMARY, third), s, new Map([[PRIMARY.mac, new Set(['10.1.0.10/24', '10.1.0.11/24'])]])), [
    'ip -n ns1 route add 10.1.0.0/24 dev eth3 table 1003 proto 77',
    'ip -n ns1 route add default via 10.1.0.253 dev eth3 table 1003 proto 77',
    'ip -n ns1 rule add from 10.1.0.40 lookup 1003 priority 1003 protocol 77',
    'ip netns exec ns1 sysctl -w net.ipv4.conf.eth3.rp_filter=2',
  ]);
});

test('guest apply plan: two ENIs on one index are refused', () => {
  assert.throws(
    () => planDesired(model(PRIMARY, SECOND, { ...SECOND, mac: '00:16:3e:00:00:09', eniId: 'eni-dup' }), []),
    /eni-second and eni-dup have the same index 1/,
  );
});

test('guest apply plan: parsers read numeric ip -N -j output (main without a table key, host routes as /32)', () => {
  const routes = parseRouteShow([
    { dst: '10.9.9.9', dev: 'eth0', protocol: '77', flags: [] },
    { dst: 'default', gateway: '10.1.0.253', dev: 'eth0', protocol: '16', flags: [] },
  ]);
  assert.deepEqual(routes, [
    { table: 254, dst: '10.9.9.9/32', dev: 'eth0', protocol: 77 },
    { table: 254, dst: 'default', gateway: '10.1.0.253', dev: 'eth0', protocol: 16 },
  ]);
  assert.deepEqual(parseRuleShow([{ priority: 10, src: '10.1.0.0', srclen: 24, table: '7' }]), [{ priority: 10, src: '10.1.0.0/24', table: 7, protocol: 0 }]);
  assert.equal(networkOf('10.1.0.77/24'), '10.1.0.0/24');
});

test('guest apply plan: the ledger keeps what was added and still present, and forgets vanished devices', () => {
  const before = parseAddrShow(
    addrJson([
      { name: 'eth0', mac: PRIMARY.mac, addrs: [['10.1.0.10', 24]] },
      { name: 'eth1', mac: SECOND.mac },
    ]),
  );
  const after = parseAddrShow(
    addrJson([
      {
        name: 'eth0',
        mac: PRIMARY.mac,
        addrs: [
          ['10.1.0.10', 24],
          ['10.1.0.11', 24, true],
        ],
      },
    ]),
  );
  const next = nextLedger(new Map([[SECOND.mac, new Set(['10.1.0.20/24'])]]), before, after, new Map([[PRIMARY.mac, ['10.1.0.10/24', '10.1.0.11/24']]]));
  // 10.1.0.10 was there before the apply (someone else's): not adopted. eth1's device is gone.
  assert.deepEqual([...next], [[PRIMARY.mac, new Set(['10.1.0.11/24'])]]);
});
