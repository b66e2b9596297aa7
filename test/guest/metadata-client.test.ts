import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { metadataBase, readGuestModel } from '../../src/guest/metadata-client.ts';
import {
  buildGuestModel,
  netmaskToPrefix,
  parseIpv4List,
  parseIpv6List,
  parseListing,
  parseMetadataList,
  parseNameservers,
  type RawInstanceMetadata,
} from '../../src/guest/metadata-parse.ts';

const INSTANCE = 'i-bp1meta0000000000001';
const P = '00:16:3e:00:00:01';
const S = '00:16:3e:00:00:02';

function macItems(eniId: string, primaryIp: string, all: string[]) {
  return {
    'network-interface-id': eniId,
    'primary-ip-address': primaryIp,
    'private-ipv4s': JSON.stringify(all),
    netmask: '255.255.255.0',
    gateway: '192.168.1.253',
    'vswitch-id': 'vsw-1',
    'vswitch-cidr-block': '192.168.1.0/24',
    'vpc-id': 'vpc-1',
    'vpc-cidr-block': '192.168.0.0/16',
  };
}

const RAW: RawInstanceMetadata = {
  instanceId: INSTANCE,
  regionId: 'cn-hangzhou',
  zoneId: 'cn-hangzhou-k',
  primaryMac: P,
  imageId: 'ubuntu_22_04_x64_20G_alibase_20240926.vhd',
  nameservers: '100.100.2.136\n100.100.2.138\n',
  macs: { [S]: macItems('eni-2', '192.168.1.20', ['192.168.1.20', '192.168.1.21']), [P]: macItems('eni-1', '192.168.1.10', ['192.168.1.10']) },
};

/** The IPv6 and prefix items, in the formats the metadata service serves them (metadata-parse.ts). */
const V6_ITEMS = {
  ipv6s: '[2408:4005:3a2:c704::1a2b,2408:4005:03a2:c704:0:0:0:3C4D]',
  'ipv6-gateway': '2408:4005:3a2:c704:ffff:ffff:ffff:fff7',
  'vswitch-ipv6-cidr-block': '2408:4005:3a2:c704::/64',
  'vpc-ipv6-cidr-blocks': '[2408:4005:3a2:c700::/56]',
  'ipv4-prefixes': '["192.168.1.32/28","192.168.1.48/28"]',
  'ipv6-prefixes': '[2408:4005:3a2:c704:1a2b::/80]',
};
/** RAW with the secondary ENI dual-stack; the primary's IPv6 items all answer 404. */
const RAW_V6: RawInstanceMetadata = { ...RAW, macs: { ...RAW.macs, [S]: { ...RAW.macs[S]!, ...V6_ITEMS } } };

describe('metadata parsing (pure)', () => {
  test('metadata: listings drop trailing slashes and blank lines', () => {
    assert.deepEqual(parseListing(`${P}/\n${S}/\n`), [P, S]);
    assert.deepEqual(parseListing(''), []);
  });

  test('metadata: private-ipv4s is a JSON array of IPv4 strings', () => {
    assert.deepEqual(parseIpv4List('["192.168.0.5","192.168.0.6"]', 'x'), ['192.168.0.5', '192.168.0.6']);
    assert.throws(() => parseIpv4List('[192.168.0.5]', 'x'), /not a JSON array/);
    assert.throws(() => parseIpv4List('["300.1.1.1"]', 'x'), /not an IPv4/);
    assert.throws(() => parseIpv4List('{"a":1}', 'x'), /JSON array of strings/);
  });

  test('metadata: netmasks become prefix lengths; non-contiguous masks are refused', () => {
    assert.equal(netmaskToPrefix('255.255.255.0'), 24);
    assert.equal(netmaskToPrefix('255.255.240.0'), 20);
    assert.throws(() => netmaskToPrefix('255.0.255.0'), /contiguous/);
  });

  test('metadata: nameservers are one per line', () => {
    assert.deepEqual(parseNameservers('100.100.2.136\n100.100.2.138\n'), ['100.100.2.136', '100.100.2.138']);
  });

  test('metadata: the model orders ENIs by index, names them ethN and leaves the primary IP out of the secondaries', () => {
    const { model, indexes } = buildGuestModel(RAW, {});
    assert.deepEqual(indexes, { [P]: 0, [S]: 1 });
    assert.deepEqual(
      model.enis.map((e) => [e.ifname, e.eniId, e.primary, e.secondaryIps, e.prefixLength]),
      [
        ['eth0', 'eni-1', true, [], 24],
        ['eth1', 'eni-2', false, ['192.168.1.21'], 24],
      ],
    );
    assert.deepEqual(model.nameservers, ['100.100.2.136', '100.100.2.138']);
    assert.equal(model.imageId, RAW.imageId);
  });

  test('metadata: remembered indexes are kept', () => {
    const { model } = buildGuestModel(RAW, { [P]: 0, [S]: 4 });
    assert.deepEqual(
      model.enis.map((e) => e.ifname),
      ['eth0', 'eth4'],
    );
  });

  test('metadata: a netmask that disagrees with the vSwitch CIDR is refused', () => {
    const bad = structuredClone(RAW);
    bad.macs[S]!.netmask = '255.255.0.0';
    assert.throws(() => buildGuestModel(bad, {}), /does not match vswitch-cidr-block/);
  });

  test('metadata: list items in each shape the service uses (JSON, bracketed unquoted, bare)', () => {
    assert.deepEqual(parseMetadataList('[2408::1,2408::2]'), ['2408::1', '2408::2']);
    assert.deepEqual(parseMetadataList('["192.168.1.32/28","192.168.1.48/28"]'), ['192.168.1.32/28', '192.168.1.48/28']);
    assert.deepEqual(parseMetadataList('192.168.1.32/28'), ['192.168.1.32/28']);
    assert.deepEqual(parseMetadataList('192.168.1.32/28\n192.168.1.48/28\n'), ['192.168.1.32/28', '192.168.1.48/28']);
    assert.deepEqual(parseMetadataList('[]'), []);
    assert.deepEqual(parseIpv6List('[2408:4005:03A2:c704:0:0:0:1a2b, 2408:4005:3a2:c704::1a2b]', 'x'), ['2408:4005:3a2:c704::1a2b']);
    assert.throws(() => parseIpv6List('[192.168.0.1]', 'x'), /not an IPv6 address/);
  });

  test('metadata: IPv6 addresses, gateway, CIDRs and prefixes become the model; 404 (absent) is none', () => {
    const { model } = buildGuestModel(RAW_V6, {});
    const [eth0, eth1] = model.enis;
    assert.deepEqual(
      [eth0!.ipv6s, eth0!.ipv6Gateway, eth0!.vswitchIpv6Cidr, eth0!.vpcIpv6Cidrs, eth0!.ipv4Prefixes, eth0!.ipv6Prefixes],
      [[], undefined, undefined, [], [], []],
    );
    assert.deepEqual(eth1!.ipv6s, ['2408:4005:3a2:c704::1a2b', '2408:4005:3a2:c704::3c4d']);
    assert.equal(eth1!.ipv6Gateway, '2408:4005:3a2:c704:ffff:ffff:ffff:fff7');
    assert.equal(eth1!.vswitchIpv6Cidr, '2408:4005:3a2:c704::/64');
    assert.deepEqual(eth1!.vpcIpv6Cidrs, ['2408:4005:3a2:c700::/56']);
    assert.deepEqual(eth1!.ipv4Prefixes, ['192.168.1.32/28', '192.168.1.48/28']);
    assert.deepEqual(eth1!.ipv6Prefixes, ['2408:4005:3a2:c704:1a2b::/80']);
  });

  test('metadata: malformed IPv6 and prefix items are refused, naming the item', () => {
    const bad = (items: Record<string, string>) => {
      const raw = structuredClone(RAW_V6);
      Object.assign(raw.macs[S]!, items);
      return () => buildGuestModel(raw, {});
    };
    assert.throws(bad({ 'ipv6-gateway': '192.168.1.253' }), new RegExp(`macs/${S}/ipv6-gateway "192.168.1.253" is not an IPv6 address`));
    assert.throws(bad({ 'vswitch-ipv6-cidr-block': '2408:4005:3a2:c704::1/64' }), /vswitch-ipv6-cidr-block .* \(host bits set\)/);
    assert.throws(bad({ 'ipv4-prefixes': '["192.168.1.33/28"]' }), /ipv4-prefixes "192.168.1.33\/28" is not an IPv4 CIDR block/);
    assert.throws(bad({ 'ipv6-prefixes': '[2408::/80,nope]' }), /ipv6-prefixes "nope" is not an IPv6 CIDR block/);
  });

  test('metadata: base URLs with or without /latest', () => {
    assert.equal(metadataBase('http://100.100.100.200'), 'http://100.100.100.200');
    assert.equal(metadataBase('http://127.0.0.1:9/latest/'), 'http://127.0.0.1:9');
    assert.throws(() => metadataBase('ftp://x'), /http/);
    assert.throws(() => metadataBase('not a url'), /not a URL/);
  });
});

/** A scripted stand-in for the metadata service, to drive the client's token and retry paths. */
interface Script {
  tokenStatus: number;
  requireToken: boolean;
  /** GETs with a token answered 401 before tokens are honoured (an expiry). */
  expireFirst: number;
  /** GETs of the secondary MAC's items answered 404 before they appear (hot-plug). */
  hotplugMisses: number;
  puts: number;
  gets: IncomingMessage['headers'][];
}

describe('metadata client against a scripted service', () => {
  let server: Server;
  let url: string;
  let script: Script;
  const reset = (s: Partial<Script> = {}) => (script = { tokenStatus: 200, requireToken: false, expireFirst: 0, hotplugMisses: 0, puts: 0, gets: [], ...s });

  function answer(path: string): string | undefined {
    const top: Record<string, string> = {
      'instance-id': INSTANCE,
      'region-id': 'cn-hangzhou',
      'zone-id': 'cn-hangzhou-k',
      mac: P,
      'image-id': RAW.imageId!,
      'dns-conf/nameservers': RAW.nameservers!,
      'network/interfaces/macs/': `${P}/\n${S}/\n`,
    };
    const m = /^\/latest\/meta-data\/(.*)$/.exec(path);
    if (!m) return undefined;
    if (top[m[1]!] !== undefined) return top[m[1]!];
    const item = /^network\/interfaces\/macs\/([^/]+)\/(.+)$/.exec(m[1]!);
    if (!item) return undefined;
    if (item[1] === S && script.hotplugMisses > 0) {
      script.hotplugMisses--;
      return undefined;
    }
    return (RAW_V6.macs[item[1]!] as Record<string, string> | undefined)?.[item[2]!];
  }

  before(async () => {
    reset();
    server = createServer((req, res) => {
      if (req.headers['x-eniplane-instance-id'] !== INSTANCE) return res.writeHead(404).end('Not Found');
      if (req.method === 'PUT' && req.url === '/latest/api/token') {
        script.puts++;
        if (req.headers['x-aliyun-ecs-metadata-token-ttl-seconds'] !== '21600') return res.writeHead(400).end('bad ttl');
        return script.tokenStatus === 200 ? res.writeHead(200).end(`tok-${script.puts}`) : res.writeHead(script.tokenStatus).end('refused');
      }
      script.gets.push(req.headers);
      const token = req.headers['x-aliyun-ecs-metadata-token'];
      if (token && script.expireFirst > 0) {
        script.expireFirst--;
        return res.writeHead(401).end('Unauthorized');
      }
      if (!token && script.requireToken) return res.writeHead(403).end('Forbidden');
      const body = answer(req.url ?? '');
      return body === undefined ? res.writeHead(404).end('Not Found') : res.writeHead(200, { 'content-type': 'text/plain' }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  test('metadata client: reads the model with a token on every GET', async () => {
    reset();
    const { model } = await readGuestModel(url, INSTANCE, { hotplugDeadlineMs: 0 });
    assert.deepEqual(
      model.enis.map((e) => e.primaryIp),
      ['192.168.1.10', '192.168.1.20'],
    );
    assert.equal(script.puts, 1);
    assert.ok(script.gets.every((h) => h['x-aliyun-ecs-metadata-token'] === 'tok-1'));
    // The primary's IPv6 and prefix items answered 404 (none); the secondary's were read whole.
    assert.deepEqual(model.enis[0]!.ipv6s, []);
    assert.deepEqual(model.enis[1]!.ipv6s, ['2408:4005:3a2:c704::1a2b', '2408:4005:3a2:c704::3c4d']);
    assert.deepEqual(model.enis[1]!.ipv4Prefixes, ['192.168.1.32/28', '192.168.1.48/28']);
  });

  test('metadata client: a 401 drops the token and asks for a new one once', async () => {
    reset({ expireFirst: 1 });
    await readGuestModel(url, INSTANCE, { hotplugDeadlineMs: 0 });
    assert.equal(script.puts, 2);
    reset({ expireFirst: 1000 });
    await assert.rejects(readGuestModel(url, INSTANCE, { hotplugDeadlineMs: 0 }), /rejected the token .* even after a fresh one/);
  });

  test('metadata client: a refused token falls back to normal mode, unless tokens are required', async () => {
    reset({ tokenStatus: 404 });
    await readGuestModel(url, INSTANCE, { hotplugDeadlineMs: 0 });
    assert.ok(script.gets.every((h) => h['x-aliyun-ecs-metadata-token'] === undefined));
    reset({ tokenStatus: 403 });
    await assert.rejects(readGuestModel(url, INSTANCE, { token: 'required' }), /refused a token \(PUT \/latest\/api\/token answered HTTP 403/);
    reset({ tokenStatus: 403, requireToken: true });
    await assert.rejects(readGuestModel(url, INSTANCE, { hotplugDeadlineMs: 0 }), /HTTP 403 without a token; PUT \/latest\/api\/token answered HTTP 403/);
  });

  test('metadata client: token mode off never PUTs', async () => {
    reset();
    await readGuestModel(url, INSTANCE, { token: 'off', hotplugDeadlineMs: 0 });
    assert.equal(script.puts, 0);
  });

  test('metadata client: a hot-plugged MAC whose items 404 is retried until they appear', async () => {
    reset({ hotplugMisses: 3 });
    const retries: string[] = [];
    const { model } = await readGuestModel(url, INSTANCE, { hotplugDeadlineMs: 5000, retryIntervalMs: 20, onRetry: (r) => retries.push(r) });
    assert.equal(model.enis.length, 2);
    assert.ok(retries.length >= 1 && retries[0]!.includes(S), retries.join('\n'));
  });

  test('metadata client: ... and given up on with a clear message at the deadline', async () => {
    reset({ hotplugMisses: 1_000_000 });
    const started = Date.now();
    await assert.rejects(
      readGuestModel(url, INSTANCE, { hotplugDeadlineMs: 300, retryIntervalMs: 50 }),
      new RegExp(`still incomplete after 0.3 s .*missing ${S}: network-interface-id`),
    );
    assert.ok(Date.now() - started >= 300);
  });

  test('metadata client: an unknown instance and an unreachable service are clear errors', async () => {
    reset();
    await assert.rejects(readGuestModel(url, 'i-nosuchinstance', { hotplugDeadlineMs: 0 }), /knows no instance i-nosuchinstance/);
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await assert.rejects(readGuestModel(`http://127.0.0.1:${port}`, INSTANCE), /metadata service unreachable at http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/);
  });
});
