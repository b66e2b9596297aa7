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
    { family: 4, table: 254, dst: '10.9.9.9/32', dev: 'eth0', protocol: 77 },
    { family: 4, table: 254, dst: 'default', gateway: '10.1.0.253', dev: 'eth0', protocol: 16 },
  ]);
  assert.deepEqual(parseRuleShow([{ priority: 10, src: '10.1.0.0', srclen: 24, table: '7' }]), [
    { family: 4, priority: 10, src: '10.1.0.0/24', table: 7, protocol: 0 },
  ]);
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

// Dual stack: the same two ENIs with IPv6 addresses in a /64, and delegated prefixes on eth1.
const V6GW = '2408:4005:3a2:c704:ffff:ffff:ffff:fff7';
const V6 = { ipv6Gateway: V6GW, vswitchIpv6Cidr: '2408:4005:3a2:c704::/64', vpcIpv6Cidrs: ['2408:4005:3a2:c700::/56'] };
const PRIMARY6 = { ...PRIMARY, ...V6, ipv6s: ['2408:4005:3a2:c704::10'] };
const SECOND6 = {
  ...SECOND,
  ...V6,
  ipv6s: ['2408:4005:3a2:c704::20', '2408:4005:3a2:c704::21'],
  ipv4Prefixes: ['10.1.0.32/28'],
  ipv6Prefixes: ['2408:4005:3a2:c704:1a2b::/80'],
};

test('guest apply plan: dual stack: IPv6 addresses (nodad), the IPv6 default in main and table 1001, v6 rules, prefix rules', () => {
  const s = state(
    addrJson([
      { name: 'eth0', mac: PRIMARY.mac, up: false },
      { name: 'ens6', mac: SECOND.mac, up: false },
    ]),
  );
  assert.deepEqual(commands(model(PRIMARY6, SECOND6), s), [
    'ip -n ns1 link set dev eth0 up',
    'ip -n ns1 link set dev ens6 name eth1',
    'ip -n ns1 link set dev eth1 up',
    'ip -n ns1 addr add 10.1.0.10/24 dev eth0',
    'ip -n ns1 addr add 10.1.0.11/24 dev eth0 noprefixroute',
    'ip -n ns1 -6 addr add 2408:4005:3a2:c704::10/64 dev eth0 nodad',
    'ip -n ns1 addr add 10.1.0.20/24 dev eth1 noprefixroute',
    'ip -n ns1 addr add 10.1.0.21/24 dev eth1 noprefixroute',
    'ip -n ns1 addr add 10.1.0.22/24 dev eth1 noprefixroute',
    'ip -n ns1 -6 addr add 2408:4005:3a2:c704::20/64 dev eth1 noprefixroute nodad',
    'ip -n ns1 -6 addr add 2408:4005:3a2:c704::21/64 dev eth1 noprefixroute nodad',
    'ip -n ns1 route add default via 10.1.0.253 dev eth0 table 254 proto 77',
    `ip -n ns1 -6 route add default via ${V6GW} dev eth0 table 254 proto 77`,
    'ip -n ns1 route add 10.1.0.0/24 dev eth1 table 1001 proto 77',
    'ip -n ns1 route add default via 10.1.0.253 dev eth1 table 1001 proto 77',
    'ip -n ns1 -6 route add 2408:4005:3a2:c704::/64 dev eth1 table 1001 proto 77',
    `ip -n ns1 -6 route add default via ${V6GW} dev eth1 table 1001 proto 77`,
    'ip -n ns1 rule add from 10.1.0.20 lookup 1001 priority 1001 protocol 77',
    'ip -n ns1 rule add from 10.1.0.21 lookup 1001 priority 1001 protocol 77',
    'ip -n ns1 rule add from 10.1.0.22 lookup 1001 priority 1001 protocol 77',
    'ip -n ns1 -6 rule add from 2408:4005:3a2:c704::20 lookup 1001 priority 1001 protocol 77',
    'ip -n ns1 -6 rule add from 2408:4005:3a2:c704::21 lookup 1001 priority 1001 protocol 77',
    'ip -n ns1 rule add from 10.1.0.32/28 lookup 1001 priority 1001 protocol 77',
    'ip -n ns1 -6 rule add from 2408:4005:3a2:c704:1a2b::/80 lookup 1001 priority 1001 protocol 77',
    'ip netns exec ns1 sysctl -w net.ipv4.conf.eth1.rp_filter=2',
  ]);
});

/** The dual-stack namespace once converged, as ip -N -j shows it. */
function converged6(): ObservedState {
  const links = parseAddrShow(
    (CONVERGED_ADDR as { ifname: string; addr_info: unknown[] }[]).map((l) => ({
      ...l,
      addr_info: [
        ...l.addr_info,
        ...(l.ifname === 'eth0'
          ? [['2408:4005:3a2:c704::10', 64]]
          : l.ifname === 'eth1'
            ? [
                ['2408:4005:3a2:c704::20', 64],
                ['2408:4005:3a2:c704::21', 64],
              ]
            : []
        ).map(([local, prefixlen]) => ({ family: 'inet6', local, prefixlen, scope: '0', nodad: true })),
      ],
    })),
  );
  const routes6 = parseRouteShow(
    [
      { dst: '2408:4005:3a2:c704::/64', dev: 'eth0', protocol: '2', metric: 256, flags: [] },
      { dst: 'default', gateway: V6GW, dev: 'eth0', protocol: '77', metric: 1024, flags: [] },
      { dst: '2408:4005:3a2:c704::/64', dev: 'eth1', table: '1001', protocol: '77', metric: 1024, flags: [] },
      { dst: 'default', gateway: V6GW, dev: 'eth1', table: '1001', protocol: '77', metric: 1024, flags: [] },
      { dst: 'fe80::/64', dev: 'eth1', protocol: '2', metric: 256, flags: [] },
      { type: '2', dst: '2408:4005:3a2:c704::20', dev: 'eth1', table: '255', protocol: '2', metric: 0, flags: [] },
    ],
    6,
  );
  const rules6 = parseRuleShow(
    [
      { priority: 0, src: 'all', table: '255' },
      { priority: 1001, src: '2408:4005:3a2:c704::20', table: '1001', protocol: '77' },
      { priority: 1001, src: '2408:4005:3a2:c704::21', table: '1001', protocol: '77' },
      { priority: 1001, src: '2408:4005:3a2:c704:1a2b::', srclen: 80, table: '1001', protocol: '77' },
      { priority: 32766, src: 'all', table: '254' },
    ],
    6,
  );
  const rules4 = parseRuleShow([...CONVERGED_RULES, { priority: 1001, src: '10.1.0.32', srclen: 28, table: '1001', protocol: '77' }]);
  return {
    links,
    routes: [...parseRouteShow(CONVERGED_ROUTES), ...routes6],
    rules: [...rules4, ...rules6],
    rpFilter: new Map([['eth1', 2]]),
    disableIpv6: new Map(),
  };
}
const LEDGER6: AddressLedger = new Map([
  [PRIMARY.mac, new Set(['10.1.0.10/24', '10.1.0.11/24', '2408:4005:3a2:c704::10/64'])],
  [SECOND.mac, new Set(['10.1.0.20/24', '10.1.0.21/24', '10.1.0.22/24', '2408:4005:3a2:c704::20/64', '2408:4005:3a2:c704::21/64'])],
]);

test('guest apply plan: dual stack converged needs no command; link-local addresses and kernel v6 routes are not ours', () => {
  assert.deepEqual(commands(model(PRIMARY6, SECOND6), converged6(), LEDGER6), []);
});

test('guest apply plan: IPv6 and prefixes removed from the metadata: their addresses, v6 routes and rules go, IPv4 stays', () => {
  const v4only = { ...SECOND6, ipv6s: [], ipv4Prefixes: [], ipv6Prefixes: [] };
  assert.deepEqual(commands(model(PRIMARY6, v4only), converged6(), LEDGER6), [
    'ip -n ns1 rule del from 10.1.0.32/28 lookup 1001 priority 1001 protocol 77',
    'ip -n ns1 -6 rule del from 2408:4005:3a2:c704::20 lookup 1001 priority 1001 protocol 77',
    'ip -n ns1 -6 rule del from 2408:4005:3a2:c704::21 lookup 1001 priority 1001 protocol 77',
    'ip -n ns1 -6 rule del from 2408:4005:3a2:c704:1a2b::/80 lookup 1001 priority 1001 protocol 77',
    'ip -n ns1 -6 route del 2408:4005:3a2:c704::/64 dev eth1 table 1001 proto 77',
    `ip -n ns1 -6 route del default via ${V6GW} dev eth1 table 1001 proto 77`,
    'ip -n ns1 -6 addr del 2408:4005:3a2:c704::20/64 dev eth1',
    'ip -n ns1 -6 addr del 2408:4005:3a2:c704::21/64 dev eth1',
  ]);
});

test('guest apply plan: a device with IPv6 disabled gets disable_ipv6=0 before its IPv6 addresses', () => {
  const s = converged6();
  s.links = s.links.map((l) => ({ ...l, addresses: l.addresses.filter((a) => a.family === 4) }));
  s.disableIpv6 = new Map([['eth1', 1]]);
  const out = commands(model(PRIMARY6, SECOND6), s, LEDGER6);
  assert.deepEqual(out, [
    'ip netns exec ns1 sysctl -w net.ipv6.conf.eth1.disable_ipv6=0',
    'ip -n ns1 -6 addr add 2408:4005:3a2:c704::10/64 dev eth0 nodad',
    'ip -n ns1 -6 addr add 2408:4005:3a2:c704::20/64 dev eth1 noprefixroute nodad',
    'ip -n ns1 -6 addr add 2408:4005:3a2:c704::21/64 dev eth1 noprefixroute nodad',
  ]);
});

test('guest apply plan: v6 parsers: host routes and rules as /128, link-local addresses skipped; the primary yields to an RA default', () => {
  assert.deepEqual(parseRouteShow([{ dst: '2408::5', dev: 'eth0', protocol: '77', flags: [] }], 6), [
    { family: 6, table: 254, dst: '2408::5/128', dev: 'eth0', protocol: 77 },
  ]);
  assert.deepEqual(parseRuleShow([{ priority: 5, src: '2408::5', table: '9' }], 6), [{ family: 6, priority: 5, src: '2408::5/128', table: 9, protocol: 0 }]);
  assert.deepEqual(parseAddrShow(addrJson([{ name: 'eth0', mac: PRIMARY.mac }]))[0]!.addresses, []);
  assert.equal(networkOf('2408:4005:3a2:c704::20/64'), '2408:4005:3a2:c704::/64');
  const s = converged6();
  s.routes = s.routes.map((r) => (r.family === 6 && r.table === 254 && r.dst === 'default' ? { ...r, gateway: 'fe80::1', protocol: 9 } : r));
  assert.deepEqual(commands(model(PRIMARY6, SECOND6), s, LEDGER6), []);
});
