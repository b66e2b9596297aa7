import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { desiredState, type Snapshot } from '../../src/dataplane/desired.ts';
import { snatMap } from '../../src/dataplane/desired-internet.ts';
import { diff } from '../../src/dataplane/diff.ts';
import { compileEipNat, eipNatDigest } from '../../src/dataplane/eip-nat.ts';
import {
  eniRouterLink,
  instanceNamespace,
  internetNamespace,
  internetRouterLink,
  internetVpcLink,
  isOwnNamespace,
  vpcNamespace,
} from '../../src/dataplane/names.ts';
import type { ObservedLink, ObservedNamespace, ObservedState } from '../../src/dataplane/observed.ts';
import { allFilters } from '../../src/dataplane/reconciler.ts';
import { metadataListeners, planListeners, type BoundListener } from '../../src/dataplane/metadata-listeners.ts';
import type { DesiredVpc } from '../../src/dataplane/desired.ts';
import { createServer, type Server } from 'node:net';
import { createLogger } from '../../src/lib/logger.ts';

// The data plane's pure parts (src/dataplane/desired.ts, diff.ts): no root, no namespace.

const snapshot = (status = 'Running'): Snapshot => ({
  instances: [
    {
      id: 'i-a',
      vpcId: 'vpc-1',
      status,
      enis: [
        {
          id: 'eni-p',
          mac: '00:16:3E:00:00:01',
          deviceIndex: 0,
          primary: true,
          privateIps: ['10.1.0.5', '10.1.0.6'],
          ipv4Prefixes: [],
          vswitchCidr: '10.1.0.0/24',
        },
        {
          id: 'eni-s',
          mac: '00:16:3e:00:00:02',
          deviceIndex: 1,
          primary: false,
          privateIps: ['10.1.1.7'],
          ipv4Prefixes: ['10.1.1.16/28'],
          vswitchCidr: '10.1.1.0/24',
        },
      ],
    },
  ],
});

/** What a converged machine shows for `snapshot()`, as `ip -j` and sysctl would report it (with the internet namespace, linked to the router). */
function converged(): ObservedState {
  const vns = vpcNamespace('vpc-1');
  const ins = instanceNamespace('i-a');
  const rp = eniRouterLink('eni-p');
  const rs = eniRouterLink('eni-s');
  const link = (l: Partial<ObservedLink> & { name: string; ifindex: number }): ObservedLink => ({ mac: '', up: true, inet: [], ...l });
  const router: ObservedNamespace = {
    links: [
      link({ name: 'lo', ifindex: 1, inet: ['127.0.0.1/8', '10.1.0.253/32', '10.1.1.253/32', '100.100.100.200/32'] }),
      link({ name: rp, ifindex: 2, kind: 'veth', peerIndex: 2, mac: 'aa:aa:aa:aa:aa:01' }),
      link({ name: rs, ifindex: 3, kind: 'veth', peerIndex: 3, mac: 'aa:aa:aa:aa:aa:02' }),
      link({ name: internetRouterLink('vpc-1'), ifindex: 4, kind: 'veth', peerIndex: 2, inet: ['169.254.0.1/32'] }),
    ],
    routes: [
      { dst: '0.0.0.0/0', gateway: '169.254.0.2', dev: internetRouterLink('vpc-1') },
      { dst: '10.1.0.5/32', dev: rp },
      { dst: '10.1.0.6/32', dev: rp },
      { dst: '10.1.1.7/32', dev: rs },
      { dst: '10.1.1.16/28', dev: rs },
    ],
    neighbors: [
      { dst: '10.1.0.5', dev: rp, mac: '00:16:3e:00:00:01' },
      { dst: '10.1.0.6', dev: rp, mac: '00:16:3e:00:00:01' },
      { dst: '10.1.1.7', dev: rs, mac: '00:16:3e:00:00:02' },
    ],
    sysctl: {
      'net.ipv4.ip_forward': '1',
      'net.ipv4.conf.default.proxy_arp': '1',
      [`net.ipv4.conf.${rp}.proxy_arp`]: '1',
      [`net.ipv4.neigh.${rp}.proxy_delay`]: '0',
      [`net.ipv4.conf.${rs}.proxy_arp`]: '1',
      [`net.ipv4.neigh.${rs}.proxy_delay`]: '0',
    },
  };
  const instance: ObservedNamespace = {
    links: [
      link({ name: 'lo', ifindex: 1, inet: ['127.0.0.1/8'] }),
      link({ name: 'eth0', ifindex: 2, kind: 'veth', peerIndex: 2, mac: '00:16:3e:00:00:01', inet: ['10.1.0.5/24', '10.1.0.6/24'] }),
      // Configured by the guest (guest apply): left alone.
      link({ name: 'eth1', ifindex: 3, kind: 'veth', peerIndex: 3, mac: '00:16:3e:00:00:02', inet: ['10.1.1.7/24'] }),
    ],
    routes: [
      { dst: '0.0.0.0/0', gateway: '10.1.0.253', dev: 'eth0' },
      { dst: '10.1.0.0/24', dev: 'eth0' },
    ],
    sysctl: {},
  };
  const internet: ObservedNamespace = {
    links: [
      link({ name: 'lo', ifindex: 1, inet: ['127.0.0.1/8', '198.51.100.10/32'] }),
      link({ name: internetVpcLink('vpc-1'), ifindex: 2, kind: 'veth', peerIndex: 4, inet: ['169.254.0.2/32'] }),
    ],
    routes: [],
    sysctl: { 'net.ipv4.ip_forward': '1' },
  };
  return {
    namespaces: new Set([vns, ins, internetNamespace()]),
    byNs: new Map([
      [vns, router],
      [ins, instance],
      [internetNamespace(), internet],
    ]),
  };
}

const lines = (s: ObservedState, snap = snapshot()) => diff(desiredState(snap), s).map((c) => c.argv.join(' '));

describe('data plane desired state', () => {
  test('one router namespace per VPC, a port per ENI with /32 routes per address and its prefixes, the gateways on lo', () => {
    const d = desiredState(snapshot());
    assert.equal(d.vpcs.length, 1);
    assert.deepEqual(d.vpcs[0]!.gateways, ['10.1.0.253/32', '10.1.1.253/32']);
    assert.equal(d.vpcs[0]!.metadataAddress, '100.100.100.200/32');
    const port = d.vpcs[0]!.ports.find((p) => p.eniId === 'eni-s')!;
    assert.deepEqual(port.routes, ['10.1.1.16/28', '10.1.1.7/32']);
    assert.equal(port.guestLink, 'eth1');
    assert.equal(port.instanceNs, 'ep-i-a');
    const links = d.instances[0]!.links;
    assert.deepEqual(
      links.map((l) => [l.name, l.mode, l.mac]),
      [
        ['eth0', 'up', '00:16:3e:00:00:01'],
        ['eth1', 'guest', '00:16:3e:00:00:02'],
      ],
    );
    assert.deepEqual(links[0]!.config, { address: '10.1.0.5/24', gateway: '10.1.0.253' });
  });

  test('a stopped (or starting) instance: its NICs are down', () => {
    for (const status of ['Stopped', 'Starting', 'Pending']) {
      assert.deepEqual(
        desiredState(snapshot(status)).instances[0]!.links.map((l) => l.mode),
        ['down', 'down'],
      );
    }
  });
});

describe('data plane diff', () => {
  test('nothing observed: namespaces, router sysctls, veth pairs made into the instance namespace, routes, the primary configured', () => {
    const out = lines({ namespaces: new Set(), byNs: new Map() });
    const rp = eniRouterLink('eni-p');
    assert.deepEqual(out.slice(0, 3), [
      'ip netns add ep-vpc-1',
      'ip netns exec ep-vpc-1 sysctl -q -w net.ipv4.ip_forward=1 net.ipv4.conf.default.proxy_arp=1',
      'ip netns add ep-i-a',
    ]);
    assert.ok(out.includes(`ip -n ep-vpc-1 link add ${rp} type veth peer name eth0 address 00:16:3e:00:00:01 netns ep-i-a`));
    assert.ok(out.includes('ip -n ep-vpc-1 addr add 10.1.0.253/32 dev lo'));
    assert.ok(out.includes('ip -n ep-vpc-1 addr add 100.100.100.200/32 dev lo'), 'the metadata address on the router');
    assert.ok(out.includes(`ip -n ep-vpc-1 route replace 10.1.1.16/28 dev ${eniRouterLink('eni-s')}`));
    assert.ok(out.includes(`ip -n ep-vpc-1 neigh replace 10.1.0.6 lladdr 00:16:3e:00:00:01 dev ${rp} nud permanent`), 'a secondary IP: a permanent neighbor');
    assert.ok(
      out.indexOf(`ip -n ep-vpc-1 link set ${rp} up`) < out.indexOf(`ip -n ep-vpc-1 neigh replace 10.1.0.5 lladdr 00:16:3e:00:00:01 dev ${rp} nud permanent`),
    );
    assert.ok(out.includes('ip -n ep-i-a addr add 10.1.0.5/24 dev eth0'));
    assert.ok(out.includes('ip -n ep-i-a route replace default via 10.1.0.253 dev eth0'));
    assert.ok(!out.some((c) => c.includes('dev eth1') || c.includes('set eth1 up')), 'the secondary NIC stays down and unconfigured');
    assert.ok(out.indexOf(`ip -n ep-vpc-1 link set ${rp} up`) < out.indexOf(`ip -n ep-vpc-1 route replace 10.1.0.5/32 dev ${rp}`), 'up before its routes');
  });

  test('a converged machine is adopted: no command', () => {
    assert.deepEqual(lines(converged()), []);
  });

  test("strays go: another ep- namespace, a router link and route not in the store, a gateway no vSwitch has; the guest's own things stay", () => {
    const o = converged();
    o.namespaces.add('ep-i-gone');
    const router = o.byNs.get('ep-vpc-1')!;
    router.links.push({ name: 'ep0000000000000', ifindex: 9, mac: 'aa:aa:aa:aa:aa:09', up: true, kind: 'veth', peerIndex: 5, inet: [] });
    router.routes.push({ dst: '10.1.0.99/32', dev: 'ep0000000000000' }, { dst: '10.1.0.98/32', dev: eniRouterLink('eni-p') });
    router.links[0]!.inet.push('10.9.0.253/32');
    router.neighbors!.push({ dst: '10.1.0.97', dev: eniRouterLink('eni-p'), mac: '00:16:3e:00:00:01' });
    // A wrong MAC is replaced.
    router.neighbors![2]!.mac = '00:16:3e:00:00:99';
    o.byNs.get('ep-i-a')!.links.push({ name: 'dummy0', ifindex: 7, mac: 'aa:bb:cc:dd:ee:ff', up: true, kind: 'dummy', inet: ['192.168.0.1/24'] });
    assert.deepEqual(lines(o), [
      'ip -n ep-vpc-1 link del ep0000000000000',
      'ip netns del ep-i-gone',
      'ip -n ep-vpc-1 addr del 10.9.0.253/32 dev lo',
      `ip -n ep-vpc-1 route del 10.1.0.98/32 dev ${eniRouterLink('eni-p')}`,
      `ip -n ep-vpc-1 neigh replace 10.1.1.7 lladdr 00:16:3e:00:00:02 dev ${eniRouterLink('eni-s')} nud permanent`,
      `ip -n ep-vpc-1 neigh del 10.1.0.97 dev ${eniRouterLink('eni-p')}`,
    ]);
  });

  test('an ENI whose NIC is in another namespace (failover) is unplugged there and plugged here', () => {
    const o = converged();
    const inst = o.byNs.get('ep-i-a')!;
    inst.links = inst.links.filter((l) => l.name !== 'eth1');
    const rs = eniRouterLink('eni-s');
    const out = lines(o);
    assert.equal(out[0], `ip -n ep-vpc-1 link del ${rs}`);
    assert.ok(out.includes(`ip -n ep-vpc-1 link add ${rs} type veth peer name eth1 address 00:16:3e:00:00:02 netns ep-i-a`));
    assert.ok(out.includes(`ip -n ep-vpc-1 route replace 10.1.1.7/32 dev ${rs}`), 'its routes again on the new link');
    assert.ok(out.includes(`ip -n ep-vpc-1 neigh replace 10.1.1.7 lladdr 00:16:3e:00:00:02 dev ${rs} nud permanent`), 'and its neighbors');
  });

  test('stopped: NICs down and unconfigured; started again: the primary configured, the secondary left down', () => {
    const o = converged();
    assert.deepEqual(lines(o, snapshot('Stopped')), [
      'ip -n ep-i-a link set eth0 down',
      'ip -n ep-i-a addr flush dev eth0',
      'ip -n ep-i-a link set eth1 down',
      'ip -n ep-i-a addr flush dev eth1',
    ]);
    const inst = o.byNs.get('ep-i-a')!;
    for (const l of inst.links) if (l.name !== 'lo') Object.assign(l, { up: false, inet: [] });
    inst.routes = [];
    assert.deepEqual(lines(o), [
      'ip -n ep-i-a link set eth0 up',
      'ip -n ep-i-a addr add 10.1.0.5/24 dev eth0',
      'ip -n ep-i-a route replace default via 10.1.0.253 dev eth0',
    ]);
  });
});

test('names: ownership is the prefix followed by exactly an instance ID, a VPC ID or internet; the prefix is configurable', () => {
  const saved = process.env.ENIPLANE_DATAPLANE_PREFIX;
  try {
    delete process.env.ENIPLANE_DATAPLANE_PREFIX;
    assert.equal(instanceNamespace('i-bp1abc'), 'ep-i-bp1abc');
    assert.ok(isOwnNamespace('ep-i-bp1abc') && isOwnNamespace('ep-vpc-bp1x') && isOwnNamespace('ep-internet'));
    // Another prefix's namespaces, and anything else starting with ep-, are not ours.
    assert.ok(!isOwnNamespace('ep-x-i-bp1abc') && !isOwnNamespace('ep-probe') && !isOwnNamespace('hp-i-bp1abc'));
    process.env.ENIPLANE_DATAPLANE_PREFIX = 'hp-';
    assert.equal(vpcNamespace('vpc-1'), 'hp-vpc-1');
    assert.equal(internetNamespace(), 'hp-internet');
    assert.ok(isOwnNamespace('hp-i-bp1abc') && !isOwnNamespace('ep-i-bp1abc'));
    process.env.ENIPLANE_DATAPLANE_PREFIX = 'Bad';
    assert.throws(() => instanceNamespace('i-1'), /ENIPLANE_DATAPLANE_PREFIX "Bad"/);
  } finally {
    if (saved === undefined) delete process.env.ENIPLANE_DATAPLANE_PREFIX;
    else process.env.ENIPLANE_DATAPLANE_PREFIX = saved;
  }
});

describe('data plane: the internet namespace and EIPs', () => {
  const ri = internetRouterLink('vpc-1');
  const iv = internetVpcLink('vpc-1');
  const withEips = (status = 'Running'): Snapshot => ({
    ...snapshot(status),
    publicAddresses: [
      { publicIp: '203.0.113.7', privateIp: '10.1.1.7', vpcId: 'vpc-1', kind: 'eip', owner: 'eip-s' },
      { publicIp: '203.0.113.5', privateIp: '10.1.0.5', vpcId: 'vpc-1', kind: 'public-ip', owner: 'i-a' },
      { publicIp: '203.0.113.6', privateIp: '10.1.0.5', vpcId: 'vpc-1', kind: 'eip', owner: 'eip-i' },
      // Not held by a plugged ENI (an unattached ENI's address, another VPC's), or the client's own: left out.
      { publicIp: '203.0.113.8', privateIp: '10.1.0.99', vpcId: 'vpc-1', kind: 'eip', owner: 'eip-x' },
      { publicIp: '203.0.113.9', privateIp: '10.1.0.5', vpcId: 'vpc-2', kind: 'eip', owner: 'eip-y' },
      { publicIp: '198.51.100.10', privateIp: '10.1.0.6', vpcId: 'vpc-1', kind: 'eip', owner: 'eip-z' },
    ],
  });
  const convergedWithEips = () => {
    const o = converged();
    o.byNs
      .get(internetNamespace())!
      .routes.push(...['203.0.113.5/32', '203.0.113.6/32', '203.0.113.7/32'].map((dst) => ({ dst, gateway: '169.254.0.1', dev: iv, src: '198.51.100.10' })));
    return o;
  };

  test('desired: every VPC router linked to the internet; its public addresses held here are translated, EIPs before public IPs', () => {
    const d = desiredState(withEips());
    const vpc = d.vpcs[0]!;
    assert.equal(vpc.internetLink, ri);
    assert.match(ri, /^ei[0-9a-f]{13}$/);
    assert.deepEqual(
      vpc.nat.map((n) => [n.publicIp, n.privateIp, n.kind]),
      [
        ['203.0.113.6', '10.1.0.5', 'eip'],
        ['203.0.113.7', '10.1.1.7', 'eip'],
        ['203.0.113.5', '10.1.0.5', 'public-ip'],
      ],
    );
    assert.deepEqual(d.internet, {
      ns: internetNamespace(),
      client: '198.51.100.10/32',
      links: [{ vpcId: 'vpc-1', vpcNs: 'ep-vpc-1', link: iv, routerLink: ri, routes: ['203.0.113.5/32', '203.0.113.6/32', '203.0.113.7/32'] }],
    });
    assert.deepEqual(
      [...snatMap(vpc.nat)],
      [
        ['10.1.0.5', '203.0.113.6'],
        ['10.1.1.7', '203.0.113.7'],
      ],
    );
    // No instance, no VPC: the internet namespace is still wanted, with no link.
    assert.deepEqual(desiredState({ instances: [] }).internet.links, []);
  });

  test('diff from nothing: the internet namespace after the routers, a veth pair per router, next hops, the default route, /32 routes from the client', () => {
    const out = lines({ namespaces: new Set(), byNs: new Map() }, withEips());
    const at = (c: string) => {
      const i = out.indexOf(c);
      assert.ok(i >= 0, `${c} in\n${out.join('\n')}`);
      return i;
    };
    const made = at(`ip -n ep-vpc-1 link add ${ri} type veth peer name ${iv} netns ep-internet`);
    assert.ok(at('ip netns add ep-vpc-1') < at('ip netns add ep-internet'));
    assert.ok(at('ip netns add ep-internet') < made);
    at('ip netns exec ep-internet sysctl -q -w net.ipv4.ip_forward=1');
    at('ip -n ep-internet addr add 198.51.100.10/32 dev lo');
    assert.ok(made < at(`ip -n ep-vpc-1 addr add 169.254.0.1/32 dev ${ri}`));
    at(`ip -n ep-internet addr add 169.254.0.2/32 dev ${iv}`);
    at(`ip -n ep-vpc-1 route replace default via 169.254.0.2 dev ${ri} onlink`);
    assert.ok(made < at(`ip -n ep-internet route replace 203.0.113.7/32 via 169.254.0.1 dev ${iv} onlink src 198.51.100.10`));
    assert.ok(!out.some((c) => c.includes('203.0.113.8') || c.includes('203.0.113.9')), 'addresses not held here are not routed');
  });

  test('a converged machine with EIPs is adopted; an unassociated EIP loses its route; strays go', () => {
    assert.deepEqual(lines(convergedWithEips(), withEips()), []);
    const fewer = withEips();
    fewer.publicAddresses = fewer.publicAddresses!.filter((a) => a.owner !== 'eip-s');
    assert.deepEqual(lines(convergedWithEips(), fewer), [`ip -n ep-internet route del 203.0.113.7/32 dev ${iv}`]);

    const o = convergedWithEips();
    const internet = o.byNs.get(internetNamespace())!;
    internet.links.push({ name: 'ev0000000000000', ifindex: 9, mac: '', up: true, kind: 'veth', peerIndex: 7, inet: [] });
    internet.routes.push({ dst: '203.0.113.99/32', gateway: '169.254.0.1', dev: 'ev0000000000000' });
    internet.links[0]!.inet.push('192.0.2.1/32');
    o.byNs.get('ep-vpc-1')!.links.push({ name: 'ei0000000000000', ifindex: 8, mac: '', up: true, kind: 'veth', peerIndex: 5, inet: [] });
    assert.deepEqual(lines(o, withEips()), [
      'ip -n ep-internet addr del 192.0.2.1/32 dev lo',
      'ip -n ep-internet link del ev0000000000000',
      'ip -n ep-vpc-1 link del ei0000000000000',
    ]);
  });

  test('a router whose internet link lost its peer: made again, with its default route and the routes on the new link', () => {
    const o = convergedWithEips();
    const internet = o.byNs.get(internetNamespace())!;
    internet.links = internet.links.filter((l) => l.name !== iv);
    const out = lines(o, withEips());
    assert.deepEqual(out.slice(0, 2), [`ip -n ep-vpc-1 link del ${ri}`, `ip -n ep-vpc-1 link add ${ri} type veth peer name ${iv} netns ep-internet`]);
    assert.ok(out.includes(`ip -n ep-vpc-1 route replace default via 169.254.0.2 dev ${ri} onlink`));
    assert.ok(out.includes(`ip -n ep-internet route replace 203.0.113.6/32 via 169.254.0.1 dev ${iv} onlink src 198.51.100.10`));
  });

  test('the router keeps its default route (the internet link owns it); the internet namespace is ours, never a stray', () => {
    const out = lines(converged());
    assert.ok(!out.some((c) => c.includes('default') || c.includes('ep-internet')), out.join('\n'));
  });

  test('the NAT table: DNAT public → private from the internet link, SNAT private → public towards it, the rest dropped; a digest of its own', () => {
    const vpc = desiredState(withEips()).vpcs[0]!;
    const text = compileEipNat(vpc);
    assert.ok(text.startsWith('table ip eniplane_nat\ndelete table ip eniplane_nat\ntable ip eniplane_nat {\n'), text);
    assert.ok(text.includes(`iifname "${ri}" dnat to ip daddr map { 203.0.113.6 : 10.1.0.5, 203.0.113.7 : 10.1.1.7, 203.0.113.5 : 10.1.0.5 }`), text);
    assert.ok(text.includes(`oifname "${ri}" snat to ip saddr map { 10.1.0.5 : 203.0.113.6, 10.1.1.7 : 203.0.113.7 }`), text);
    assert.ok(text.includes(`oifname "${ri}" ct direction original ip saddr != { 10.1.0.5, 10.1.1.7 } drop`), text);
    assert.ok(text.includes(`iifname "${ri}" ct direction original ct status & dnat == 0 drop`), text);
    assert.match(eipNatDigest(text) ?? '', /^[0-9a-f]{64}$/);
    assert.equal(compileEipNat(vpc), text, 'deterministic');
    const none = compileEipNat({ internetLink: ri, nat: [] });
    assert.ok(!none.includes('dnat to') && !none.includes('snat to'), none);
    assert.ok(none.includes(`oifname "${ri}" ct direction original drop`), 'without a public address nothing leaves');
    assert.notEqual(eipNatDigest(none), eipNatDigest(text));
    assert.throws(() => compileEipNat({ internetLink: ri, nat: [{ publicIp: '203.0.113.1; flush ruleset', privateIp: '10.0.0.1', kind: 'eip', owner: 'x' }] }));
    assert.throws(() => compileEipNat({ internetLink: 'bad"name', nat: [] }));
  });

  test('filters: one failing does not keep the next from applying; the error still reaches the reconciler', async () => {
    const applied: string[] = [];
    const forgotten: string[] = [];
    const failing = { applyFilter: () => Promise.reject(new Error('nft')), forget: (ns: string) => void forgotten.push(`a:${ns}`) };
    const working = { applyFilter: async (ns: string) => void applied.push(ns), forget: (ns: string) => void forgotten.push(`b:${ns}`) };
    const both = allFilters(failing, working);
    const vpc = desiredState(snapshot()).vpcs[0]!;
    await assert.rejects(both.applyFilter('ep-vpc-1', vpc, true), /nft/);
    assert.deepEqual(applied, ['ep-vpc-1']);
    assert.deepEqual(forgotten, ['a:ep-vpc-1']);
  });
});

describe('data plane metadata listeners', () => {
  test('plan: a listener per router namespace that exists; closed when its VPC goes, or its namespace is gone or made anew (stale)', () => {
    const inodes = new Map<string, number | undefined>([
      ['ep-vpc-1', 11],
      ['ep-vpc-2', 22],
      ['ep-vpc-3', undefined],
    ]);
    const current = (ns: string) => inodes.get(ns);
    assert.deepEqual(planListeners(new Map(), ['ep-vpc-1', 'ep-vpc-2', 'ep-vpc-3'], current), { close: [], open: ['ep-vpc-1', 'ep-vpc-2'] });
    assert.deepEqual(planListeners(new Map([['ep-vpc-1', 11]]), ['ep-vpc-1'], current), { close: [], open: [] });
    assert.deepEqual(
      planListeners(
        new Map([
          ['ep-vpc-1', 10],
          ['ep-vpc-3', 33],
          ['ep-vpc-9', 99],
        ]),
        ['ep-vpc-1', 'ep-vpc-3'],
        current,
      ),
      {
        close: [
          { ns: 'ep-vpc-1', stale: true },
          { ns: 'ep-vpc-3', stale: true },
          { ns: 'ep-vpc-9', stale: false },
        ],
        open: ['ep-vpc-1'],
      },
    );
  });

  const vpc = (n: number): DesiredVpc => ({
    vpcId: `vpc-${n}`,
    ns: `ep-vpc-${n}`,
    gateways: [],
    metadataAddress: '100.100.100.200/32',
    ports: [],
    internetLink: '',
    nat: [],
  });

  test('lifecycle: made after a pass, re-made when the namespace is made anew, closed when its VPC goes and on release; a failed bind waits before the next try', async () => {
    const inodes = new Map<string, number>([
      ['ep-vpc-1', 11],
      ['ep-vpc-2', 22],
    ]);
    const servers: { ns: string; server: Server; closed: boolean }[] = [];
    let failing = false;
    const hook = metadataListeners({
      log: createLogger('silent'),
      onConnection: () => {},
      inode: (ns) => inodes.get(ns),
      retryMs: 60_000,
      bind: async (ns): Promise<BoundListener> => {
        if (failing) throw new Error('EADDRNOTAVAIL');
        const entry = { ns, server: createServer(), closed: false };
        entry.server.on('close', () => (entry.closed = true));
        servers.push(entry);
        return { server: entry.server, ino: inodes.get(ns)! };
      },
    });
    // A server emits 'close' on the next tick.
    const open = async () => {
      await new Promise((r) => setImmediate(r));
      return servers.filter((s) => !s.closed).map((s) => s.ns);
    };
    assert.equal(await hook.prune([vpc(1), vpc(2)]), false);
    await hook.sync([vpc(1), vpc(2)]);
    assert.deepEqual(await open(), ['ep-vpc-1', 'ep-vpc-2']);
    await hook.sync([vpc(1), vpc(2)]);
    assert.equal(servers.length, 2, 'kept while its namespace is the same');

    inodes.set('ep-vpc-1', 12);
    assert.equal(await hook.prune([vpc(1), vpc(2)]), true, 'stale: the pass must observe');
    assert.deepEqual(await open(), ['ep-vpc-2']);
    await hook.sync([vpc(1), vpc(2)]);
    assert.deepEqual(await open(), ['ep-vpc-2', 'ep-vpc-1']);

    assert.equal(await hook.prune([vpc(1)]), false, 'a VPC gone is no surprise');
    assert.deepEqual(await open(), ['ep-vpc-1']);

    failing = true;
    await hook.sync([vpc(1), vpc(2)]);
    failing = false;
    await hook.sync([vpc(1), vpc(2)]);
    assert.deepEqual(await open(), ['ep-vpc-1'], 'no new try before retryMs');

    await hook.release();
    assert.deepEqual(await open(), []);
  });
});
