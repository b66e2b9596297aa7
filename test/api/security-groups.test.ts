import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import * as $Ecs from '@alicloud/ecs20140526';
import * as $Vpc from '@alicloud/vpc20160428';
import { ecsClient, vpcClient, type Key } from '../helpers/clients.ts';
import { expectApiError } from '../helpers/expect-error.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const regionId = 'cn-hangzhou';
const BIN = fileURLToPath(new URL('../../bin/eniplane.js', import.meta.url));

type Perm = Partial<
  Record<
    | 'ipProtocol'
    | 'portRange'
    | 'sourcePortRange'
    | 'sourceCidrIp'
    | 'ipv6SourceCidrIp'
    | 'sourceGroupId'
    | 'destCidrIp'
    | 'ipv6DestCidrIp'
    | 'destGroupId'
    | 'policy'
    | 'priority'
    | 'nicType'
    | 'description'
    | 'portRangeListId'
    | 'sourceGroupOwnerId'
    | 'destGroupOwnerId',
    string
  >
>;

/** Creates a second account through the CLI while the server runs, and returns its key pair. */
function createAccount(server: RunningServer, name: string): Key {
  const out = execFileSync(process.execPath, [BIN, 'accounts', 'create', '--name', name, ...server.storeArgs], { encoding: 'utf8' });
  const id = /AccessKeyId:\s+(\S+)/.exec(out)?.[1];
  const secret = /AccessKeySecret:\s+(\S+)/.exec(out)?.[1];
  assert.ok(id && secret, `no key pair in:\n${out}`);
  return { accessKeyId: id, accessKeySecret: secret };
}

describe('Security group actions through the official ECS SDK', () => {
  let server: RunningServer;
  let ecs: ReturnType<typeof ecsClient>;
  let vpc: ReturnType<typeof vpcClient>;
  let vpcA: string;
  let vpcB: string;

  before(async () => {
    server = await startServer();
    ecs = ecsClient(server);
    vpc = vpcClient(server);
    vpcA = (await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId, cidrBlock: '10.0.0.0/8' }))).body!.vpcId!;
    vpcB = (await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId, cidrBlock: '172.16.0.0/12' }))).body!.vpcId!;
  });
  after(() => server.dispose());

  const createSg = async (vpcId: string, extra: Partial<$Ecs.CreateSecurityGroupRequest> = {}, client = ecs) =>
    (await client.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId, vpcId, ...extra }))).body!.securityGroupId!;
  const authorize = (securityGroupId: string, perms: Perm[], extra: Partial<$Ecs.AuthorizeSecurityGroupRequest> = {}, client = ecs) =>
    client.authorizeSecurityGroup(
      new $Ecs.AuthorizeSecurityGroupRequest({
        regionId,
        securityGroupId,
        permissions: perms.map((p) => new $Ecs.AuthorizeSecurityGroupRequestPermissions(p)),
        ...extra,
      }),
    );
  const authorizeEgress = (securityGroupId: string, perms: Perm[], extra: Partial<$Ecs.AuthorizeSecurityGroupEgressRequest> = {}) =>
    ecs.authorizeSecurityGroupEgress(
      new $Ecs.AuthorizeSecurityGroupEgressRequest({
        regionId,
        securityGroupId,
        permissions: perms.map((p) => new $Ecs.AuthorizeSecurityGroupEgressRequestPermissions(p)),
        ...extra,
      }),
    );
  const revoke = (securityGroupId: string, extra: Partial<$Ecs.RevokeSecurityGroupRequest> & { perms?: Perm[] }, client = ecs) =>
    client.revokeSecurityGroup(
      new $Ecs.RevokeSecurityGroupRequest({
        regionId,
        securityGroupId,
        ...(extra.perms && { permissions: extra.perms.map((p) => new $Ecs.RevokeSecurityGroupRequestPermissions(p)) }),
        ...extra,
      }),
    );
  const attribute = async (securityGroupId: string, extra: Partial<$Ecs.DescribeSecurityGroupAttributeRequest> = {}) =>
    (await ecs.describeSecurityGroupAttribute(new $Ecs.DescribeSecurityGroupAttributeRequest({ regionId, securityGroupId, ...extra }))).body!;
  const rules = async (securityGroupId: string, direction?: string) =>
    (await attribute(securityGroupId, direction ? { direction } : {})).permissions!.permission!;
  const describeSgs = async (extra: Partial<$Ecs.DescribeSecurityGroupsRequest> = {}, client = ecs) =>
    (await client.describeSecurityGroups(new $Ecs.DescribeSecurityGroupsRequest({ regionId, ...extra }))).body!;
  const countAll = async () => (await describeSgs({ pageSize: 50 })).totalCount!;

  const ssh: Perm = { ipProtocol: 'tcp', portRange: '22/22', sourceCidrIp: '10.0.0.0/8' };

  test('CreateSecurityGroup: a VPC group in the cloud ID format; DescribeSecurityGroups and DescribeSecurityGroupAttribute show it', async () => {
    const id = await createSg(vpcA, {
      securityGroupName: 'web',
      description: 'front ends',
      tag: [new $Ecs.CreateSecurityGroupRequestTag({ key: 'env', value: 'prod' })],
    });
    assert.match(id, /^sg-bp1[a-z0-9]{17}$/);
    const listed = await describeSgs({ securityGroupId: id });
    assert.equal(listed.regionId, regionId);
    assert.equal(listed.totalCount, 1);
    const item = listed.securityGroups!.securityGroup![0]!;
    assert.equal(item.securityGroupId, id);
    assert.equal(item.securityGroupName, 'web');
    assert.equal(item.description, 'front ends');
    assert.equal(item.securityGroupType, 'normal');
    assert.equal(item.vpcId, vpcA);
    assert.match(item.creationTime!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(item.ruleCount, 0);
    assert.equal(item.groupToGroupRuleCount, 0);
    assert.equal(item.ecsCount, 0);
    assert.equal(item.availableInstanceAmount, 0);
    assert.equal(item.serviceManaged, false);
    assert.deepEqual(
      item.tags!.tag!.map((t) => [t.tagKey, t.tagValue]),
      [['env', 'prod']],
    );
    const attrs = await attribute(id);
    assert.equal(attrs.securityGroupId, id);
    assert.equal(attrs.securityGroupName, 'web');
    assert.equal(attrs.description, 'front ends');
    assert.equal(attrs.vpcId, vpcA);
    assert.equal(attrs.regionId, regionId);
    assert.equal(attrs.innerAccessPolicy, 'Accept');
    assert.deepEqual(attrs.permissions!.permission, []);
    assert.equal(attrs.nextToken, '');
  });

  test('CreateSecurityGroup: an enterprise group isolates its members (InnerAccessPolicy Drop); other types are refused', async () => {
    const id = await createSg(vpcA, { securityGroupType: 'enterprise' });
    assert.equal((await attribute(id)).innerAccessPolicy, 'Drop');
    assert.equal((await describeSgs({ securityGroupId: id })).securityGroups!.securityGroup![0]!.securityGroupType, 'enterprise');
    await expectApiError(createSg(vpcA, { securityGroupType: 'advanced' }), 'InvalidParams.GroupType', 400);
  });

  test('CreateSecurityGroup: a missing or unknown VpcId, a bad name, description or tag is refused and creates nothing', async () => {
    const before = await countAll();
    await expectApiError(
      ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId, securityGroupName: 'classic' })),
      'InvalidVpcId.NotFound',
      403,
    );
    await expectApiError(createSg('vpc-bp1doesnotexist000000'), 'InvalidVpcId.NotFound', 404);
    await expectApiError(createSg(vpcA, { securityGroupName: '1starts-with-digit' }), 'InvalidSecurityGroupName.Malformed', 400);
    await expectApiError(createSg(vpcA, { securityGroupName: 'x' }), 'InvalidSecurityGroupName.Malformed', 400);
    await expectApiError(createSg(vpcA, { securityGroupName: 'a'.repeat(129) }), 'InvalidSecurityGroupName.Malformed', 400);
    await expectApiError(createSg(vpcA, { description: 'https://example.com' }), 'InvalidDescription.Malformed', 400);
    await expectApiError(createSg(vpcA, { tag: [new $Ecs.CreateSecurityGroupRequestTag({ key: 'aliyun-x', value: 'v' })] }), 'InvalidTagKey.Malformed', 400);
    await expectApiError(
      createSg(vpcA, {
        tag: [new $Ecs.CreateSecurityGroupRequestTag({ key: 'k', value: '1' }), new $Ecs.CreateSecurityGroupRequestTag({ key: 'k', value: '2' })],
      }),
      'Duplicate.TagKey',
      400,
    );
    // A group ID the account does not have (resource groups: test/api/resource-groups.test.ts).
    await expectApiError(createSg(vpcA, { resourceGroupId: 'rg-x' }), 'InvalidResourceGroup.NotFound', 404);
    assert.equal(await countAll(), before);
  });

  test('CreateSecurityGroup: the same ClientToken and parameters return the first group; other parameters with it are refused', async () => {
    const before = await countAll();
    const first = await createSg(vpcA, { clientToken: 'sg-token-1', securityGroupName: 'idem' });
    const again = await createSg(vpcA, { clientToken: 'sg-token-1', securityGroupName: 'idem' });
    assert.equal(again, first);
    await expectApiError(createSg(vpcA, { clientToken: 'sg-token-1', securityGroupName: 'other' }), 'IdempotentParameterMismatch', 400);
    assert.equal(await countAll(), before + 1);
  });

  test('CreateSecurityGroup: works through V1 signing, as do DescribeSecurityGroups and AuthorizeSecurityGroup', async () => {
    const v1 = ecsClient(server, { v1: true });
    const id = await createSg(vpcA, { securityGroupName: 'signed-v1' }, v1);
    await authorize(id, [ssh], {}, v1);
    const listed = await describeSgs({ securityGroupIds: JSON.stringify([id]) }, v1);
    assert.equal(listed.securityGroups!.securityGroup![0]!.securityGroupName, 'signed-v1');
    assert.equal(listed.securityGroups!.securityGroup![0]!.ruleCount, 1);
  });

  test('CreateSecurityGroup: at most 100 groups per region (QuotaExceed.SecurityGroup, 403)', async () => {
    const region = 'cn-beijing';
    const vpcId = (await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: region, cidrBlock: '192.168.0.0/16' }))).body!.vpcId!;
    const create = () => ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId: region, vpcId }));
    for (let i = 0; i < 100; i++) await create();
    await expectApiError(create(), 'QuotaExceed.SecurityGroup', 403);
    const listed = await ecs.describeSecurityGroups(new $Ecs.DescribeSecurityGroupsRequest({ regionId: region, pageSize: 1 }));
    assert.equal(listed.body!.totalCount, 100);
    // The quota is per region: the Hangzhou groups are not counted, nor are these there.
    assert.ok((await countAll()) < 100);
  });

  test('DescribeSecurityGroups: filters by VPC, ID, JSON list of IDs, name, type, network type and tags', async () => {
    const a1 = await createSg(vpcB, { securityGroupName: 'filter-a', tag: [new $Ecs.CreateSecurityGroupRequestTag({ key: 'team', value: 'red' })] });
    const a2 = await createSg(vpcB, {
      securityGroupName: 'filter-b',
      securityGroupType: 'enterprise',
      tag: [new $Ecs.CreateSecurityGroupRequestTag({ key: 'team', value: 'blue' })],
    });
    const ids = async (extra: Partial<$Ecs.DescribeSecurityGroupsRequest>) =>
      (await describeSgs({ pageSize: 50, ...extra })).securityGroups!.securityGroup!.map((g) => g.securityGroupId);
    assert.deepEqual(await ids({ vpcId: vpcB }), [a1, a2]);
    assert.deepEqual(await ids({ securityGroupId: a2 }), [a2]);
    assert.deepEqual(await ids({ securityGroupIds: JSON.stringify([a2, a1, 'sg-bp1unknown0000000000']) }), [a1, a2]);
    assert.deepEqual(await ids({ securityGroupIds: JSON.stringify([a1]), securityGroupId: a2 }), []);
    assert.deepEqual(await ids({ securityGroupName: 'filter-b' }), [a2]);
    assert.deepEqual(await ids({ vpcId: vpcB, securityGroupType: 'normal' }), [a1]);
    assert.deepEqual(await ids({ vpcId: vpcB, networkType: 'vpc' }), [a1, a2]);
    assert.deepEqual(await ids({ vpcId: vpcB, networkType: 'classic' }), []);
    assert.deepEqual(await ids({ tag: [new $Ecs.DescribeSecurityGroupsRequestTag({ key: 'team', value: 'red' })] }), [a1]);
    assert.deepEqual(await ids({ tag: [new $Ecs.DescribeSecurityGroupsRequestTag({ key: 'team' })] }), [a1, a2]);
    await expectApiError(describeSgs({ securityGroupIds: 'sg-1,sg-2' }), 'InvalidParameter', 400);
    await expectApiError(describeSgs({ securityGroupIds: JSON.stringify(Array.from({ length: 101 }, (_, i) => `sg-${i}`)) }), 'InvalidParameter', 400);
    await expectApiError(describeSgs({ networkType: 'internet' }), 'InvalidParameter', 400);
    await expectApiError(describeSgs({ fuzzyQuery: true }), 'UnsupportedParameter', 400);
    await expectApiError(describeSgs({ dryRun: true }), 'DryRunOperation', 400);
  });

  test('DescribeSecurityGroups: NextToken/MaxResults pages through every group once in creation order; PageNumber/PageSize are echoed', async () => {
    const all = await describeSgs({ pageSize: 50 });
    const total = all.totalCount!;
    assert.ok(total >= 5);
    const expected = all.securityGroups!.securityGroup!.map((g) => g.securityGroupId);

    const seen: (string | undefined)[] = [];
    let token: string | undefined;
    do {
      const page = await describeSgs({ maxResults: 2, ...(token && { nextToken: token }) });
      assert.equal(page.totalCount, undefined);
      assert.equal(page.pageNumber, undefined);
      assert.ok(page.securityGroups!.securityGroup!.length <= 2);
      seen.push(...page.securityGroups!.securityGroup!.map((g) => g.securityGroupId));
      token = page.nextToken || undefined;
    } while (token);
    assert.deepEqual(seen, expected);

    const byPage: (string | undefined)[] = [];
    for (let n = 1; byPage.length < total; n++) {
      const page = await describeSgs({ pageNumber: n, pageSize: 3 });
      assert.equal(page.pageNumber, n);
      assert.equal(page.pageSize, 3);
      assert.equal(page.totalCount, total);
      byPage.push(...page.securityGroups!.securityGroup!.map((g) => g.securityGroupId));
    }
    assert.deepEqual(byPage, expected);
    const first = await describeSgs({});
    assert.equal(first.pageSize, 10);
    assert.equal(first.pageNumber, 1);

    await expectApiError(describeSgs({ pageSize: 51 }), 'InvalidParameter', 400);
    await expectApiError(describeSgs({ maxResults: 101 }), 'InvalidParameter', 400);
    await expectApiError(describeSgs({ maxResults: 10, pageNumber: 1 }), 'InvalidParameter', 400);
    await expectApiError(describeSgs({ nextToken: 'not-a-token' }), 'InvalidParameter', 400);
  });

  test('ModifySecurityGroupPolicy: a basic group switches between Accept and Drop (any case); bad values, advanced groups and unknown groups are refused', async () => {
    const id = await createSg(vpcA);
    const setPolicy = (securityGroupId: string, innerAccessPolicy: string) =>
      ecs.modifySecurityGroupPolicy(new $Ecs.ModifySecurityGroupPolicyRequest({ regionId, securityGroupId, innerAccessPolicy }));
    assert.equal((await attribute(id)).innerAccessPolicy, 'Accept');
    await setPolicy(id, 'drop');
    assert.equal((await attribute(id)).innerAccessPolicy, 'Drop');
    await setPolicy(id, 'Accept');
    assert.equal((await attribute(id)).innerAccessPolicy, 'Accept');
    await expectApiError(setPolicy(id, 'Allow'), 'InvalidPolicy.Malformed', 400);
    assert.equal((await attribute(id)).innerAccessPolicy, 'Accept');
    const advanced = await createSg(vpcA, { securityGroupType: 'enterprise' });
    await expectApiError(setPolicy(advanced, 'Accept'), 'InvalidSecurityGroupType.NotSupported', 400);
    assert.equal((await attribute(advanced)).innerAccessPolicy, 'Drop');
    await expectApiError(setPolicy('sg-bp1doesnotexist00000', 'Drop'), 'InvalidSecurityGroupId.NotFound', 404);
  });

  test('ModifySecurityGroupAttribute: renames and redescribes; bad values and unknown groups are refused', async () => {
    const id = await createSg(vpcA, { securityGroupName: 'before' });
    const modify = (extra: Partial<$Ecs.ModifySecurityGroupAttributeRequest>) =>
      ecs.modifySecurityGroupAttribute(new $Ecs.ModifySecurityGroupAttributeRequest({ regionId, securityGroupId: id, ...extra }));
    await modify({ securityGroupName: 'after', description: 'changed' });
    let attrs = await attribute(id);
    assert.equal(attrs.securityGroupName, 'after');
    assert.equal(attrs.description, 'changed');
    await modify({ description: 'only the description' });
    attrs = await attribute(id);
    assert.equal(attrs.securityGroupName, 'after');
    assert.equal(attrs.description, 'only the description');
    await expectApiError(modify({ securityGroupName: 'http://x' }), 'InvalidSecurityGroupName.Malformed', 400);
    await expectApiError(modify({ description: 'x' }), 'InvalidSecurityGroupDiscription.Malformed', 400);
    await expectApiError(modify({ securityGroupId: 'sg-bp1doesnotexist00000', securityGroupName: 'y' }), 'InvalidSecurityGroupId.NotFound', 404);
    assert.equal((await attribute(id)).securityGroupName, 'after');
  });

  test('AuthorizeSecurityGroup: Permissions.N add inbound rules; DescribeSecurityGroupAttribute returns every field as the cloud does', async () => {
    const id = await createSg(vpcA);
    await authorize(id, [
      { ...ssh, description: 'ssh from the VPC' },
      {
        ipProtocol: 'UDP',
        portRange: '53/53',
        sourceCidrIp: '0.0.0.0/0',
        policy: 'drop',
        priority: '20',
        sourcePortRange: '1024/65535',
        destCidrIp: '10.1.0.0/16',
      },
      { ipProtocol: 'all', portRange: '-1/-1', ipv6SourceCidrIp: '2001:DB8::/32', policy: 'Accept' },
    ]);
    const list = await rules(id);
    assert.equal(list.length, 3);
    const [a, b, c] = list as [
      $Ecs.DescribeSecurityGroupAttributeResponseBodyPermissionsPermission,
      $Ecs.DescribeSecurityGroupAttributeResponseBodyPermissionsPermission,
      $Ecs.DescribeSecurityGroupAttributeResponseBodyPermissionsPermission,
    ];
    assert.match(a.securityGroupRuleId!, /^sgr-bp1[a-z0-9]{17}$/);
    assert.equal(a.direction, 'ingress');
    assert.equal(a.ipProtocol, 'TCP');
    assert.equal(a.portRange, '22/22');
    assert.equal(a.sourceCidrIp, '10.0.0.0/8');
    assert.equal(a.policy, 'Accept');
    assert.equal(a.priority, '1');
    assert.equal(a.nicType, 'intranet');
    assert.equal(a.description, 'ssh from the VPC');
    assert.match(a.createTime!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    for (const empty of ['sourceGroupId', 'destCidrIp', 'destGroupId', 'ipv6SourceCidrIp', 'sourcePortRange', 'sourcePrefixListId', 'portRangeListId'] as const)
      assert.equal(a[empty], '');
    assert.equal(b.ipProtocol, 'UDP');
    assert.equal(b.policy, 'Drop');
    assert.equal(b.priority, '20');
    assert.equal(b.sourcePortRange, '1024/65535');
    assert.equal(b.destCidrIp, '10.1.0.0/16');
    assert.equal(c.ipProtocol, 'ALL');
    assert.equal(c.portRange, '-1/-1');
    assert.equal(c.ipv6SourceCidrIp, '2001:db8::/32');
    assert.equal((await describeSgs({ securityGroupId: id })).securityGroups!.securityGroup![0]!.ruleCount, 3);
  });

  test('AuthorizeSecurityGroup: an existing rule is not added twice, whatever its priority; the same rule twice in one request is refused', async () => {
    const id = await createSg(vpcA);
    await authorize(id, [ssh]);
    await authorize(id, [ssh]);
    await authorize(id, [{ ...ssh, ipProtocol: 'TCP', priority: '7', description: 'again' }]);
    const list = await rules(id);
    assert.equal(list.length, 1);
    assert.equal(list[0]!.priority, '1');
    await authorize(id, [ssh, { ...ssh, portRange: '80/80' }]);
    assert.equal((await rules(id)).length, 2);
    await expectApiError(
      authorize(id, [
        { ...ssh, portRange: '443/443' },
        { ...ssh, portRange: '443/443', priority: '3' },
      ]),
      'InvalidParam.DuplicatePermissions',
      400,
    );
    assert.equal((await rules(id)).length, 2);
  });

  test('AuthorizeSecurityGroup: the deprecated top-level rule is accepted; mixing it with Permissions, or stating no rule, is refused', async () => {
    const id = await createSg(vpcA);
    await ecs.authorizeSecurityGroup(
      new $Ecs.AuthorizeSecurityGroupRequest({
        regionId,
        securityGroupId: id,
        ipProtocol: 'tcp',
        portRange: '3306/3306',
        sourceCidrIp: '10.2.0.0/16',
        priority: '5',
      }),
    );
    const list = await rules(id);
    assert.equal(list.length, 1);
    assert.equal(list[0]!.portRange, '3306/3306');
    assert.equal(list[0]!.priority, '5');
    await expectApiError(authorize(id, [ssh], { portRange: '1/2' }), 'InvalidParam.Permissions', 400);
    await expectApiError(ecs.authorizeSecurityGroup(new $Ecs.AuthorizeSecurityGroupRequest({ regionId, securityGroupId: id })), 'MissingParameter', 400);
    await expectApiError(authorize(id, [{ ...ssh, portRangeListId: 'prl-x' }]), 'UnsupportedParameter', 400);
    await expectApiError(authorize(id, [ssh], { sourcePrefixListId: 'pl-x' }), 'UnsupportedParameter', 400);
    assert.equal((await rules(id)).length, 1);
  });

  test('AuthorizeSecurityGroup: malformed rules are refused with the cloud codes, and a bad rule anywhere in the list adds nothing', async () => {
    const id = await createSg(vpcA);
    const bad = (p: Perm, code: string, status: number) => expectApiError(authorize(id, [{ ...ssh, portRange: '8080/8080' }, p]), code, status);
    await bad({ ...ssh, ipProtocol: 'sctp' }, 'InvalidIpProtocol.ValueNotSupported', 400);
    await bad({ ...ssh, portRange: '0/70000' }, 'InvalidParam.PortRange', 400);
    await bad({ ...ssh, portRange: undefined }, 'InvalidPortRange.Malformed', 400);
    await bad({ ...ssh, ipProtocol: 'icmp' }, 'OperationDenied', 400);
    await bad({ ...ssh, policy: 'allow' }, 'InvalidPolicy.Malformed', 400);
    await bad({ ...ssh, priority: '0' }, 'InvalidPriority.ValueNotSupported', 400);
    await bad({ ...ssh, priority: 'one' }, 'InvalidPriority.Malformed', 400);
    await bad({ ...ssh, nicType: 'internet' }, 'InvalidNicType.ValueNotSupported', 400);
    await bad({ ...ssh, sourceCidrIp: '10.0.0.0/40' }, 'InvalidSourceCidrIp.Malformed', 400);
    await bad({ ...ssh, sourceCidrIp: undefined }, 'MissingParameter.Source', 400);
    await bad({ ...ssh, ipv6SourceCidrIp: '::/0' }, 'InvalidParam.SourceIp', 400);
    await bad({ ...ssh, description: 'd'.repeat(513) }, 'InvalidSecurityGroupDiscription.Malformed', 400);
    await bad({ ipProtocol: 'tcp', portRange: '22/22', sourceGroupId: 'sg-x', nicType: 'internet' }, 'InvalidSourceGroupId.Mismatch', 403);
    await expectApiError(authorize('sg-bp1doesnotexist00000', [ssh]), 'InvalidSecurityGroupId.NotFound', 404);
    assert.deepEqual(await rules(id), []);
  });

  test('AuthorizeSecurityGroup: SourceGroupId must be a group of the same VPC, not the group itself; advanced groups reference none and drop nothing', async () => {
    const target = await createSg(vpcA, { securityGroupName: 'db' });
    const source = await createSg(vpcA, { securityGroupName: 'app' });
    const elsewhere = await createSg(vpcB);
    await authorize(target, [{ ipProtocol: 'tcp', portRange: '5432/5432', sourceGroupId: source }]);
    const [rule] = await rules(target);
    assert.equal(rule!.sourceGroupId, source);
    assert.equal(rule!.sourceGroupName, 'app');
    assert.match(rule!.sourceGroupOwnerAccount!, /^\d{16}$/);
    assert.equal(rule!.sourceCidrIp, '');
    const item = (await describeSgs({ securityGroupId: target })).securityGroups!.securityGroup![0]!;
    assert.equal(item.groupToGroupRuleCount, 1);
    assert.equal(item.ruleCount, 1);

    const tcp = (sourceGroupId: string): Perm => ({ ipProtocol: 'tcp', portRange: '1/65535', sourceGroupId });
    await expectApiError(authorize(target, [tcp('sg-bp1doesnotexist00000')]), 'InvalidSourceGroupId.NotFound', 404);
    await expectApiError(authorize(target, [tcp(elsewhere)]), 'InvalidSourceGroupId.Mismatch', 400);
    await expectApiError(authorize(target, [tcp(target)]), 'InvalidParamter.Conflict', 403);
    // A CIDR given with the group takes precedence: the group is not checked, not stored.
    await authorize(target, [{ ...tcp('sg-bp1doesnotexist00000'), sourceCidrIp: '192.168.0.0/16' }]);
    assert.equal((await rules(target)).find((r) => r.sourceCidrIp === '192.168.0.0/16')!.sourceGroupId, '');

    const advanced = await createSg(vpcA, { securityGroupType: 'enterprise' });
    await expectApiError(authorize(advanced, [tcp(source)]), 'InvalidGroupAuthParameter.OperationDenied', 400);
    await expectApiError(authorize(advanced, [{ ...ssh, policy: 'drop' }]), 'InvalidGroupParameter.OperationDenied', 400);
    await authorize(advanced, [ssh]);
    assert.equal((await rules(advanced)).length, 1);
  });

  test('AuthorizeSecurityGroupEgress: outbound rules to CIDRs and groups; Direction filters DescribeSecurityGroupAttribute', async () => {
    const id = await createSg(vpcA);
    const peer = await createSg(vpcA, { securityGroupName: 'peer' });
    const other = await createSg(vpcB);
    await authorize(id, [ssh]);
    await authorizeEgress(id, [
      { ipProtocol: 'tcp', portRange: '443/443', destCidrIp: '0.0.0.0/0' },
      { ipProtocol: 'icmp', portRange: '-1/-1', destGroupId: peer, policy: 'drop', priority: '2' },
    ]);
    const egress = await rules(id, 'egress');
    assert.equal(egress.length, 2);
    assert.ok(egress.every((r) => r.direction === 'egress'));
    assert.equal(egress[0]!.destCidrIp, '0.0.0.0/0');
    assert.equal(egress[1]!.ipProtocol, 'ICMP');
    assert.equal(egress[1]!.destGroupId, peer);
    assert.equal(egress[1]!.destGroupName, 'peer');
    assert.equal(egress[1]!.policy, 'Drop');
    assert.deepEqual(
      (await rules(id, 'ingress')).map((r) => r.direction),
      ['ingress'],
    );
    assert.equal((await rules(id, 'all')).length, 3);
    assert.equal((await rules(id)).length, 3);
    await authorizeEgress(id, [{ ipProtocol: 'TCP', portRange: '443/443', destCidrIp: '0.0.0.0/0', priority: '50' }]);
    assert.equal((await rules(id, 'egress')).length, 2);

    await expectApiError(authorizeEgress(id, [{ ipProtocol: 'tcp', portRange: '443/443', sourceCidrIp: '10.0.0.0/8' }]), 'MissingParameter.Dest', 400);
    await expectApiError(
      authorizeEgress(id, [{ ipProtocol: 'tcp', portRange: '1/2', destGroupId: 'sg-bp1doesnotexist00000' }]),
      'InvalidDestGroupId.NotFound',
      404,
    );
    await expectApiError(authorizeEgress(id, [{ ipProtocol: 'tcp', portRange: '1/2', destGroupId: other }]), 'InvalidDestGroupId.Mismatch', 400);
    await expectApiError(authorizeEgress(id, [{ ipProtocol: 'tcp', portRange: '1/2', destGroupId: id }]), 'InvalidSecurityGroup.IsSame', 403);
    await expectApiError(
      authorizeEgress(id, [{ ipProtocol: 'tcp', portRange: '1/2', destCidrIp: '10.0.0.0/8', ipv6DestCidrIp: '::/0' }]),
      'InvalidParam.DestIp',
      400,
    );
    await expectApiError(
      authorizeEgress(id, [{ ipProtocol: 'tcp', portRange: '1/2', destCidrIp: '10.0.0.0/8' }], { destPrefixListId: 'pl-x' }),
      'UnsupportedParameter',
      400,
    );
    await expectApiError(attribute(id, { direction: 'both' }), 'InvalidParameter', 400);
    assert.equal((await rules(id)).length, 3);
  });

  test('AuthorizeSecurityGroup: a group holds at most 200 rules and a basic group at most 20 that reference groups', async () => {
    const id = await createSg(vpcA);
    const ports = (from: number, n: number): Perm[] =>
      Array.from({ length: n }, (_, i) => ({ ipProtocol: 'tcp', portRange: `${from + i}/${from + i}`, sourceCidrIp: '10.0.0.0/8' }));
    await authorize(id, ports(1000, 100));
    await expectApiError(authorize(id, ports(2000, 101)), 'InvalidParameter', 400);
    await authorizeEgress(
      id,
      ports(3000, 100).map((p) => ({ ipProtocol: p.ipProtocol, portRange: p.portRange, destCidrIp: '0.0.0.0/0' })),
    );
    await authorize(id, ports(1000, 1));
    await expectApiError(authorize(id, ports(4000, 1)), 'AuthorizationLimitExceed', 403);
    assert.equal((await describeSgs({ securityGroupId: id })).securityGroups!.securityGroup![0]!.ruleCount, 200);

    const basic = await createSg(vpcA);
    const peer = await createSg(vpcA);
    const groupRules = (from: number, n: number): Perm[] =>
      Array.from({ length: n }, (_, i) => ({ ipProtocol: 'udp', portRange: `${from + i}/${from + i}`, sourceGroupId: peer }));
    await authorize(basic, groupRules(100, 20));
    await expectApiError(authorize(basic, groupRules(200, 1)), 'AuthorizedGroupRule.LimitExceed', 400);
    await expectApiError(authorizeEgress(basic, [{ ipProtocol: 'udp', portRange: '1/1', destGroupId: peer }]), 'AuthorizedGroupRule.LimitExceed', 400);
    await authorize(basic, ports(1, 1));
    assert.equal((await rules(basic)).length, 21);
  });

  test('AuthorizeSecurityGroup: a repeated ClientToken answers the first call; other parameters with it are refused', async () => {
    const id = await createSg(vpcA);
    await authorize(id, [ssh], { clientToken: 'auth-token-1' });
    await ecs.revokeSecurityGroup(
      new $Ecs.RevokeSecurityGroupRequest({ regionId, securityGroupId: id, securityGroupRuleId: [(await rules(id))[0]!.securityGroupRuleId!] }),
    );
    // The retry is answered from the first call: it does not add the rule again.
    await authorize(id, [ssh], { clientToken: 'auth-token-1' });
    assert.equal((await rules(id)).length, 0);
    await expectApiError(authorize(id, [{ ...ssh, portRange: '23/23' }], { clientToken: 'auth-token-1' }), 'IdempotentParameterMismatch', 400);
  });

  test('RevokeSecurityGroup: by rule IDs, every ID must be an inbound rule of the group; by Permissions, no match changes nothing', async () => {
    const id = await createSg(vpcA);
    await authorize(id, [ssh, { ...ssh, portRange: '80/80' }, { ...ssh, portRange: '443/443', priority: '9' }]);
    await authorizeEgress(id, [{ ipProtocol: 'tcp', portRange: '443/443', destCidrIp: '0.0.0.0/0' }]);
    const [r22, r80] = await rules(id, 'ingress');
    const [out] = await rules(id, 'egress');

    await expectApiError(revoke(id, { securityGroupRuleId: [r22!.securityGroupRuleId!, 'sgr-bp1doesnotexist0000'] }), 'InvalidParam.SecurityGroupRuleId', 400);
    await expectApiError(revoke(id, { securityGroupRuleId: [out!.securityGroupRuleId!] }), 'InvalidParam.SecurityGroupRuleId', 400);
    await expectApiError(
      revoke(id, { securityGroupRuleId: [r22!.securityGroupRuleId!, r22!.securityGroupRuleId!] }),
      'InvalidParam.SecurityGroupRuleIdRepeated',
      400,
    );
    await expectApiError(revoke(id, { securityGroupRuleId: [r22!.securityGroupRuleId!], perms: [ssh] }), 'InvalidParam.Permissions', 400);
    await expectApiError(revoke(id, { securityGroupRuleId: [r22!.securityGroupRuleId!], ipProtocol: 'tcp' }), 'InvalidParam.Permissions', 400);
    await expectApiError(revoke(id, {}), 'MissingParameter', 400);
    assert.equal((await rules(id)).length, 4);

    await revoke(id, { securityGroupRuleId: [r22!.securityGroupRuleId!] });
    assert.deepEqual(
      (await rules(id, 'ingress')).map((r) => r.portRange),
      ['80/80', '443/443'],
    );
    // By Permissions: matched by what the rule is, not by its priority.
    await revoke(id, { perms: [{ ...ssh, portRange: '443/443' }] });
    await revoke(id, { perms: [{ ...ssh, portRange: '9999/9999' }] });
    await expectApiError(revoke(id, { perms: [{ ...ssh, ipProtocol: 'sctp' }] }), 'InvalidIpProtocol.ValueNotSupported', 400);
    assert.deepEqual(
      (await rules(id, 'ingress')).map((r) => r.securityGroupRuleId),
      [r80!.securityGroupRuleId],
    );
    // The deprecated top-level form.
    await revoke(id, { ipProtocol: 'TCP', portRange: '80/80', sourceCidrIp: '10.0.0.0/8', policy: 'accept' });
    assert.deepEqual(await rules(id, 'ingress'), []);
    assert.equal((await rules(id, 'egress')).length, 1);
  });

  test('RevokeSecurityGroupEgress: by rule IDs (an unknown one is InvalidSecurityGroupRule.RuleNotExist) or by rule', async () => {
    const id = await createSg(vpcA);
    await authorize(id, [ssh]);
    await authorizeEgress(id, [
      { ipProtocol: 'tcp', portRange: '443/443', destCidrIp: '0.0.0.0/0' },
      { ipProtocol: 'udp', portRange: '53/53', destCidrIp: '0.0.0.0/0' },
    ]);
    const [inbound] = await rules(id, 'ingress');
    const [https] = await rules(id, 'egress');
    const revokeEgress = (extra: Partial<$Ecs.RevokeSecurityGroupEgressRequest>) =>
      ecs.revokeSecurityGroupEgress(new $Ecs.RevokeSecurityGroupEgressRequest({ regionId, securityGroupId: id, ...extra }));
    await expectApiError(revokeEgress({ securityGroupRuleId: [inbound!.securityGroupRuleId!] }), 'InvalidSecurityGroupRule.RuleNotExist', 400);
    await revokeEgress({ securityGroupRuleId: [https!.securityGroupRuleId!] });
    await revokeEgress({
      permissions: [new $Ecs.RevokeSecurityGroupEgressRequestPermissions({ ipProtocol: 'udp', portRange: '53/53', destCidrIp: '0.0.0.0/0' })],
    });
    assert.deepEqual(await rules(id, 'egress'), []);
    assert.equal((await rules(id, 'ingress')).length, 1);
    await expectApiError(
      ecs.revokeSecurityGroupEgress(
        new $Ecs.RevokeSecurityGroupEgressRequest({
          regionId,
          securityGroupId: 'sg-bp1doesnotexist00000',
          ipProtocol: 'tcp',
          portRange: '1/1',
          destCidrIp: '0.0.0.0/0',
        }),
      ),
      'InvalidSecurityGroupId.NotFound',
      404,
    );
  });

  const modifyRule = (securityGroupId: string, extra: Partial<$Ecs.ModifySecurityGroupRuleRequest>, client = ecs) =>
    client.modifySecurityGroupRule(new $Ecs.ModifySecurityGroupRuleRequest({ regionId, securityGroupId, ...extra }));
  const modifyEgressRule = (securityGroupId: string, extra: Partial<$Ecs.ModifySecurityGroupEgressRuleRequest>) =>
    ecs.modifySecurityGroupEgressRule(new $Ecs.ModifySecurityGroupEgressRuleRequest({ regionId, securityGroupId, ...extra }));

  test('ModifySecurityGroupRule: by SecurityGroupRuleId the given fields change in place; the rule keeps its ID, CreateTime and place', async () => {
    const id = await createSg(vpcA);
    await authorize(id, [
      { ...ssh, description: 'ssh' },
      { ...ssh, portRange: '80/80' },
    ]);
    const [before22, before80] = await rules(id);
    await modifyRule(id, {
      securityGroupRuleId: before22!.securityGroupRuleId,
      portRange: '2222/2222',
      sourceCidrIp: '192.168.7.0/24',
      destCidrIp: '10.9.0.0/16',
      sourcePortRange: '1024/65535',
      policy: 'drop',
      priority: '10',
      description: 'moved',
    });
    const [after22, after80] = await rules(id);
    assert.deepEqual(after80, before80, 'the other rule is untouched');
    assert.deepEqual(
      { ...after22 },
      {
        ...before22,
        portRange: '2222/2222',
        sourceCidrIp: '192.168.7.0/24',
        destCidrIp: '10.9.0.0/16',
        sourcePortRange: '1024/65535',
        policy: 'Drop',
        priority: '10',
        description: 'moved',
      },
    );
    // Only what is given changes; empty values change nothing ("no field goes from a value to empty").
    await modifyRule(id, { securityGroupRuleId: before22!.securityGroupRuleId, priority: '11', description: '', sourcePortRange: '', destCidrIp: '' });
    assert.deepEqual({ ...(await rules(id))[0] }, { ...after22, priority: '11' });
    // The protocol may change when the ports suit it; a change to nothing at all is accepted.
    await modifyRule(id, { securityGroupRuleId: before80!.securityGroupRuleId, ipProtocol: 'ALL', portRange: '-1/-1' });
    await modifyRule(id, { securityGroupRuleId: before80!.securityGroupRuleId });
    const all = (await rules(id))[1]!;
    assert.deepEqual([all.securityGroupRuleId, all.ipProtocol, all.portRange], [before80!.securityGroupRuleId, 'ALL', '-1/-1']);
    assert.equal((await describeSgs({ securityGroupId: id })).securityGroups!.securityGroup![0]!.ruleCount, 2);
    // Authorize and Revoke see the rule as it now is.
    await authorize(id, [
      { ...ssh, portRange: '2222/2222', sourceCidrIp: '192.168.7.0/24', destCidrIp: '10.9.0.0/16', sourcePortRange: '1024/65535', policy: 'drop' },
    ]);
    assert.equal((await rules(id)).length, 2);
    await revoke(id, { perms: [{ ipProtocol: 'all', portRange: '-1/-1', sourceCidrIp: '10.0.0.0/8' }] });
    assert.deepEqual(
      (await rules(id)).map((r) => r.securityGroupRuleId),
      [before22!.securityGroupRuleId],
    );
  });

  test('ModifySecurityGroupRule: a rule that would duplicate another, change its kind of source or NicType, or be malformed is refused and nothing changes', async () => {
    const id = await createSg(vpcA);
    const peer = await createSg(vpcA, { securityGroupName: 'peer' });
    const elsewhere = await createSg(vpcB);
    await authorize(id, [ssh, { ...ssh, portRange: '80/80', priority: '3' }, { ipProtocol: 'tcp', portRange: '5432/5432', sourceGroupId: peer }]);
    await authorizeEgress(id, [{ ipProtocol: 'tcp', portRange: '443/443', destCidrIp: '0.0.0.0/0' }]);
    const before = await rules(id);
    const [r22, r80, rGroup, rOut] = before as [(typeof before)[0], (typeof before)[0], (typeof before)[0], (typeof before)[0]];
    const byId = (ruleId: string, extra: Partial<$Ecs.ModifySecurityGroupRuleRequest>) => modifyRule(id, { securityGroupRuleId: ruleId, ...extra });

    // The same rule as another one, whatever the priority: InvalidOperation.RuleDuplicate names it.
    const dup = await expectApiError(byId(r22!.securityGroupRuleId!, { portRange: '80/80' }), 'InvalidOperation.RuleDuplicate', 400);
    assert.match(dup.message, new RegExp(r80!.securityGroupRuleId!));
    await expectApiError(byId(r80!.securityGroupRuleId!, { portRange: '22/22', priority: '99', description: 'x' }), 'InvalidOperation.RuleDuplicate', 400);
    // Unknown rule, a rule of the other direction, an unknown group.
    await expectApiError(byId('sgr-bp1doesnotexist00000', { priority: '2' }), 'InvalidSecurityGroupRuleId.NotFound', 404);
    await expectApiError(byId(rOut!.securityGroupRuleId!, { priority: '2' }), 'InvalidSecurityGroupRuleId.NotFound', 404);
    await expectApiError(
      modifyRule('sg-bp1doesnotexist00000', { securityGroupRuleId: r22!.securityGroupRuleId, priority: '2' }),
      'InvalidSecurityGroupId.NotFound',
      404,
    );
    // The kind of authorization object and NicType stay.
    await expectApiError(byId(r22!.securityGroupRuleId!, { sourceGroupId: peer }), 'InvalidOperation.ModifySgRuleEntityType', 400);
    await expectApiError(byId(r22!.securityGroupRuleId!, { ipv6SourceCidrIp: '2001:db8::/32' }), 'InvalidOperation.ModifySgRuleEntityType', 400);
    await expectApiError(byId(rGroup!.securityGroupRuleId!, { sourceCidrIp: '10.0.0.0/8' }), 'InvalidOperation.ModifySgRuleEntityType', 400);
    await expectApiError(byId(r22!.securityGroupRuleId!, { nicType: 'internet' }), 'InvalidOperation.ModifyNicType', 400);
    // A new source group must be another group of the same VPC.
    await expectApiError(byId(rGroup!.securityGroupRuleId!, { sourceGroupId: 'sg-bp1doesnotexist00000' }), 'InvalidSourceGroupId.NotFound', 404);
    await expectApiError(byId(rGroup!.securityGroupRuleId!, { sourceGroupId: elsewhere }), 'InvalidSourceGroupId.Mismatch', 400);
    await expectApiError(byId(rGroup!.securityGroupRuleId!, { sourceGroupId: id }), 'InvalidParamter.Conflict', 403);
    // Malformed values, as Authorize answers them.
    await expectApiError(byId(r22!.securityGroupRuleId!, { priority: '0' }), 'InvalidPriority.ValueNotSupported', 400);
    await expectApiError(byId(r22!.securityGroupRuleId!, { priority: 'one' }), 'InvalidPriority.Malformed', 400);
    await expectApiError(byId(r22!.securityGroupRuleId!, { policy: 'allow' }), 'InvalidPolicy.Malformed', 400);
    await expectApiError(byId(r22!.securityGroupRuleId!, { ipProtocol: 'icmp' }), 'OperationDenied', 400);
    await expectApiError(byId(r22!.securityGroupRuleId!, { portRange: '0/70000' }), 'InvalidParam.PortRange', 400);
    await expectApiError(byId(r22!.securityGroupRuleId!, { sourceCidrIp: '10.0.0.0/40' }), 'InvalidSourceCidrIp.Malformed', 400);
    await expectApiError(byId(r22!.securityGroupRuleId!, { description: 'd'.repeat(513) }), 'InvalidSecurityGroupDiscription.Malformed', 400);
    // Parameters eniplane does not model are refused by name; a request naming no rule lacks its ID.
    const unsupported = await expectApiError(byId(r22!.securityGroupRuleId!, { sourcePrefixListId: 'pl-x' }), 'UnsupportedParameter', 400);
    assert.match(unsupported.message, /SourcePrefixListId/);
    await expectApiError(byId(r22!.securityGroupRuleId!, { portRangeListId: 'prl-x' }), 'UnsupportedParameter', 400);
    await expectApiError(modifyRule(id, {}), 'MissingParameter', 400);
    assert.deepEqual(await rules(id), before);

    // An advanced group takes accept rules only.
    const advanced = await createSg(vpcA, { securityGroupType: 'enterprise' });
    await authorize(advanced, [ssh]);
    const [adv] = await rules(advanced);
    await expectApiError(modifyRule(advanced, { securityGroupRuleId: adv!.securityGroupRuleId, policy: 'drop' }), 'InvalidGroupParameter.OperationDenied', 400);
    assert.deepEqual(await rules(advanced), [adv]);
  });

  test('ModifySecurityGroupRule: a group rule moves to another group of the VPC; references follow (SourceGroupName, DeleteSecurityGroup)', async () => {
    const id = await createSg(vpcA);
    const app = await createSg(vpcA, { securityGroupName: 'app' });
    const web = await createSg(vpcA, { securityGroupName: 'web' });
    await authorize(id, [{ ipProtocol: 'tcp', portRange: '5432/5432', sourceGroupId: app }]);
    const [rule] = await rules(id);
    await modifyRule(id, { securityGroupRuleId: rule!.securityGroupRuleId, sourceGroupId: web, description: 'from web' });
    const [moved] = await rules(id);
    assert.deepEqual(
      [moved!.securityGroupRuleId, moved!.sourceGroupId, moved!.sourceGroupName, moved!.sourceGroupOwnerAccount, moved!.description],
      [rule!.securityGroupRuleId, web, 'web', rule!.sourceGroupOwnerAccount, 'from web'],
    );
    assert.equal((await describeSgs({ securityGroupId: id })).securityGroups!.securityGroup![0]!.groupToGroupRuleCount, 1);
    const del = (securityGroupId: string) => ecs.deleteSecurityGroup(new $Ecs.DeleteSecurityGroupRequest({ regionId, securityGroupId }));
    await expectApiError(del(web), 'DependencyViolation', 403);
    await del(app);
  });

  test('ModifySecurityGroupRule: without SecurityGroupRuleId, the rule the request states (the older form) has its Description and Priority changed', async () => {
    const id = await createSg(vpcA);
    await authorize(id, [ssh, { ...ssh, portRange: '80/80' }]);
    const before = await rules(id);
    await modifyRule(id, {
      ipProtocol: 'TCP',
      portRange: '22/22',
      sourceCidrIp: '10.0.0.0/8',
      policy: 'accept',
      nicType: 'intranet',
      description: 'ssh from the VPC',
      priority: '4',
    });
    const after = await rules(id);
    assert.deepEqual({ ...after[0] }, { ...before[0], description: 'ssh from the VPC', priority: '4' });
    assert.deepEqual(after[1], before[1]);
    // Priority is not part of what a rule is: the rule is found whatever priority the request names, and takes that priority.
    await modifyRule(id, { ipProtocol: 'tcp', portRange: '22/22', sourceCidrIp: '10.0.0.0/8', priority: '9' });
    assert.deepEqual({ ...(await rules(id))[0] }, { ...after[0], priority: '9' });
    // No such rule (another port, another policy, another direction's rule).
    await expectApiError(
      modifyRule(id, { ipProtocol: 'tcp', portRange: '23/23', sourceCidrIp: '10.0.0.0/8', description: 'x' }),
      'SecurityGroupRule.NotFound',
      404,
    );
    await expectApiError(
      modifyRule(id, { ...{ ipProtocol: 'tcp', portRange: '22/22', sourceCidrIp: '10.0.0.0/8' }, policy: 'drop', description: 'x' }),
      'SecurityGroupRule.NotFound',
      404,
    );
    await expectApiError(modifyRule(id, { ipProtocol: 'tcp', portRange: '22/22', description: 'x' }), 'MissingParameter.Source', 400);
    await expectApiError(
      modifyRule(id, { ipProtocol: 'tcp', portRange: '22/22', sourceCidrIp: '10.0.0.0/8', priority: '101' }),
      'InvalidPriority.ValueNotSupported',
      400,
    );
    assert.deepEqual({ ...(await rules(id))[0] }, { ...after[0], priority: '9' });
  });

  test('ModifySecurityGroupEgressRule: by SecurityGroupRuleId (destination CIDR or group) or by the rule itself', async () => {
    const id = await createSg(vpcA);
    const peer = await createSg(vpcA, { securityGroupName: 'peer' });
    const peer2 = await createSg(vpcA, { securityGroupName: 'peer2' });
    await authorize(id, [ssh]);
    await authorizeEgress(id, [
      { ipProtocol: 'tcp', portRange: '443/443', destCidrIp: '0.0.0.0/0' },
      { ipProtocol: 'udp', portRange: '53/53', destGroupId: peer },
    ]);
    const [inbound] = await rules(id, 'ingress');
    const [https, dns] = await rules(id, 'egress');
    await modifyEgressRule(id, {
      securityGroupRuleId: https!.securityGroupRuleId,
      destCidrIp: '100.64.0.0/10',
      portRange: '8443/8443',
      sourceCidrIp: '10.0.0.0/8',
    });
    await modifyEgressRule(id, { securityGroupRuleId: dns!.securityGroupRuleId, destGroupId: peer2 });
    const [https2, dns2] = await rules(id, 'egress');
    assert.deepEqual(
      [https2!.securityGroupRuleId, https2!.destCidrIp, https2!.portRange, https2!.sourceCidrIp],
      [https!.securityGroupRuleId, '100.64.0.0/10', '8443/8443', '10.0.0.0/8'],
    );
    assert.deepEqual([dns2!.destGroupId, dns2!.destGroupName], [peer2, 'peer2']);
    await expectApiError(
      modifyEgressRule(id, { securityGroupRuleId: inbound!.securityGroupRuleId, priority: '2' }),
      'InvalidSecurityGroupRuleId.NotFound',
      404,
    );
    await expectApiError(modifyEgressRule(id, { securityGroupRuleId: dns!.securityGroupRuleId, destGroupId: id }), 'InvalidSecurityGroup.IsSame', 403);
    await expectApiError(
      modifyEgressRule(id, { securityGroupRuleId: dns!.securityGroupRuleId, destCidrIp: '10.0.0.0/8' }),
      'InvalidOperation.ModifySgRuleEntityType',
      400,
    );
    await expectApiError(
      modifyEgressRule(id, { securityGroupRuleId: https!.securityGroupRuleId, ipProtocol: 'udp', portRange: '53/53', destGroupId: peer2 }),
      'InvalidOperation.ModifySgRuleEntityType',
      400,
    );
    // The older form: the rule is stated; its description changes.
    await modifyEgressRule(id, { ipProtocol: 'udp', portRange: '53/53', destGroupId: peer2, description: 'dns' });
    assert.equal((await rules(id, 'egress'))[1]!.description, 'dns');
    await expectApiError(
      modifyEgressRule(id, { ipProtocol: 'udp', portRange: '53/53', destGroupId: peer, description: 'dns' }),
      'SecurityGroupRule.NotFound',
      404,
    );
    await expectApiError(modifyEgressRule(id, { ipProtocol: 'udp', portRange: '53/53', description: 'dns' }), 'MissingParameter.Dest', 400);
    assert.deepEqual(await rules(id, 'ingress'), [inbound]);
  });

  test('ModifySecurityGroupRule: a repeated ClientToken answers the first call without changing the rule again; other parameters with it are refused', async () => {
    const id = await createSg(vpcA);
    await authorize(id, [ssh]);
    const [rule] = await rules(id);
    const ruleId = rule!.securityGroupRuleId!;
    await modifyRule(id, { securityGroupRuleId: ruleId, description: 'first', clientToken: 'modify-token-1' });
    await modifyRule(id, { securityGroupRuleId: ruleId, description: 'second' });
    await modifyRule(id, { securityGroupRuleId: ruleId, description: 'first', clientToken: 'modify-token-1' });
    assert.equal((await rules(id))[0]!.description, 'second');
    await expectApiError(
      modifyRule(id, { securityGroupRuleId: ruleId, description: 'third', clientToken: 'modify-token-1' }),
      'IdempotentParameterMismatch',
      400,
    );
    assert.equal((await rules(id))[0]!.description, 'second');
  });

  test("AuthorizeSecurityGroup / RevokeSecurityGroup / ModifySecurityGroupRule: SourceGroupOwnerId naming the caller's own account is taken; another account is refused by name", async () => {
    const id = await createSg(vpcA);
    const peer = await createSg(vpcA);
    await authorize(id, [{ ipProtocol: 'tcp', portRange: '22/22', sourceGroupId: peer }]);
    const [rule] = await rules(id);
    const own = rule!.sourceGroupOwnerAccount!;
    const other = own === '1234567890123456' ? '6543210987654321' : '1234567890123456';
    const groupRule = { ipProtocol: 'tcp', portRange: '80/80', sourceGroupId: peer };
    await authorize(id, [{ ...groupRule, sourceGroupOwnerId: own } as Perm]);
    const refused = await expectApiError(authorize(id, [{ ...groupRule, portRange: '81/81', sourceGroupOwnerId: other } as Perm]), 'UnsupportedParameter', 400);
    assert.match(refused.message, /Permissions\.1\.SourceGroupOwnerId/);
    await expectApiError(
      authorizeEgress(id, [{ ipProtocol: 'tcp', portRange: '81/81', destGroupId: peer, destGroupOwnerId: other } as Perm]),
      'UnsupportedParameter',
      400,
    );
    await modifyRule(id, { ipProtocol: 'tcp', portRange: '80/80', sourceGroupId: peer, sourceGroupOwnerId: Number(own), description: 'own' });
    await expectApiError(
      modifyRule(id, { securityGroupRuleId: rule!.securityGroupRuleId, sourceGroupOwnerId: Number(other), description: 'x' }),
      'UnsupportedParameter',
      400,
    );
    await revoke(id, { ipProtocol: 'tcp', portRange: '80/80', sourceGroupId: peer, sourceGroupOwnerId: Number(own) });
    assert.deepEqual(
      (await rules(id)).map((r) => [r.portRange, r.description]),
      [['22/22', '']],
    );
  });

  test('DescribeSecurityGroupAttribute: MaxResults/NextToken page the rules; NicType internet reads as intranet; Attribute snapshotPolicyIds', async () => {
    const id = await createSg(vpcA);
    const perms: Perm[] = Array.from({ length: 25 }, (_, i) => ({ ipProtocol: 'tcp', portRange: `${100 + i}/${100 + i}`, sourceCidrIp: '10.0.0.0/8' }));
    await authorize(id, perms);
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await attribute(id, { maxResults: 10, ...(token && { nextToken: token }) });
      seen.push(...page.permissions!.permission!.map((r) => r.portRange!));
      token = page.nextToken || undefined;
      pages++;
    } while (token);
    assert.equal(pages, 3);
    assert.deepEqual(
      seen,
      perms.map((p) => p.portRange),
    );
    assert.equal((await attribute(id, { nicType: 'internet' })).permissions!.permission!.length, 25);
    assert.equal((await attribute(id, { nicType: 'intranet' })).permissions!.permission!.length, 25);
    await expectApiError(attribute(id, { nicType: 'public' }), 'InvalidNicType.ValueNotSupported', 400);
    await expectApiError(attribute(id, { maxResults: 9 }), 'InvalidParameter', 400);
    assert.deepEqual((await attribute(id, { attribute: 'snapshotPolicyIds' })).snapshotPolicyIds!.snapshotPolicyId, []);
    assert.equal((await attribute(id)).snapshotPolicyIds, undefined);
    await expectApiError(attribute(id, { attribute: 'rules' }), 'InvalidParameter.AttributeNotSupported', 400);
    await expectApiError(attribute('sg-bp1doesnotexist00000'), 'InvalidSecurityGroupId.NotFound', 404);
  });

  test('DeleteSecurityGroup: refused while another group references it; then it goes with its rules and tags', async () => {
    const target = await createSg(vpcA, { tag: [new $Ecs.CreateSecurityGroupRequestTag({ key: 'doomed', value: 'yes' })] });
    const inbound = await createSg(vpcA);
    const outbound = await createSg(vpcA);
    await authorize(target, [ssh]);
    await authorize(inbound, [{ ipProtocol: 'tcp', portRange: '22/22', sourceGroupId: target }]);
    await authorizeEgress(outbound, [{ ipProtocol: 'tcp', portRange: '22/22', destGroupId: target }]);
    const del = (securityGroupId: string) => ecs.deleteSecurityGroup(new $Ecs.DeleteSecurityGroupRequest({ regionId, securityGroupId }));

    const err = await expectApiError(del(target), 'DependencyViolation', 403);
    assert.match(err.message, /authorized in another one/);
    await revoke(inbound, { perms: [{ ipProtocol: 'tcp', portRange: '22/22', sourceGroupId: target }] });
    await expectApiError(del(target), 'DependencyViolation', 403);
    await ecs.revokeSecurityGroupEgress(
      new $Ecs.RevokeSecurityGroupEgressRequest({ regionId, securityGroupId: outbound, ipProtocol: 'tcp', portRange: '22/22', destGroupId: target }),
    );
    assert.equal((await rules(target)).length, 1);

    await del(target);
    await expectApiError(attribute(target), 'InvalidSecurityGroupId.NotFound', 404);
    await expectApiError(del(target), 'InvalidSecurityGroupId.NotFound', 404);
    assert.deepEqual((await describeSgs({ tag: [new $Ecs.DescribeSecurityGroupsRequestTag({ key: 'doomed' })] })).securityGroups!.securityGroup, []);
    // A group whose own rules reference others can go at any time.
    await authorize(inbound, [{ ipProtocol: 'tcp', portRange: '22/22', sourceGroupId: outbound }]);
    await del(inbound);
    await del(outbound);
  });

  test('DeleteVpc: refused while the VPC holds a security group (DependencyViolation.SecurityGroup); allowed once it is deleted', async () => {
    const vpcId = (await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId, cidrBlock: '192.168.0.0/16' }))).body!.vpcId!;
    const id = await createSg(vpcId);
    await expectApiError(vpc.deleteVpc(new $Vpc.DeleteVpcRequest({ regionId, vpcId })), 'DependencyViolation.SecurityGroup', 400);
    await ecs.deleteSecurityGroup(new $Ecs.DeleteSecurityGroupRequest({ regionId, securityGroupId: id }));
    await vpc.deleteVpc(new $Vpc.DeleteVpcRequest({ regionId, vpcId }));
    await expectApiError(createSg(vpcId), 'InvalidVpcId.NotFound', 404);
  });

  test('Accounts are isolated: another account sees no group of this one and cannot touch or reference one', async () => {
    const mine = await createSg(vpcA, { securityGroupName: 'private' });
    await authorize(mine, [ssh]);
    const key = createAccount(server, 'other');
    const theirs = ecsClient(server, { key });
    const theirVpc = vpcClient(server, { key });

    assert.deepEqual((await describeSgs({}, theirs)).securityGroups!.securityGroup, []);
    assert.deepEqual((await describeSgs({ securityGroupId: mine }, theirs)).securityGroups!.securityGroup, []);
    await expectApiError(
      theirs.describeSecurityGroupAttribute(new $Ecs.DescribeSecurityGroupAttributeRequest({ regionId, securityGroupId: mine })),
      'InvalidSecurityGroupId.NotFound',
      404,
    );
    await expectApiError(
      theirs.modifySecurityGroupAttribute(new $Ecs.ModifySecurityGroupAttributeRequest({ regionId, securityGroupId: mine, securityGroupName: 'stolen' })),
      'InvalidSecurityGroupId.NotFound',
      404,
    );
    await expectApiError(authorize(mine, [{ ...ssh, portRange: '1/1' }], {}, theirs), 'InvalidSecurityGroupId.NotFound', 404);
    await expectApiError(revoke(mine, { perms: [ssh] }, theirs), 'InvalidSecurityGroupId.NotFound', 404);
    await expectApiError(
      theirs.deleteSecurityGroup(new $Ecs.DeleteSecurityGroupRequest({ regionId, securityGroupId: mine })),
      'InvalidSecurityGroupId.NotFound',
      404,
    );
    await expectApiError(createSg(vpcA, {}, theirs), 'InvalidVpcId.NotFound', 404);

    // Their own group, in their own VPC, cannot be referenced from mine, nor mine from theirs.
    const theirVpcId = (await theirVpc.createVpc(new $Vpc.CreateVpcRequest({ regionId, cidrBlock: '10.0.0.0/8' }))).body!.vpcId!;
    const theirGroup = await createSg(theirVpcId, {}, theirs);
    await expectApiError(authorize(mine, [{ ipProtocol: 'tcp', portRange: '1/1', sourceGroupId: theirGroup }]), 'InvalidSourceGroupId.NotFound', 404);
    await expectApiError(
      authorize(theirGroup, [{ ipProtocol: 'tcp', portRange: '1/1', sourceGroupId: mine }], {}, theirs),
      'InvalidSourceGroupId.NotFound',
      404,
    );
    assert.deepEqual(
      (await describeSgs({}, theirs)).securityGroups!.securityGroup!.map((g) => g.securityGroupId),
      [theirGroup],
    );
    const attrs = await attribute(mine);
    assert.equal(attrs.securityGroupName, 'private');
    assert.equal(attrs.permissions!.permission!.length, 1);
  });
});
