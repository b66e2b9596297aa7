import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as $Ecs from '@alicloud/ecs20140526';
import * as $Vpc from '@alicloud/vpc20160428';
import { regions } from '../../src/domain/regions.ts';
import { createAccount } from '../helpers/cli.ts';
import { ecsClient, popClient, vpcClient, type Key } from '../helpers/clients.ts';
import { expectApiError } from '../helpers/expect-error.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const region = 'cn-hangzhou';

type Pairs = Record<string, string>;
const vpcTags = (pairs: Pairs) => Object.entries(pairs).map(([key, value]) => new $Vpc.TagResourcesRequestTag({ key, value }));
const ecsTags = (pairs: Pairs) => Object.entries(pairs).map(([key, value]) => new $Ecs.TagResourcesRequestTag({ key, value }));
const many = (n: number, prefix = 'k') => Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, `v${i}`]));
const fakeIds = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}-bp1${String(i).padStart(17, '0')}`);

/** `{id: {key: value}}` from ListTagResources rows. */
function byResource(rows: { resourceId?: string; tagKey?: string; tagValue?: string }[]): Record<string, Pairs> {
  const out: Record<string, Pairs> = {};
  for (const r of rows) (out[r.resourceId!] ??= {})[r.tagKey!] = r.tagValue!;
  return out;
}

describe('VPC TagResources / UnTagResources / ListTagResources through the official VPC SDK', () => {
  let server: RunningServer;
  let vpc: ReturnType<typeof vpcClient>;
  let otherKey: Key;
  before(async () => {
    server = await startServer();
    vpc = vpcClient(server);
    otherKey = createAccount(server, 'other');
  });
  after(() => server.dispose());

  /** Helpers bound to one region: each test uses its own, so the 10-VPCs-per-region quota never interferes. */
  let cidr = 0;
  const at = (regionId: string) => {
    const zoneId = regions.find((r) => r.regionId === regionId)!.zones[0]!.zoneId;
    const h = {
      newVpc: async (c: ReturnType<typeof vpcClient> = vpc) =>
        (await c.createVpc(new $Vpc.CreateVpcRequest({ regionId, cidrBlock: `10.${cidr++}.0.0/16` }))).body!.vpcId!,
      newVSwitch: async (vpcId: string) => (await vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId, vpcId, zoneId, cidrMask: 24 }))).body!.vSwitchId!,
      tag: (resourceType: string, resourceId: string[], pairs: Pairs, c = vpc) =>
        c.tagResources(new $Vpc.TagResourcesRequest({ regionId, resourceType, resourceId, tag: vpcTags(pairs) })),
      untag: (resourceType: string, resourceId: string[], extra: Partial<$Vpc.UnTagResourcesRequest> = {}, c = vpc) =>
        c.unTagResources(new $Vpc.UnTagResourcesRequest({ regionId, resourceType, resourceId, ...extra })),
      list: (resourceType: string, extra: Partial<$Vpc.ListTagResourcesRequest> = {}, c = vpc) =>
        c.listTagResources(new $Vpc.ListTagResourcesRequest({ regionId, resourceType, ...extra })),
      tagsOf: async (resourceType: string, id: string, c = vpc) =>
        byResource((await h.list(resourceType, { resourceId: [id] }, c)).body!.tagResources!.tagResource!)[id] ?? {},
    };
    return { ...h, regionId };
  };

  test('TagResources: tags VPCs (type in any case); ListTagResources and DescribeVpcs show them; an existing key is overwritten', async () => {
    const { newVpc, tag, list, regionId } = at('cn-hangzhou');
    const a = await newVpc();
    const b = await newVpc();
    await tag('VPC', [a, b], { env: 'dev', team: 'net' });
    await tag('vpc', [a], { env: 'prod', owner: '' });
    const res = await list('VPC', { resourceId: [a, b] });
    assert.ok(res.body!.requestId);
    assert.equal(res.body!.nextToken, '');
    assert.deepEqual(byResource(res.body!.tagResources!.tagResource!), { [a]: { env: 'prod', owner: '', team: 'net' }, [b]: { env: 'dev', team: 'net' } });
    assert.ok(res.body!.tagResources!.tagResource!.every((r) => r.resourceType === 'VPC'));
    const described = (await vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId, vpcId: a }))).body!.vpcs!.vpc![0]!;
    assert.deepEqual(Object.fromEntries(described.tags!.tag!.map((t) => [t.key, t.value])), { env: 'prod', owner: '', team: 'net' });
  });

  test('TagResources: tags vSwitches; ListTagResources answers ResourceType VSWITCH; DescribeVSwitches filters by Tag.N', async () => {
    const { newVpc, newVSwitch, tag, list, regionId } = at('cn-shanghai');
    const vpcId = await newVpc();
    const sw1 = await newVSwitch(vpcId);
    const sw2 = await newVSwitch(vpcId);
    await tag('VSwitch', [sw1], { tier: 'web' });
    await tag('VSWITCH', [sw2], { tier: 'db' });
    const rows = (await list('VSWITCH', { resourceId: [sw1, sw2] })).body!.tagResources!.tagResource!;
    assert.deepEqual(
      rows.map((r) => [r.resourceId, r.resourceType, r.tagKey, r.tagValue]),
      [
        [sw1, 'VSWITCH', 'tier', 'web'],
        [sw2, 'VSWITCH', 'tier', 'db'],
      ].sort((x, y) => (x[0]! < y[0]! ? -1 : 1)),
    );
    const filtered = await vpc.describeVSwitches(
      new $Vpc.DescribeVSwitchesRequest({ regionId, vpcId, tag: [new $Vpc.DescribeVSwitchesRequestTag({ key: 'tier', value: 'db' })] }),
    );
    assert.deepEqual(
      filtered.body!.vSwitches!.vSwitch!.map((s) => s.vSwitchId),
      [sw2],
    );
    const anyTier = await vpc.describeVSwitches(
      new $Vpc.DescribeVSwitchesRequest({ regionId, vpcId, tag: [new $Vpc.DescribeVSwitchesRequestTag({ key: 'tier' })] }),
    );
    assert.equal(anyTier.body!.totalCount, 2);
  });

  test('DescribeVpcs: Tag.N.Key alone matches any value; several tags must all match', async () => {
    const { newVpc, tag, regionId } = at('cn-beijing');
    const a = await newVpc();
    const b = await newVpc();
    await tag('VPC', [a], { 'filter-app': 'shop', 'filter-env': 'prod' });
    await tag('VPC', [b], { 'filter-app': 'blog', 'filter-env': 'prod' });
    const describe = async (pairs: { key: string; value?: string }[]) =>
      (await vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId, pageSize: 50, tag: pairs.map((p) => new $Vpc.DescribeVpcsRequestTag(p)) })))
        .body!.vpcs!.vpc!.map((v) => v.vpcId)
        .sort();
    assert.deepEqual(await describe([{ key: 'filter-env' }]), [a, b].sort());
    assert.deepEqual(await describe([{ key: 'filter-app', value: 'shop' }]), [a]);
    assert.deepEqual(
      await describe([
        { key: 'filter-env', value: 'prod' },
        { key: 'filter-app', value: 'blog' },
      ]),
      [b],
    );
    assert.deepEqual(await describe([{ key: 'filter-env', value: 'dev' }]), []);
  });

  test('TagResources: at most 20 tags per resource after the call (overwritten keys do not count), 20 per call and 50 IDs', async () => {
    const { newVpc, tag, tagsOf } = at('cn-shenzhen');
    const id = await newVpc();
    await tag('VPC', [id], many(18));
    // Two more new keys reach 20; overwriting existing ones adds nothing.
    await tag('VPC', [id], { ...many(2, 'x'), k0: 'changed', k1: 'changed' });
    assert.equal(Object.keys(await tagsOf('VPC', id)).length, 20);
    await expectApiError(tag('VPC', [id], { one: 'too many' }), 'QuotaExceeded.TagNum', 400);
    await tag('VPC', [id], { k2: 'still fine' });
    await expectApiError(tag('VPC', [await newVpc()], many(21)), 'SizeLimitExceeded.TagNum', 400);
    await expectApiError(tag('VPC', fakeIds(51, 'vpc'), { a: 'b' }), 'SizeLimitExceeded.ResourceId', 400);
  });

  test('TagResources: key and value rules answer the VPC codes; a missing Tag.N or ResourceId.N is MissingParameter', async () => {
    const { newVpc, tag, tagsOf, regionId } = at('cn-qingdao');
    const id = await newVpc();
    await expectApiError(tag('VPC', [id], { 'aliyun-x': 'v' }), 'InvalidTagKey', 400);
    await expectApiError(tag('VPC', [id], { 'acs:x': 'v' }), 'InvalidTagKey', 400);
    await expectApiError(tag('VPC', [id], { ['k'.repeat(129)]: 'v' }), 'InvalidTagKey', 400);
    await expectApiError(tag('VPC', [id], { '': 'v' }), 'InvalidTagKey', 400);
    await expectApiError(tag('VPC', [id], { k: 'see https://example.com' }), 'InvalidTagValue', 400);
    await expectApiError(tag('VPC', [id], { k: 'acs:reserved' }), 'InvalidTagValue', 400);
    await expectApiError(tag('VPC', [id], { k: 'v'.repeat(129) }), 'InvalidTagValue', 400);
    const dup = [new $Vpc.TagResourcesRequestTag({ key: 'k', value: '1' }), new $Vpc.TagResourcesRequestTag({ key: 'k', value: '2' })];
    await expectApiError(
      vpc.tagResources(new $Vpc.TagResourcesRequest({ regionId, resourceType: 'VPC', resourceId: [id], tag: dup })),
      'Forbidden.TagKey.Duplicated',
      400,
    );
    await expectApiError(vpc.tagResources(new $Vpc.TagResourcesRequest({ regionId, resourceType: 'VPC', resourceId: [id] })), 'MissingParameter', 400);
    await expectApiError(vpc.tagResources(new $Vpc.TagResourcesRequest({ regionId, resourceType: 'VPC', tag: vpcTags({ a: 'b' }) })), 'MissingParameter', 400);
    await expectApiError(vpc.tagResources(new $Vpc.TagResourcesRequest({ regionId, resourceId: [id], tag: vpcTags({ a: 'b' }) })), 'MissingParameter', 400);
    assert.deepEqual(await tagsOf('VPC', id), {});
  });

  test('TagResources: an unknown ID, an ID of another type or region, or a deleted VPC is InvalidInstanceIds.NotFound and nothing is tagged', async () => {
    const { newVpc, newVSwitch, tag, list, tagsOf, regionId } = at('cn-zhangjiakou');
    const good = await newVpc();
    const sw = await newVSwitch(good);
    await expectApiError(tag('VPC', [good, 'vpc-bp1doesnotexist0000000'], { a: 'b' }), 'InvalidInstanceIds.NotFound', 400);
    await expectApiError(tag('VPC', [sw], { a: 'b' }), 'InvalidInstanceIds.NotFound', 400);
    await expectApiError(tag('VSWITCH', [good], { a: 'b' }), 'InvalidInstanceIds.NotFound', 400);
    await expectApiError(
      vpc.tagResources(new $Vpc.TagResourcesRequest({ regionId: 'cn-beijing', resourceType: 'VPC', resourceId: [good], tag: vpcTags({ a: 'b' }) })),
      'InvalidInstanceIds.NotFound',
      400,
    );
    assert.deepEqual(await tagsOf('VPC', good), {});
    const gone = await newVpc();
    await tag('VPC', [gone], { a: 'b' });
    await vpc.deleteVpc(new $Vpc.DeleteVpcRequest({ regionId, vpcId: gone }));
    await expectApiError(tag('VPC', [gone], { a: 'c' }), 'InvalidInstanceIds.NotFound', 400);
    assert.deepEqual((await list('VPC', { resourceId: [gone] })).body!.tagResources!.tagResource, []);
  });

  test('TagResources: real VPC resource types eniplane does not model are refused by name; unknown types too', async () => {
    const { newVpc, tag, untag, list } = at('cn-huhehaote');
    const id = await newVpc();
    const e = await expectApiError(tag('ROUTETABLE', [id], { a: 'b' }), 'InvalidInstanceType.NotFound', 400);
    assert.match(e.message, /eniplane does not model ROUTETABLE/);
    await expectApiError(tag('NatGateway', [id], { a: 'b' }), 'InvalidInstanceType.NotFound', 400);
    const unknown = await expectApiError(tag('BUCKET', [id], { a: 'b' }), 'InvalidInstanceType.NotFound', 400);
    assert.doesNotMatch(unknown.message, /eniplane/);
    await expectApiError(list('ROUTETABLE', { resourceId: [id] }), 'InvalidInstanceType.NotFound', 400);
    await expectApiError(untag('ROUTETABLE', [id], { all: true }), 'InvalidInstanceType.NotFound', 400);
  });

  test('UnTagResources: removes the given keys (absent ones are no error), or every tag with All=true; neither is MissingParameter', async () => {
    const { newVpc, tag, untag, tagsOf } = at('cn-wulanchabu');
    const a = await newVpc();
    const b = await newVpc();
    await tag('VPC', [a, b], { x: '1', y: '2', z: '3' });
    await untag('VPC', [a, b], { tagKey: ['x', 'never-set'] });
    assert.deepEqual(await tagsOf('VPC', a), { y: '2', z: '3' });
    // TagKey.N wins over All=true.
    await untag('VPC', [a], { tagKey: ['y'], all: true });
    assert.deepEqual(await tagsOf('VPC', a), { z: '3' });
    await untag('VPC', [b], { all: true });
    assert.deepEqual(await tagsOf('VPC', b), {});
    await expectApiError(untag('VPC', [a]), 'MissingParameter', 400);
    await expectApiError(untag('VPC', [a], { all: false }), 'MissingParameter', 400);
    await expectApiError(untag('VPC', [a], { tagKey: Object.keys(many(21)) }), 'SizeLimitExceeded.TagNum', 400);
    await expectApiError(untag('VPC', fakeIds(51, 'vpc'), { all: true }), 'SizeLimitExceeded.ResourceId', 400);
    await expectApiError(untag('VPC', [a, 'vpc-bp1doesnotexist0000000'], { all: true }), 'InvalidInstanceIds.NotFound', 400);
    assert.deepEqual(await tagsOf('VPC', a), { z: '3' });
  });

  test('ListTagResources: Tag.N selects resources carrying every pair and lists only the matching tags; ResourceId.N narrows further', async () => {
    const { newVpc, tag, list } = at('cn-heyuan');
    const a = await newVpc();
    const b = await newVpc();
    const c = await newVpc();
    await tag('VPC', [a], { 'lst-app': 'shop', 'lst-env': 'prod', other: '1' });
    await tag('VPC', [b], { 'lst-app': 'blog', 'lst-env': 'prod' });
    await tag('VPC', [c], { 'lst-env': 'dev' });
    const rows = async (extra: Partial<$Vpc.ListTagResourcesRequest>) => byResource((await list('VPC', extra)).body!.tagResources!.tagResource!);
    const t = (key: string, value?: string) => new $Vpc.ListTagResourcesRequestTag(value === undefined ? { key } : { key, value });
    assert.deepEqual(await rows({ tag: [t('lst-env', 'prod')] }), { [a]: { 'lst-env': 'prod' }, [b]: { 'lst-env': 'prod' } });
    assert.deepEqual(await rows({ tag: [t('lst-env')] }), { [a]: { 'lst-env': 'prod' }, [b]: { 'lst-env': 'prod' }, [c]: { 'lst-env': 'dev' } });
    assert.deepEqual(await rows({ tag: [t('lst-env', 'prod'), t('lst-app', 'shop')] }), { [a]: { 'lst-env': 'prod', 'lst-app': 'shop' } });
    assert.deepEqual(await rows({ tag: [t('lst-env')], resourceId: [b, c] }), { [b]: { 'lst-env': 'prod' }, [c]: { 'lst-env': 'dev' } });
    assert.deepEqual(await rows({ resourceId: ['vpc-bp1doesnotexist0000000'] }), {});
    await expectApiError(list('VPC'), 'BothEmpty.TagsAndResources', 403);
    await expectApiError(list('VPC', { tag: [new $Vpc.ListTagResourcesRequestTag({ value: 'prod' })] }), 'InvalidTagKey', 400);
  });

  test('ListTagResources: NextToken pages through every row once, in a stable order, even while tags change; MaxResults is 1 to 50', async () => {
    const { newVpc, tag, list } = at('cn-guangzhou');
    const ids = [await newVpc(), await newVpc(), await newVpc()];
    await tag('VPC', ids, { 'pg-a': '1', 'pg-b': '2', 'pg-c': '3' });
    const all = (await list('VPC', { resourceId: ids })).body!.tagResources!.tagResource!.map((r) => `${r.resourceId}/${r.tagKey}`);
    assert.equal(all.length, 9);
    assert.deepEqual(all, [...all].sort());
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const res = await list('VPC', { resourceId: ids, maxResults: 2, ...(token ? { nextToken: token } : {}) });
      const page = res.body!.tagResources!.tagResource!;
      assert.ok(page.length <= 2);
      seen.push(...page.map((r) => `${r.resourceId}/${r.tagKey}`));
      token = res.body!.nextToken || undefined;
      // A tag added before the cursor neither repeats nor shifts what follows.
      if (pages++ === 1) await tag('VPC', [ids.slice().sort()[0]!], { 'pg-0': 'late' });
    } while (token);
    assert.deepEqual(seen, all);
    await expectApiError(list('VPC', { resourceId: ids, maxResults: 51 }), 'InvalidParameter', 400);
    await expectApiError(list('VPC', { resourceId: ids, maxResults: 0 }), 'InvalidParameter', 400);
    await expectApiError(list('VPC', { resourceId: ids, nextToken: 'not-a-token' }), 'InvalidParameter', 400);
  });

  test("TagResources: another account cannot see, tag, untag or list the first account's resources", async () => {
    const { newVpc, tag, untag, list, tagsOf, regionId } = at('cn-chengdu');
    const mine = await newVpc();
    await tag('VPC', [mine], { 'xacct-secret': 'mine' });
    const other = vpcClient(server, { key: otherKey });
    await expectApiError(tag('VPC', [mine], { x: 'y' }, other), 'InvalidInstanceIds.NotFound', 400);
    await expectApiError(untag('VPC', [mine], { all: true }, other), 'InvalidInstanceIds.NotFound', 400);
    const theirs = await newVpc(other);
    await tag('VPC', [theirs], { 'xacct-secret': 'theirs' }, other);
    const seenByOther = (await list('VPC', { tag: [new $Vpc.ListTagResourcesRequestTag({ key: 'xacct-secret' })] }, other)).body!.tagResources!.tagResource!;
    assert.deepEqual(byResource(seenByOther), { [theirs]: { 'xacct-secret': 'theirs' } });
    assert.deepEqual(await tagsOf('VPC', mine, other), {});
    assert.deepEqual(await tagsOf('VPC', mine), { 'xacct-secret': 'mine' });
    const describedByOther = await other.describeVpcs(
      new $Vpc.DescribeVpcsRequest({ regionId, tag: [new $Vpc.DescribeVpcsRequestTag({ key: 'xacct-secret' })] }),
    );
    assert.deepEqual(
      describedByOther.body!.vpcs!.vpc!.map((v) => v.vpcId),
      [theirs],
    );
  });

  test('TagResources: the legacy pop-core client (POST form body, V1) tags and lists', async () => {
    const { newVpc, regionId } = at('cn-hongkong');
    const id = await newVpc();
    const pop = popClient(server, 'vpc');
    await pop.request(
      'TagResources',
      { RegionId: regionId, ResourceType: 'VPC', 'ResourceId.1': id, 'Tag.1.Key': 'via', 'Tag.1.Value': 'pop' },
      { method: 'POST' },
    );
    const res = (await pop.request('ListTagResources', { RegionId: regionId, ResourceType: 'VPC', 'ResourceId.1': id })) as {
      TagResources: { TagResource: { TagKey: string; TagValue: string }[] };
    };
    assert.deepEqual(
      res.TagResources.TagResource.map((r) => [r.TagKey, r.TagValue]),
      [['via', 'pop']],
    );
  });
});

describe('ECS TagResources / UntagResources / ListTagResources through the official ECS SDK', () => {
  let server: RunningServer;
  let ecs: ReturnType<typeof ecsClient>;
  let vpc: ReturnType<typeof vpcClient>;
  let vpcId: string;
  let otherKey: Key;
  before(async () => {
    server = await startServer();
    ecs = ecsClient(server);
    vpc = vpcClient(server);
    vpcId = (await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: region, cidrBlock: '192.168.0.0/16' }))).body!.vpcId!;
    otherKey = createAccount(server, 'other');
  });
  after(() => server.dispose());

  const tag = (resourceType: string | undefined, resourceId: string[] | undefined, pairs: Pairs | undefined, c = ecs) =>
    c.tagResources(new $Ecs.TagResourcesRequest({ regionId: region, resourceType, resourceId, ...(pairs ? { tag: ecsTags(pairs) } : {}) }));
  const untag = (resourceType: string, resourceId: string[], extra: Partial<$Ecs.UntagResourcesRequest> = {}, c = ecs) =>
    c.untagResources(new $Ecs.UntagResourcesRequest({ regionId: region, resourceType, resourceId, ...extra }));
  const list = (resourceType: string, extra: Partial<$Ecs.ListTagResourcesRequest> = {}, c = ecs) =>
    c.listTagResources(new $Ecs.ListTagResourcesRequest({ regionId: region, resourceType, ...extra }));
  const tagsOf = async (id: string, c = ecs) => byResource((await list('securitygroup', { resourceId: [id] }, c)).body!.tagResources!.tagResource!)[id] ?? {};
  const newGroup = async (c = ecs, inVpc = vpcId) =>
    (await c.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId: region, vpcId: inVpc }))).body!.securityGroupId!;
  const unknownGroup = 'sg-bp1doesnotexist00000';

  test("TagResources: missing parameters answer the ECS tag service's MissingParameter.* codes (404)", async () => {
    await expectApiError(tag(undefined, [unknownGroup], { a: 'b' }), 'MissingParameter.ResourceType', 404);
    await expectApiError(tag('securitygroup', undefined, { a: 'b' }), 'MissingParameter.ResourceIds', 404);
    await expectApiError(tag('securitygroup', [unknownGroup], undefined), 'MissingParameter.Tags', 404);
    await expectApiError(
      ecs.tagResources(new $Ecs.TagResourcesRequest({ resourceType: 'securitygroup', resourceId: [unknownGroup], tag: ecsTags({ a: 'b' }) })),
      'MissingParameter.RegionId',
      404,
    );
    await expectApiError(tag('securitygroup', fakeIds(51, 'sg'), { a: 'b' }), 'NumberExceed.ResourceIds', 400);
    await expectApiError(tag('securitygroup', [unknownGroup], many(21)), 'NumberExceed.Tags', 400);
  });

  test('TagResources: real ECS types eniplane does not model are refused by name; unknown types and other spellings too', async () => {
    for (const type of ['disk', 'image', 'snapshot', 'keypair']) {
      const e = await expectApiError(tag(type, ['d-bp1abc'], { a: 'b' }), 'InvalidResourceType.NotFound', 404);
      assert.match(e.message, new RegExp(`eniplane does not model ${type}`));
    }
    const unknown = await expectApiError(tag('bucket', ['x'], { a: 'b' }), 'InvalidResourceType.NotFound', 404);
    assert.doesNotMatch(unknown.message, /eniplane/);
    await expectApiError(tag('SecurityGroup', [unknownGroup], { a: 'b' }), 'InvalidResourceType.NotFound', 404);
    await expectApiError(tag('vpc', [vpcId], { a: 'b' }), 'InvalidResourceType.NotFound', 404);
    await expectApiError(list('disk', { resourceId: ['d-1'] }), 'InvalidResourceType.NotFound', 404);
    await expectApiError(untag('disk', ['d-1'], { all: true }), 'InvalidResourceType.NotFound', 404);
  });

  test('TagResources: an unknown security group, or a VPC ID given as one, is InvalidResourceId.NotFound', async () => {
    await expectApiError(tag('securitygroup', [unknownGroup], { a: 'b' }), 'InvalidResourceId.NotFound', 404);
    await expectApiError(tag('securitygroup', [vpcId], { a: 'b' }), 'InvalidResourceId.NotFound', 404);
    await expectApiError(untag('securitygroup', [unknownGroup], { all: true }), 'InvalidResourceId.NotFound', 404);
  });

  test('ListTagResources: ResourceId.N or Tag.N is required; a value without key, TagFilter.N and a foreign NextToken are refused', async () => {
    await expectApiError(list('securitygroup'), 'BothEmpty.TagsAndResources', 403);
    await expectApiError(list('securitygroup', { tag: [new $Ecs.ListTagResourcesRequestTag({ value: 'v' })] }), 'InvalidParameter.TagValue', 400);
    await expectApiError(list('securitygroup', { tagFilter: [new $Ecs.ListTagResourcesRequestTagFilter({ tagKey: 'env*' })] }), 'UnsupportedParameter', 400);
    await expectApiError(list('securitygroup', { tag: [new $Ecs.ListTagResourcesRequestTag({ key: 'acs:rm:rgId', value: 'rg-1' })] }), 'InvalidParameter', 400);
    await expectApiError(list('securitygroup', { resourceId: [unknownGroup], nextToken: 'caeba0bbb2be03f84eb48b699f0a4883' }), 'Invalid.NextToken', 403);
    await expectApiError(list('securitygroup', { resourceId: fakeIds(51, 'sg') }), 'NumberExceed.ResourceIds', 400);
    await expectApiError(
      ecs.listTagResources(new $Ecs.ListTagResourcesRequest({ regionId: region, resourceId: [unknownGroup] })),
      'MissingParameter.ResourceType',
      404,
    );
  });

  test('TagResources: tags security groups, overwriting an existing key; ListTagResources answers ResourceType securitygroup', async () => {
    const a = await newGroup();
    const b = await newGroup();
    await tag('securitygroup', [a, b], { env: 'dev' });
    await tag('securitygroup', [a], { env: 'prod', owner: 'ops' });
    const rows = (await list('securitygroup', { resourceId: [a, b] })).body!.tagResources!.tagResource!;
    assert.deepEqual(byResource(rows), { [a]: { env: 'prod', owner: 'ops' }, [b]: { env: 'dev' } });
    assert.ok(rows.every((r) => r.resourceType === 'securitygroup'));
    const described = await ecs.describeSecurityGroups(new $Ecs.DescribeSecurityGroupsRequest({ regionId: region, securityGroupId: a }));
    assert.deepEqual(Object.fromEntries(described.body!.securityGroups!.securityGroup![0]!.tags!.tag!.map((t) => [t.tagKey, t.tagValue])), {
      env: 'prod',
      owner: 'ops',
    });
  });

  test('TagResources: at most 20 tags per security group after the call is OperationDenied.QuotaExceed; rules answer the ECS codes', async () => {
    const id = await newGroup();
    await tag('securitygroup', [id], many(19));
    await tag('securitygroup', [id], { k0: 'overwritten', extra: '20th' });
    await expectApiError(tag('securitygroup', [id], { 'one-more': 'x' }), 'OperationDenied.QuotaExceed', 400);
    assert.equal(Object.keys(await tagsOf(id)).length, 20);
    await expectApiError(tag('securitygroup', [id], { 'aliyun-x': 'v' }), 'InvalidTagKey.Malformed', 400);
    await expectApiError(tag('securitygroup', [id], { k: 'http://x' }), 'InvalidTagValue.Malformed', 400);
    const dup = [new $Ecs.TagResourcesRequestTag({ key: 'd', value: '1' }), new $Ecs.TagResourcesRequestTag({ key: 'd', value: '2' })];
    await expectApiError(
      ecs.tagResources(new $Ecs.TagResourcesRequest({ regionId: region, resourceType: 'securitygroup', resourceId: [id], tag: dup })),
      'Duplicate.TagKey',
      400,
    );
    await expectApiError(tag('securitygroup', [id, unknownGroup], { k0: 'nope' }), 'InvalidResourceId.NotFound', 404);
    assert.equal((await tagsOf(id)).k0, 'overwritten');
  });

  test('UntagResources: by TagKey.N or All=true; neither is MissingParameter.Tags', async () => {
    const id = await newGroup();
    await tag('securitygroup', [id], { x: '1', y: '2', z: '3' });
    await untag('securitygroup', [id], { tagKey: ['x', 'absent'] });
    assert.deepEqual(await tagsOf(id), { y: '2', z: '3' });
    await untag('securitygroup', [id], { all: true });
    assert.deepEqual(await tagsOf(id), {});
    await expectApiError(untag('securitygroup', [id]), 'MissingParameter.Tags', 404);
    await expectApiError(untag('securitygroup', [id], { tagKey: Object.keys(many(21)) }), 'NumberExceed.Tags', 400);
  });

  test('ListTagResources: by Tag.N, 50 rows a page with NextToken, every row once in order', async () => {
    const groups = [await newGroup(), await newGroup(), await newGroup()];
    await tag('securitygroup', groups, many(20, 'page'));
    const t = (key: string, value?: string) => new $Ecs.ListTagResourcesRequestTag(value === undefined ? { key } : { key, value });
    const first = await list('securitygroup', { tag: [t('page0')] });
    assert.deepEqual(Object.keys(byResource(first.body!.tagResources!.tagResource!)).sort(), [...groups].sort());
    const seen: string[] = [];
    let token = '';
    let pages = 0;
    do {
      const res = await list('securitygroup', { resourceId: groups, ...(token ? { nextToken: token } : {}) });
      seen.push(...res.body!.tagResources!.tagResource!.map((r) => `${r.resourceId}/${r.tagKey}`));
      token = res.body!.nextToken!;
      pages++;
    } while (token);
    assert.equal(pages, 2);
    assert.equal(seen.length, 60);
    assert.equal(new Set(seen).size, 60);
    assert.deepEqual(seen, [...seen].sort());
  });

  test("TagResources: another account's security groups are InvalidResourceId.NotFound and never listed", async () => {
    const mine = await newGroup();
    await tag('securitygroup', [mine], { owner: 'me' });
    const other = ecsClient(server, { key: otherKey });
    await expectApiError(tag('securitygroup', [mine], { owner: 'them' }, other), 'InvalidResourceId.NotFound', 404);
    await expectApiError(untag('securitygroup', [mine], { all: true }, other), 'InvalidResourceId.NotFound', 404);
    const seen = (await list('securitygroup', { tag: [new $Ecs.ListTagResourcesRequestTag({ key: 'owner' })] }, other)).body!.tagResources!.tagResource!;
    assert.deepEqual(seen, []);
    assert.deepEqual(await tagsOf(mine), { owner: 'me' });
  });
});
