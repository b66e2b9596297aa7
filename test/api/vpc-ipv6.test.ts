import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as $Vpc from '@alicloud/vpc20160428';
import { vpcClient } from '../helpers/clients.ts';
import { expectApiError } from '../helpers/expect-error.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { formatIpv6Cidr, ipv6NetContains, parseIpv6Cidr, vswitchIpv6Block } from '../../src/domain/ipv6.ts';

const region = 'cn-hangzhou';
const zone = 'cn-hangzhou-h';

/** The /64 at `index` of a VPC's /56, spelled as the server must spell it. */
const sixtyFourAt = (vpcBlock: string, index: number) => formatIpv6Cidr(vswitchIpv6Block(parseIpv6Cidr(vpcBlock)!, index));

describe('IPv6 in VPCs and vSwitches through the official VPC SDK', () => {
  let server: RunningServer;
  let vpc: ReturnType<typeof vpcClient>;
  before(async () => {
    server = await startServer({ args: ['--ipv6-pool', '2001:db8:4000::/40', '--quotas', 'max-vpcs=50'] });
    vpc = vpcClient(server);
  });
  after(() => server.dispose());

  const createVpc = (extra: Partial<$Vpc.CreateVpcRequest> = {}) =>
    vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: region, cidrBlock: '192.168.0.0/16', ...extra }));
  const describeVpc = async (vpcId: string) => (await vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: region, vpcId }))).body!.vpcs!.vpc![0]!;
  const createVSwitch = (vpcId: string, cidrBlock: string, extra: Partial<$Vpc.CreateVSwitchRequest> = {}) =>
    vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId: region, vpcId, zoneId: zone, cidrBlock, ...extra }));
  const describeVSwitch = async (vSwitchId: string) =>
    (await vpc.describeVSwitches(new $Vpc.DescribeVSwitchesRequest({ regionId: region, vSwitchId }))).body!.vSwitches!.vSwitch![0]!;

  test('CreateVpc EnableIpv6: a /56 of the pool, shown with its line type; without it the VPC has none', async () => {
    const { vpcId } = (await createVpc({ enableIpv6: true })).body!;
    const item = await describeVpc(vpcId!);
    assert.equal(item.enabledIpv6, true);
    const block = parseIpv6Cidr(item.ipv6CidrBlock!);
    assert.equal(block?.prefixLength, 56, item.ipv6CidrBlock);
    assert.ok(ipv6NetContains(parseIpv6Cidr('2001:db8:4000::/40')!, block.base), `${item.ipv6CidrBlock} is in the pool`);
    assert.equal(formatIpv6Cidr(block), item.ipv6CidrBlock, 'RFC 5952 spelling');
    assert.deepEqual(
      item.ipv6CidrBlocks!.ipv6CidrBlock!.map((b) => [b.ipv6CidrBlock, b.ipv6Isp]),
      [[item.ipv6CidrBlock, 'BGP']],
    );
    const plain = await describeVpc((await createVpc()).body!.vpcId!);
    assert.equal(plain.enabledIpv6, false);
    assert.equal(plain.ipv6CidrBlock, '');
    assert.deepEqual(plain.ipv6CidrBlocks!.ipv6CidrBlock, []);
  });

  test('CreateVpc: two IPv6 VPCs never share a block; a bad Ipv6Isp is refused', async () => {
    const blocks = new Set<string>();
    for (let i = 0; i < 5; i++) blocks.add((await describeVpc((await createVpc({ enableIpv6: true })).body!.vpcId!)).ipv6CidrBlock!);
    assert.equal(blocks.size, 5);
    await expectApiError(createVpc({ enableIpv6: true, ipv6Isp: 'Nope' }), 'InvalidParameter', 400);
    const isp = await describeVpc((await createVpc({ enableIpv6: true, ipv6Isp: 'ChinaMobile' })).body!.vpcId!);
    assert.equal(isp.ipv6CidrBlocks!.ipv6CidrBlock![0]!.ipv6Isp, 'ChinaMobile');
  });

  test('CreateVSwitch Ipv6CidrBlock: the /64 at that index of the /56; repeated index, no-IPv6 VPC, bad mask and range refused', async () => {
    const { vpcId } = (await createVpc({ enableIpv6: true })).body!;
    const vpcBlock = (await describeVpc(vpcId!)).ipv6CidrBlock!;
    const { vSwitchId } = (await createVSwitch(vpcId!, '192.168.1.0/24', { ipv6CidrBlock: 12, ipv6CidrMask: 64 })).body!;
    const item = await describeVSwitch(vSwitchId!);
    assert.equal(item.enabledIpv6, true);
    assert.equal(item.ipv6CidrBlock, sixtyFourAt(vpcBlock, 12));
    await expectApiError(createVSwitch(vpcId!, '192.168.2.0/24', { ipv6CidrBlock: 12 }), 'InvalidCidrBlock.Overlapped', 400);
    await expectApiError(createVSwitch(vpcId!, '192.168.2.0/24', { ipv6CidrBlock: 13, ipv6CidrMask: 60 }), 'InvalidParameter', 400);
    await expectApiError(createVSwitch(vpcId!, '192.168.2.0/24', { ipv6CidrBlock: 256 }), 'InvalidParameter', 400);
    const plain = (await createVpc()).body!.vpcId!;
    await expectApiError(createVSwitch(plain, '192.168.2.0/24', { ipv6CidrBlock: 1 }), 'OperationFailed.VpcNotEnableIpv6', 400);
    const without = await describeVSwitch((await createVSwitch(vpcId!, '192.168.3.0/24')).body!.vSwitchId!);
    assert.equal(without.enabledIpv6, false);
    assert.equal(without.ipv6CidrBlock, '');
  });

  test('ModifyVpcAttribute EnableIPv6 and ModifyVSwitchAttribute EnableIPv6 turn IPv6 on for existing ones', async () => {
    const { vpcId } = (await createVpc()).body!;
    const { vSwitchId } = (await createVSwitch(vpcId!, '192.168.4.0/24')).body!;
    const modifySwitch = (extra: Partial<$Vpc.ModifyVSwitchAttributeRequest>) =>
      vpc.modifyVSwitchAttribute(new $Vpc.ModifyVSwitchAttributeRequest({ regionId: region, vSwitchId, ...extra }));
    await expectApiError(modifySwitch({ enableIPv6: true, ipv6CidrBlock: 3 }), 'OperationFailed.VpcNotEnableIpv6', 400);
    await vpc.modifyVpcAttribute(new $Vpc.ModifyVpcAttributeRequest({ regionId: region, vpcId, enableIPv6: true }));
    const block = (await describeVpc(vpcId!)).ipv6CidrBlock!;
    assert.match(block, /\/56$/);
    await expectApiError(modifySwitch({ enableIPv6: true }), 'MissingParameter', 400);
    await modifySwitch({ enableIPv6: true, ipv6CidrBlock: 3 });
    assert.equal((await describeVSwitch(vSwitchId!)).ipv6CidrBlock, sixtyFourAt(block, 3));
    await expectApiError(modifySwitch({ enableIPv6: true, ipv6CidrBlock: 4 }), 'OperationFailed.Ipv6AlreadyEnabled', 400);
    // Enabling again keeps the VPC's block.
    await vpc.modifyVpcAttribute(new $Vpc.ModifyVpcAttributeRequest({ regionId: region, vpcId, enableIPv6: true }));
    assert.equal((await describeVpc(vpcId!)).ipv6CidrBlock, block);
    // The VPC keeps IPv6 while a vSwitch has it; the vSwitch drops it when no address is in use.
    await expectApiError(
      vpc.modifyVpcAttribute(new $Vpc.ModifyVpcAttributeRequest({ regionId: region, vpcId, enableIPv6: false })),
      'DependencyViolation.Ipv6Address',
      400,
    );
    await expectApiError(modifySwitch({ enableIPv6: false, ipv6CidrBlock: 3 }), 'InvalidParameter', 400);
    await modifySwitch({ enableIPv6: false });
    assert.equal((await describeVSwitch(vSwitchId!)).enabledIpv6, false);
    await vpc.modifyVpcAttribute(new $Vpc.ModifyVpcAttributeRequest({ regionId: region, vpcId, enableIPv6: false }));
    assert.equal((await describeVpc(vpcId!)).enabledIpv6, false);
  });
});
