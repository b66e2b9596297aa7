import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { GUEST_FORMATS } from '../../src/guest/distros.ts';
import type { GuestModel } from '../../src/guest/model.ts';
import { renderGuest, type RenderedFile } from '../../src/guest/render/index.ts';
import { writeTreeAtomically } from '../../src/guest/write-tree.ts';
import { DUAL_STACK_MODEL, modelTree, serveMetadataTree, TWO_ENI_MODEL } from './fixture.ts';
import { toolSkip } from './tools.ts';

/**
 * Golden files: test/guest/golden/<format>/<path>, and <format>.modes listing each file's mode
 * (TWO_ENI_MODEL); test/guest/golden-dual-stack/ likewise for DUAL_STACK_MODEL (IPv6, prefixes).
 * Regenerated only with ENIPLANE_UPDATE_GOLDEN=1; otherwise any difference fails.
 */
const GOLDEN_SETS: { dir: string; model: GuestModel }[] = [
  { dir: fileURLToPath(new URL('./golden/', import.meta.url)), model: TWO_ENI_MODEL },
  { dir: fileURLToPath(new URL('./golden-dual-stack/', import.meta.url)), model: DUAL_STACK_MODEL },
];
const UPDATE = process.env.ENIPLANE_UPDATE_GOLDEN === '1';
// Regenerating in CI would make every comparison pass: refuse.
if (UPDATE && process.env.CI === 'true') throw new Error('ENIPLANE_UPDATE_GOLDEN=1 is for developers, never in CI');

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out;
}

const modesText = (files: RenderedFile[]) => files.map((f) => `${f.mode.toString(8).padStart(4, '0')} ${f.path}\n`).join('');

function writeGolden(GOLDEN: string, format: string, files: RenderedFile[]): void {
  rmSync(join(GOLDEN, format), { recursive: true, force: true });
  for (const f of files) {
    mkdirSync(dirname(join(GOLDEN, format, f.path)), { recursive: true });
    writeFileSync(join(GOLDEN, format, f.path), f.content);
  }
  writeFileSync(join(GOLDEN, `${format}.modes`), modesText(files));
}

/** The golden rendering written under a fresh root, as `guest render` would. */
function goldenRoot(format: string, model: GuestModel = TWO_ENI_MODEL): string {
  const root = mkdtempSync(join(tmpdir(), `eniplane-golden-${format}-`));
  writeTreeAtomically(root, renderGuest(model, format as (typeof GUEST_FORMATS)[number]));
  return root;
}

function run(cmd: string, args: string[]) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}`, stdout: r.stdout ?? '' };
}

/** A .network file's addresses, [Route] and [RoutingPolicyRule] sections, order-free. */
function routingFacts(text: string): { addresses: string[]; sections: string[] } {
  const addresses: string[] = [];
  const sections: string[] = [];
  let current: { name: string; keys: string[] } | undefined;
  const flush = () => current && ['Route', 'RoutingPolicyRule'].includes(current.name) && sections.push(`${current.name}: ${current.keys.sort().join(' ')}`);
  for (const line of text.split('\n')) {
    const section = /^\[(\w+)\]$/.exec(line);
    if (section) {
      flush();
      current = { name: section[1]!, keys: [] };
    } else if (line.startsWith('Address=')) addresses.push(line);
    else if (current && /^\w+=/.test(line)) current.keys.push(line);
  }
  flush();
  return { addresses: addresses.sort(), sections: sections.sort() };
}

describe('guest renderers: golden files', () => {
  for (const { dir: GOLDEN, model } of GOLDEN_SETS) {
    const set = relative(fileURLToPath(new URL('.', import.meta.url)), GOLDEN).replace(/\/$/, '');
    for (const format of GUEST_FORMATS) {
      test(`render ${format}: matches test/guest/${set}`, () => {
        const files = renderGuest(model, format);
        if (UPDATE) writeGolden(GOLDEN, format, files);
        const golden = listFiles(join(GOLDEN, format))
          .map((p) => relative(join(GOLDEN, format), p))
          .sort();
        assert.deepEqual(
          files.map((f) => f.path),
          golden,
          `file list differs from test/guest/${set}/${format}/ (regenerate with ENIPLANE_UPDATE_GOLDEN=1 after reviewing)`,
        );
        for (const f of files) assert.equal(f.content, readFileSync(join(GOLDEN, format, f.path), 'utf8'), `${format}: ${f.path} differs from its golden file`);
        assert.equal(modesText(files), readFileSync(join(GOLDEN, `${format}.modes`), 'utf8'), `${format}: file modes differ`);
      });
    }
  }

  test('render: the same model renders byte-identically twice (stable order)', () => {
    for (const format of GUEST_FORMATS) {
      assert.deepEqual(renderGuest(structuredClone(TWO_ENI_MODEL), format), renderGuest(TWO_ENI_MODEL, format));
      assert.deepEqual(renderGuest(structuredClone(DUAL_STACK_MODEL), format), renderGuest(DUAL_STACK_MODEL, format));
    }
  });
});

describe('guest renderers: the routing rules every format follows', () => {
  const all = (format: (typeof GUEST_FORMATS)[number], model: GuestModel = TWO_ENI_MODEL) =>
    renderGuest(model, format)
      .map((f) => f.content)
      .join('\n');

  test('render: table 1001 and one rule per address of the secondary ENI, none for the primary', () => {
    const expectations: Record<string, { rule: (ip: string) => RegExp }> = {
      'rhel-ifcfg': { rule: (ip) => new RegExp(`^from ${ip} table 1001 priority 1001$`, 'm') },
      ifupdown: { rule: (ip) => new RegExp(`post-up ip rule add from ${ip} table 1001 priority 1001$`, 'm') },
      netplan: { rule: (ip) => new RegExp(`- from: ${ip}\\n\\s+table: 1001\\n\\s+priority: 1001`) },
      'suse-ifcfg': { rule: (ip) => new RegExp(`^priority 1001 from ${ip} table 1001$`, 'm') },
      'nm-keyfile': { rule: (ip) => new RegExp(`^routing-rule\\d=priority 1001 from ${ip} table 1001$`, 'm') },
      networkd: { rule: (ip) => new RegExp(`\\[RoutingPolicyRule\\]\\nFrom=${ip}\\nTable=1001\\nPriority=1001`) },
    };
    for (const [format, e] of Object.entries(expectations)) {
      const text = all(format as (typeof GUEST_FORMATS)[number]);
      for (const ip of ['192.168.1.20', '192.168.1.21', '192.168.1.22']) assert.match(text, e.rule(ip), `${format}: rule for ${ip}`);
      for (const ip of ['192.168.1.10', '192.168.1.11', '192.168.1.12']) assert.ok(!e.rule(ip).test(text), `${format}: no rule for the primary ENI's ${ip}`);
      assert.ok(!/table 1000|Table=1000|table: 1000/.test(text), `${format}: no table for the primary ENI`);
    }
  });

  test('render: dual stack: a rule per IPv6 address and per /28 and /80 prefix of the secondary ENI, none for the primary', () => {
    const v6rule: Record<string, (src: string) => RegExp> = {
      'rhel-ifcfg': (src) => new RegExp(`^from ${src} table 1001 priority 1001$`, 'm'),
      ifupdown: (src) => new RegExp(`post-up ip${src.includes(':') ? ' -6' : ''} rule add from ${src} table 1001 priority 1001$`, 'm'),
      netplan: (src) => new RegExp(`- from: ${src}\\n\\s+table: 1001\\n\\s+priority: 1001`),
      'suse-ifcfg': (src) => new RegExp(`^priority 1001 from ${src} table 1001$`, 'm'),
      'nm-keyfile': (src) => new RegExp(`^routing-rule\\d=priority 1001 from ${src} table 1001$`, 'm'),
      networkd: (src) => new RegExp(`\\[RoutingPolicyRule\\]\\nFrom=${src}\\nTable=1001\\nPriority=1001`),
    };
    for (const [format, rule] of Object.entries(v6rule)) {
      const text = all(format as (typeof GUEST_FORMATS)[number], DUAL_STACK_MODEL);
      for (const src of ['2408:4005:3a2:c704::20', '2408:4005:3a2:c704::21', '2408:4005:3a2:c704:1a2b::/80', '192.168.1.32/28'])
        assert.match(text, rule(src), `${format}: rule for ${src}`);
      assert.ok(!rule('2408:4005:3a2:c704::10').test(text), `${format}: no rule for the primary ENI's IPv6 address`);
      // Prefixes are routed to the ENI, never assigned to it.
      assert.ok(!/192\.168\.1\.32(?!\/28)|1a2b::(?!\/80)/.test(text), `${format}: a prefix appears only as a rule's source`);
    }
    // RHEL: the IPv6 rules and table routes go to rule6-/route6- files (ip -6), the /28 to rule-eth1.
    const rhel = Object.fromEntries(renderGuest(DUAL_STACK_MODEL, 'rhel-ifcfg').map((f) => [f.path.split('/').pop()!, f.content]));
    assert.match(rhel['rule6-eth1']!, /^from 2408:4005:3a2:c704:1a2b::\/80 table 1001 priority 1001$/m);
    assert.doesNotMatch(rhel['rule-eth1']!, /2408/);
    assert.match(rhel['route6-eth1']!, /^default via 2408:4005:3a2:c704:ffff:ffff:ffff:fff7 dev eth1 table 1001$/m);
    assert.match(rhel['ifcfg-eth1']!, /^IPV6_DEFROUTE=no$/m);
    assert.doesNotMatch(rhel['ifcfg-eth1']!, /IPV6_DEFAULTGW/);
    assert.match(rhel['ifcfg-eth0']!, /^IPV6_DEFAULTGW=2408:4005:3a2:c704:ffff:ffff:ffff:fff7$/m);
  });

  test('render: an ENI without IPv6 renders exactly as before (no IPv6 keys, method=ignore, IPV6INIT=no)', () => {
    for (const format of GUEST_FORMATS) {
      const text = all(format);
      assert.ok(!/2408|IPV6ADDR|IPADDR6|inet6|::\/0/.test(text), format);
    }
  });

  test('render: a secondary ENI never gets a default route in main', () => {
    const ifcfg = renderGuest(TWO_ENI_MODEL, 'rhel-ifcfg').find((f) => f.path.endsWith('/ifcfg-eth1'))!.content;
    assert.match(ifcfg, /^DEFROUTE=no$/m);
    assert.ok(!/GATEWAY/.test(ifcfg));
    const nm = renderGuest(TWO_ENI_MODEL, 'nm-keyfile').find((f) => f.path.endsWith('eniplane-eth1.nmconnection'))!.content;
    assert.match(nm, /^never-default=true$/m);
    assert.ok(!/^gateway=/m.test(nm));
    const eni = all('ifupdown').split('auto eth1\n')[1]!;
    assert.ok(!/^\s+gateway /m.test(eni), 'no gateway line in the eth1 stanzas');
  });

  test('render: one instance with only a primary ENI gets no tables, rules or rp_filter drop-in', () => {
    const single: GuestModel = { ...TWO_ENI_MODEL, enis: [TWO_ENI_MODEL.enis[0]!] };
    for (const format of GUEST_FORMATS) {
      const files = renderGuest(single, format);
      assert.ok(!files.some((f) => f.path.includes('sysctl.d')), `${format}: no rp_filter drop-in`);
      assert.ok(!/1001/.test(files.map((f) => f.content).join('')), `${format}: no table 1001`);
    }
  });

  test('render: tables follow the attachment index, not the interface order', () => {
    const eth1 = TWO_ENI_MODEL.enis[1]!;
    const model: GuestModel = { ...TWO_ENI_MODEL, enis: [TWO_ENI_MODEL.enis[0]!, { ...eth1, index: 3, ifname: 'eth3' }] };
    const text = all('networkd', model);
    assert.match(text, /Table=1003/);
    assert.ok(!/Table=1001/.test(text));
  });

  test('render: an inconsistent model is refused before anything is produced', () => {
    const twoPrimaries: GuestModel = { ...TWO_ENI_MODEL, enis: TWO_ENI_MODEL.enis.map((e) => ({ ...e, primary: true })) };
    assert.throws(() => renderGuest(twoPrimaries, 'netplan'), /2 primary ENIs/);
    const clash: GuestModel = { ...TWO_ENI_MODEL, enis: [TWO_ENI_MODEL.enis[0]!, { ...TWO_ENI_MODEL.enis[1]!, index: 0, ifname: 'eth0' }] };
    assert.throws(() => renderGuest(clash, 'netplan'), /share index 0/);
  });

  test('render: keyfiles and netplan are written 0600, the rest 0644', () => {
    const root = goldenRoot('nm-keyfile');
    try {
      for (const p of listFiles(root)) {
        const mode = statSync(p).mode & 0o777;
        assert.equal(mode, p.endsWith('.nmconnection') ? 0o600 : 0o644, p);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('guest renderers: validated by the real tools', () => {
  test('netplan generate --root-dir accepts the netplan file and yields table routes and rules', { skip: toolSkip('netplan', 'netplan.io') }, () => {
    const root = goldenRoot('netplan');
    try {
      const r = run('netplan', ['generate', '--root-dir', root]);
      assert.equal(r.status, 0, `netplan generate failed:\n${r.out}`);
      assert.ok(!/warning|error/i.test(r.out), `netplan generate complained:\n${r.out}`);
      const dir = join(root, 'run/systemd/network');
      const generated = Object.fromEntries(readdirSync(dir).map((n) => [n, readFileSync(join(dir, n), 'utf8')]));
      const eth1 = Object.entries(generated).find(([n]) => n.endsWith('-eth1.network'))?.[1];
      assert.ok(eth1, `no eth1 .network among ${Object.keys(generated).join(', ')}`);
      assert.match(eth1, /MACAddress=00:16:3e:0a:00:02/);
      for (const ip of ['192.168.1.20', '192.168.1.21', '192.168.1.22'])
        assert.match(eth1, new RegExp(`\\[RoutingPolicyRule\\]\\nFrom=${ip}\\nTable=1001\\nPriority=1001`));
      assert.match(eth1, /\[Route\]\nDestination=0\.0\.0\.0\/0\nGateway=192\.168\.1\.253\nTable=1001/);
      const eth0 = Object.entries(generated).find(([n]) => n.endsWith('-eth0.network'))![1];
      assert.ok(!/RoutingPolicyRule|Table=/.test(eth0), 'no policy routing on the primary ENI');
      assert.match(Object.entries(generated).find(([n]) => n.endsWith('-eth1.link'))![1], /Name=eth1/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test(
    'networkd: the .network files say what netplan generates from the netplan rendering (addresses, routes, rules)',
    { skip: toolSkip('netplan', 'netplan.io') },
    () => {
      const viaNetplan = goldenRoot('netplan');
      try {
        const r = run('netplan', ['generate', '--root-dir', viaNetplan]);
        assert.equal(r.status, 0, r.out);
        const ours = renderGuest(TWO_ENI_MODEL, 'networkd');
        for (const ifname of ['eth0', 'eth1']) {
          const generated = readFileSync(join(viaNetplan, `run/systemd/network/10-netplan-${ifname}.network`), 'utf8');
          const mine = ours.find((f) => f.path.endsWith(`10-eniplane-${ifname}.network`))!.content;
          assert.deepEqual(routingFacts(mine), routingFacts(generated), ifname);
        }
      } finally {
        rmSync(viaNetplan, { recursive: true, force: true });
      }
    },
  );

  test('netplan generate: dual stack: IPv6 addresses, the IPv6 default, table routes and v6 rules', { skip: toolSkip('netplan', 'netplan.io') }, () => {
    const root = goldenRoot('netplan', DUAL_STACK_MODEL);
    try {
      const r = run('netplan', ['generate', '--root-dir', root]);
      assert.equal(r.status, 0, `netplan generate failed:\n${r.out}`);
      assert.ok(!/warning|error/i.test(r.out), `netplan generate complained:\n${r.out}`);
      const eth0 = readFileSync(join(root, 'run/systemd/network/10-netplan-eth0.network'), 'utf8');
      const eth1 = readFileSync(join(root, 'run/systemd/network/10-netplan-eth1.network'), 'utf8');
      assert.match(eth0, /^Address=2408:4005:3a2:c704::10\/64$/m);
      assert.match(eth0, /\[Route\]\nDestination=::\/0\nGateway=2408:4005:3a2:c704:ffff:ffff:ffff:fff7\n/);
      assert.ok(!/RoutingPolicyRule|Table=/.test(eth0), 'no policy routing on the primary ENI');
      assert.match(eth1, /^IPv6AcceptRA=no$/m);
      for (const a of ['2408:4005:3a2:c704::20/64', '2408:4005:3a2:c704::21/64']) assert.match(eth1, new RegExp(`^Address=${a}$`, 'm'));
      assert.match(eth1, /\[Route\]\nDestination=2408:4005:3a2:c704::\/64\nScope=link\nTable=1001/);
      assert.match(eth1, /\[Route\]\nDestination=::\/0\nGateway=2408:4005:3a2:c704:ffff:ffff:ffff:fff7\nTable=1001/);
      for (const src of ['2408:4005:3a2:c704::20', '2408:4005:3a2:c704::21', '2408:4005:3a2:c704:1a2b::/80', '192.168.1.32/28'])
        assert.match(eth1, new RegExp(`\\[RoutingPolicyRule\\]\\nFrom=${src}\\nTable=1001\\nPriority=1001`));
      // Our own networkd rendering says the same as what netplan made of the netplan one.
      const ours = renderGuest(DUAL_STACK_MODEL, 'networkd');
      for (const [ifname, generated] of [
        ['eth0', eth0],
        ['eth1', eth1],
      ] as const) {
        const mine = ours.find((f) => f.path.endsWith(`10-eniplane-${ifname}.network`))!.content;
        assert.deepEqual(routingFacts(mine), routingFacts(generated), ifname);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('ifquery and ifup --no-act: dual stack: inet6 stanzas, the IPv6 alias, ip -6 routes and rules', { skip: toolSkip('ifquery', 'ifupdown') }, () => {
    const root = goldenRoot('ifupdown', DUAL_STACK_MODEL);
    const file = join(root, 'etc/network/interfaces');
    try {
      const list = run('ifquery', ['--interfaces', file, '--list', '--all']);
      assert.equal(list.status, 0, list.out);
      assert.deepEqual(list.stdout.trim().split('\n'), ['lo', 'eth0', 'eth0:0', 'eth0:1', 'eth1', 'eth1:0', 'eth1:1', 'eth1:2']);
      const stateDir = join(root, 'run-network');
      mkdirSync(stateDir);
      const up = run('ifup', ['--no-act', '--verbose', '--all', '--interfaces', file, '--state-dir', stateDir]);
      assert.equal(up.status, 0, `ifup --no-act failed:\n${up.out}`);
      assert.match(up.out, /configuring interface eth1=eth1 \(inet6\)/);
      assert.match(up.out, /ip -6 addr add 2408:4005:3a2:c704::10\/64 +dev eth0/);
      assert.match(up.out, /ip -6 route replace default via 2408:4005:3a2:c704:ffff:ffff:ffff:fff7 +dev eth0/);
      assert.match(up.out, /ip -6 addr add 2408:4005:3a2:c704::20\/64 +dev eth1/);
      assert.match(up.out, /ip -6 addr add 2408:4005:3a2:c704::21\/64 +dev eth1:2/);
      assert.match(up.out, /ip -6 route replace default via 2408:4005:3a2:c704:ffff:ffff:ffff:fff7 dev eth1 table 1001/);
      assert.match(up.out, /ip -6 rule add from 2408:4005:3a2:c704:1a2b::\/80 table 1001 priority 1001/);
      assert.match(up.out, /ip rule add from 192\.168\.1\.32\/28 table 1001 priority 1001/);
      assert.match(up.out, /sysctl -q -e -w net\.ipv6\.conf\.eth1\.accept_ra=0/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('ifquery and ifup --no-act accept /etc/network/interfaces', { skip: toolSkip('ifquery', 'ifupdown') }, () => {
    const root = goldenRoot('ifupdown');
    const file = join(root, 'etc/network/interfaces');
    try {
      const list = run('ifquery', ['--interfaces', file, '--list', '--all']);
      assert.equal(list.status, 0, list.out);
      assert.deepEqual(list.stdout.trim().split('\n'), ['lo', 'eth0', 'eth0:0', 'eth0:1', 'eth1', 'eth1:0', 'eth1:1']);
      const eth1 = run('ifquery', ['--interfaces', file, 'eth1']);
      assert.equal(eth1.status, 0, eth1.out);
      assert.match(eth1.stdout, /^address: 192\.168\.1\.20$/m);
      assert.match(eth1.stdout, /^up: ip rule add from 192\.168\.1\.21 table 1001 priority 1001$/m);
      const stateDir = join(root, 'run-network');
      mkdirSync(stateDir);
      const up = run('ifup', ['--no-act', '--verbose', '--all', '--interfaces', file, '--state-dir', stateDir]);
      assert.equal(up.status, 0, `ifup --no-act failed:\n${up.out}`);
      assert.match(up.out, /ip route replace default via 192\.168\.1\.253 dev eth1 table 1001/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('eniplane guest render end to end: the metadata formats of the IPv6 and prefix items -> the golden files', () => {
  const BIN = fileURLToPath(new URL('../../bin/eniplane.js', import.meta.url));
  const DUAL = GOLDEN_SETS[1]!.dir;
  // A distro offering each format (distros.ts).
  const distroFor: Record<(typeof GUEST_FORMATS)[number], string> = {
    'rhel-ifcfg': 'rhel:9',
    'nm-keyfile': 'rhel:9',
    netplan: 'debian:12',
    ifupdown: 'debian:12',
    networkd: 'debian:12',
    'suse-ifcfg': 'sles:15',
    'windows-ps1': 'windows:2022',
  };
  // Asynchronous: the fixture metadata service answers from this process.
  const cli = (args: string[]) =>
    new Promise<{ status: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.once('close', (status) => resolve({ status, out }));
    });

  test('guest render reads ipv6s, ipv6-gateway, vswitch-ipv6-cidr-block, ipv4-prefixes, ipv6-prefixes and writes the dual-stack golden files', async () => {
    const md = await serveMetadataTree(DUAL_STACK_MODEL.instanceId, modelTree(DUAL_STACK_MODEL));
    try {
      for (const format of GUEST_FORMATS) {
        const root = mkdtempSync(join(tmpdir(), `eniplane-render-e2e-${format}-`));
        try {
          const r = await cli([
            'guest',
            'render',
            '--instance',
            DUAL_STACK_MODEL.instanceId,
            '--metadata',
            md.url,
            '--root',
            root,
            '--distro',
            distroFor[format],
            '--format',
            format,
          ]);
          assert.equal(r.status, 0, r.out);
          for (const rel of listFiles(join(DUAL, format)).map((p) => relative(join(DUAL, format), p)))
            assert.equal(readFileSync(join(root, rel), 'utf8'), readFileSync(join(DUAL, format, rel), 'utf8'), `${format}: ${rel}`);
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      }
    } finally {
      await md.close();
    }
  });
});
