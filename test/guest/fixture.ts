import type { GuestModel } from '../../src/guest/model.ts';

/**
 * The golden-file instance: a primary ENI and one secondary ENI in the same vSwitch (the seed's
 * attach rule), each with two secondary private IPs, as metadata would describe it.
 */
export const TWO_ENI_MODEL: GuestModel = {
  instanceId: 'i-bp1golden000000000001',
  regionId: 'cn-hangzhou',
  zoneId: 'cn-hangzhou-k',
  imageId: 'ubuntu_22_04_x64_20G_alibase_20240926.vhd',
  nameservers: ['100.100.2.136', '100.100.2.138'],
  enis: [
    {
      mac: '00:16:3e:0a:00:01',
      eniId: 'eni-bp1golden0000000001',
      primary: true,
      index: 0,
      ifname: 'eth0',
      primaryIp: '192.168.1.10',
      secondaryIps: ['192.168.1.11', '192.168.1.12'],
      netmask: '255.255.255.0',
      prefixLength: 24,
      gateway: '192.168.1.253',
      vswitchId: 'vsw-bp1golden000000001',
      vswitchCidr: '192.168.1.0/24',
      vpcId: 'vpc-bp1golden000000001',
      vpcCidr: '192.168.0.0/16',
      ipv6s: [],
      vpcIpv6Cidrs: [],
      ipv4Prefixes: [],
      ipv6Prefixes: [],
    },
    {
      mac: '00:16:3e:0a:00:02',
      eniId: 'eni-bp1golden0000000002',
      primary: false,
      index: 1,
      ifname: 'eth1',
      primaryIp: '192.168.1.20',
      secondaryIps: ['192.168.1.21', '192.168.1.22'],
      netmask: '255.255.255.0',
      prefixLength: 24,
      gateway: '192.168.1.253',
      vswitchId: 'vsw-bp1golden000000001',
      vswitchCidr: '192.168.1.0/24',
      vpcId: 'vpc-bp1golden000000001',
      vpcCidr: '192.168.0.0/16',
      ipv6s: [],
      vpcIpv6Cidrs: [],
      ipv4Prefixes: [],
      ipv6Prefixes: [],
    },
  ],
};

const V6_GATEWAY = '2408:4005:3a2:c704:ffff:ffff:ffff:fff7';
const V6_VSWITCH = '2408:4005:3a2:c704::/64';

/**
 * The dual-stack golden instance: the same two ENIs in a vSwitch with an IPv6 /64, the primary ENI
 * with one IPv6 address, the secondary with two, an IPv4 /28 prefix and an IPv6 /80 prefix
 * (Terway's dual-stack prefix mode), as metadata would describe them.
 */
export const DUAL_STACK_MODEL: GuestModel = {
  ...TWO_ENI_MODEL,
  instanceId: 'i-bp1golden000000000006',
  enis: [
    {
      ...TWO_ENI_MODEL.enis[0]!,
      ipv6s: ['2408:4005:3a2:c704::10'],
      ipv6Gateway: V6_GATEWAY,
      vswitchIpv6Cidr: V6_VSWITCH,
      vpcIpv6Cidrs: ['2408:4005:3a2:c700::/56'],
    },
    {
      ...TWO_ENI_MODEL.enis[1]!,
      ipv6s: ['2408:4005:3a2:c704::20', '2408:4005:3a2:c704::21'],
      ipv6Gateway: V6_GATEWAY,
      vswitchIpv6Cidr: V6_VSWITCH,
      vpcIpv6Cidrs: ['2408:4005:3a2:c700::/56'],
      ipv4Prefixes: ['192.168.1.32/28'],
      ipv6Prefixes: ['2408:4005:3a2:c704:1a2b::/80'],
    },
  ],
};

/**
 * A stand-in metadata service serving one instance's tree, for tests that need items the real
 * server does not serve yet (the IPv6 and prefix items). Paths are relative to `meta-data/`;
 * directories list their children; a missing item is 404; the token PUT answers 404, so clients
 * in `auto` mode read in normal mode. `tree` may be changed between requests.
 */
export interface MetadataTree {
  url: string;
  tree: Record<string, string>;
  close(): Promise<void>;
}

/** The per-MAC tree of an ENI of a model, with the IPv6 and prefix items in the formats metadata-parse.ts reads. */
export function macTree(e: GuestModel['enis'][number]): Record<string, string> {
  const dir = `network/interfaces/macs/${e.mac}`;
  const t: Record<string, string> = {
    [`${dir}/network-interface-id`]: e.eniId,
    [`${dir}/primary-ip-address`]: e.primaryIp,
    [`${dir}/private-ipv4s`]: JSON.stringify([e.primaryIp, ...e.secondaryIps]),
    [`${dir}/netmask`]: e.netmask,
    [`${dir}/gateway`]: e.gateway,
    [`${dir}/vswitch-id`]: e.vswitchId,
    [`${dir}/vswitch-cidr-block`]: e.vswitchCidr,
    [`${dir}/vpc-id`]: e.vpcId,
    [`${dir}/vpc-cidr-block`]: e.vpcCidr,
  };
  if (e.ipv6s.length) t[`${dir}/ipv6s`] = `[${e.ipv6s.join(',')}]`;
  if (e.ipv6Gateway) t[`${dir}/ipv6-gateway`] = e.ipv6Gateway;
  if (e.vswitchIpv6Cidr) t[`${dir}/vswitch-ipv6-cidr-block`] = e.vswitchIpv6Cidr;
  if (e.vpcIpv6Cidrs.length) t[`${dir}/vpc-ipv6-cidr-blocks`] = `[${e.vpcIpv6Cidrs.join(',')}]`;
  if (e.ipv4Prefixes.length) t[`${dir}/ipv4-prefixes`] = JSON.stringify(e.ipv4Prefixes);
  if (e.ipv6Prefixes.length) t[`${dir}/ipv6-prefixes`] = `[${e.ipv6Prefixes.join(',')}]`;
  return t;
}

/** A model's whole tree (instance items, the MAC listing, every ENI's items). */
export function modelTree(model: GuestModel): Record<string, string> {
  const primary = model.enis.find((e) => e.primary)!;
  return {
    'instance-id': model.instanceId,
    'region-id': model.regionId,
    'zone-id': model.zoneId,
    mac: primary.mac,
    ...(model.imageId ? { 'image-id': model.imageId } : {}),
    ...(model.nameservers ? { 'dns-conf/nameservers': model.nameservers.map((n) => `${n}\n`).join('') } : {}),
    'network/interfaces/macs/': model.enis.map((e) => `${e.mac}/\n`).join(''),
    ...Object.assign({}, ...model.enis.map(macTree)),
  };
}

export async function serveMetadataTree(instanceId: string, tree: Record<string, string>): Promise<MetadataTree> {
  const { createServer } = await import('node:http');
  const state = { tree };
  const server = createServer((req, res) => {
    const m = /^\/latest\/meta-data\/(.*)$/.exec(req.url ?? '');
    const body = req.method === 'GET' && m && req.headers['x-eniplane-instance-id'] === instanceId ? state.tree[m[1]!] : undefined;
    if (body === undefined) return res.writeHead(404).end('Not Found');
    return res.writeHead(200, { 'content-type': 'text/plain' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    get tree() {
      return state.tree;
    },
    set tree(t) {
      state.tree = t;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
