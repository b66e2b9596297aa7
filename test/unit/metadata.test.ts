import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildMetaData, type MetadataInstance } from '../../src/metadata/build-tree.ts';
import { decideCaller, mayReadCredentials, plainIpv4 } from '../../src/metadata/caller.ts';
import { laggedView } from '../../src/metadata/lag.ts';
import { isTokenPath, parseMetadataPath } from '../../src/metadata/request-path.ts';
import { issueToken, parseTokenTtl, verifyToken } from '../../src/metadata/tokens.ts';
import { render, toJson, walk } from '../../src/metadata/tree.ts';

const instance: MetadataInstance = {
  id: 'i-bp1aaaaaaaaaaaaaaaaa',
  accountId: '1234567890123456',
  regionId: 'cn-hangzhou',
  zoneId: 'cn-hangzhou-i',
  hostName: 'host',
  name: 'name',
  instanceType: 'ecs.g7.large',
  imageId: 'img',
  userData: '',
  tags: [],
  tagsInMetadata: false,
  enis: [
    {
      id: 'eni-1',
      mac: '00:16:3e:00:00:01',
      primary: true,
      primaryIp: '10.0.0.70',
      privateIps: ['10.0.0.70', '10.0.0.71'],
      vswitchId: 'vsw-1',
      vswitchCidr: '10.0.0.64/26',
      vpcId: 'vpc-1',
      vpcCidr: '10.0.0.0/16',
      vswitchIpv6Cidr: '',
      vpcIpv6Cidr: '',
      ipv6s: [],
      ipv6Prefixes: [],
      ipv4Prefixes: [],
    },
  ],
};

test('metadata tree: gateway and netmask follow the vSwitch prefix (broadcast - 2), not a /24 habit', () => {
  const tree = buildMetaData(instance);
  const base = ['network', 'interfaces', 'macs', '00:16:3e:00:00:01'];
  assert.equal(render(walk(tree, [...base, 'gateway'])!), '10.0.0.125');
  assert.equal(render(walk(tree, [...base, 'netmask'])!), '255.255.255.192');
  assert.equal(render(walk(tree, [...base, 'private-ipv4s'])!), '["10.0.0.70","10.0.0.71"]');
  assert.equal(walk(tree, [...base, 'ipv6s']), undefined);
  assert.equal(walk(tree, ['eipv4']), undefined, 'no EIP, no item');
  assert.equal(render(walk(tree, ['network', '', 'interfaces', 'macs', ''])!), '00:16:3e:00:00:01/');
  const all = toJson(tree) as Record<string, unknown>;
  assert.deepEqual(all['dns-conf'], { nameservers: ['100.100.2.136', '100.100.2.138'] });
});

test('metadata tree: tags/instance/ only when enabled, without keys that cannot be a path segment', () => {
  assert.equal(walk(buildMetaData({ ...instance, tags: [{ key: 'a', value: '1' }] }), ['tags']), undefined);
  const tree = buildMetaData({
    ...instance,
    tagsInMetadata: true,
    tags: [
      { key: 'a', value: '1' },
      { key: 'x/y', value: '2' },
      { key: '..', value: '3' },
    ],
  });
  assert.equal(render(walk(tree, ['tags', 'instance'])!), 'a');
});

test('metadata tokens: bound to the instance and the secret, expire, and resist tampering', () => {
  const t = issueToken('s3cret', 'i-a', 1_000_000, 60);
  assert.equal(verifyToken('s3cret', 'i-a', t, 1_000_000), true);
  assert.equal(verifyToken('s3cret', 'i-a', t, 1_059_999), true);
  assert.equal(verifyToken('s3cret', 'i-a', t, 1_060_000), false, 'expired');
  assert.equal(verifyToken('s3cret', 'i-b', t, 1_000_000), false, 'another instance');
  assert.equal(verifyToken('other', 'i-a', t, 1_000_000), false, 'another secret');
  const [v, , sig] = t.split('.');
  assert.equal(verifyToken('s3cret', 'i-a', `${v}.9999999999999.${sig}`, 1_000_000), false, 'a longer expiry');
  assert.equal(verifyToken('s3cret', 'i-a', 'garbage', 1_000_000), false);
});

test('metadata tokens: the TTL header takes 1..21600 seconds', () => {
  assert.deepEqual(['1', '21600', ' 60 '].map(parseTokenTtl), [1, 21600, 60]);
  assert.deepEqual(['0', '21601', '-1', '1.5', '', 'x', undefined].map(parseTokenTtl), Array(7).fill(undefined));
});

test('metadata lag: a change is served lag ms after it was first seen', () => {
  const view = laggedView<string>(100, (v) => v);
  assert.equal(view.observe('i', 'old', 0), 'old');
  assert.equal(view.observe('i', 'new', 50), 'old');
  assert.equal(view.observe('i', 'new', 149), 'old');
  assert.equal(view.observe('i', 'new', 150), 'new');
  assert.equal(view.observe('i', 'newer', 151), 'new');
  assert.equal(view.observe('other', 'x', 151), 'x', 'a first read is served as it is');
  assert.equal(laggedView<string>(0, (v) => v).observe('i', 'now', 0), 'now');
});

test('metadata paths: header or path prefix, versions, token path', () => {
  assert.deepEqual(parseMetadataPath('/latest/meta-data/mac?x=1', 'i-abc'), {
    kind: 'item',
    version: 'latest',
    instanceId: 'i-abc',
    segments: ['meta-data', 'mac'],
  });
  assert.deepEqual(parseMetadataPath('/i-abc/2016-01-01/meta-data/', undefined), {
    kind: 'item',
    version: '2016-01-01',
    instanceId: 'i-abc',
    segments: ['meta-data', ''],
  });
  assert.equal(parseMetadataPath('/i-abc/latest/', 'i-def').kind, 'conflict');
  assert.equal(parseMetadataPath('/1.0/meta-data/', 'i-abc').kind, 'not-found');
  assert.equal(parseMetadataPath('/', undefined).kind, 'root');
  assert.equal(isTokenPath(['api', 'token']), true);
  assert.equal(isTokenPath(['api', 'token', 'x']), false);
});

test("metadata tree: IPv6 and prefix items in the cloud's formats, and absent (404) without IPv6", () => {
  const base = ['network', 'interfaces', 'macs', '00:16:3e:00:00:01'];
  const plain = buildMetaData(instance);
  for (const item of ['ipv6s', 'ipv6-gateway', 'vswitch-ipv6-cidr-block', 'vpc-ipv6-cidr-blocks', 'ipv6-prefixes', 'ipv4-prefixes']) {
    assert.equal(walk(plain, [...base, item]), undefined, item);
  }
  const dual = buildMetaData({
    ...instance,
    enis: [
      {
        ...instance.enis[0]!,
        vswitchIpv6Cidr: '2001:db8:1:a204::/64',
        vpcIpv6Cidr: '2001:db8:1:a200::/56',
        ipv6s: ['2001:db8:1:a204::1a', '2001:db8:1:a204::2b'],
        ipv6Prefixes: ['2001:db8:1:a204:7::/80'],
        ipv4Prefixes: ['10.0.0.80/28'],
      },
    ],
  });
  const item = (name: string) => render(walk(dual, [...base, name])!);
  assert.equal(item('ipv6s'), '[2001:db8:1:a204::1a,2001:db8:1:a204::2b]');
  assert.equal(item('ipv6-gateway'), '2001:db8:1:a204:ffff:ffff:ffff:fff7');
  assert.equal(item('vswitch-ipv6-cidr-block'), '2001:db8:1:a204::/64');
  assert.equal(item('vpc-ipv6-cidr-blocks'), '[2001:db8:1:a200::/56]');
  assert.equal(item('ipv6-prefixes'), '[2001:db8:1:a204:7::/80]');
  assert.equal(item('ipv4-prefixes'), '["10.0.0.80/28"]');
});

test('caller: on loopback the request names the instance; through the data plane the source address decides', () => {
  const loopback = { kind: 'loopback' } as const;
  assert.deepEqual(decideCaller(loopback, 'i-a'), { instanceId: 'i-a' });
  const unnamed = decideCaller(loopback, undefined);
  assert.ok('status' in unnamed && unnamed.status === 404 && /^No instance named\./.test(unnamed.message));

  const fromA = { kind: 'dataplane', vpcId: 'vpc-1', address: '10.0.0.5', holder: 'i-a' } as const;
  assert.deepEqual(decideCaller(fromA, undefined), { instanceId: 'i-a' });
  assert.deepEqual(decideCaller(fromA, 'i-a'), { instanceId: 'i-a' }, 'naming itself is fine');
  assert.deepEqual(decideCaller(fromA, 'i-b'), {
    status: 403,
    message: 'Forbidden: this request comes from i-a (10.0.0.5); it may not read the metadata of i-b.',
  });
  const stranger = { kind: 'dataplane', vpcId: 'vpc-1', address: '10.0.0.99', holder: undefined } as const;
  assert.deepEqual(decideCaller(stranger, 'i-a'), { status: 403, message: 'Forbidden: no instance in vpc-1 holds the source address 10.0.0.99.' });

  assert.equal(mayReadCredentials(fromA, '10.0.0.5'), true, 'known by its address');
  assert.equal(mayReadCredentials(loopback, '127.0.0.1'), true);
  assert.equal(mayReadCredentials(loopback, '::ffff:127.0.0.1'), true);
  assert.equal(mayReadCredentials(loopback, '192.168.1.9'), false, 'named by a caller beyond this host');
  assert.equal(mayReadCredentials({ kind: 'dataplane', vpcId: 'vpc-1', address: '127.0.0.1', holder: undefined }, '127.0.0.1'), false);
  assert.equal(plainIpv4('::ffff:10.0.0.5'), '10.0.0.5');
});
