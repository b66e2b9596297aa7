import { Type } from '@sinclair/typebox';
import { validateTags } from '../../domain/tags.ts';
import { CommonErrors } from '../../errors/common.ts';
import { EniErrors } from '../../errors/ecs/enis.ts';
import { EcsResourceGroupErrors } from '../../errors/resourcemanager/resource-groups.ts';
import { TagErrors } from '../../errors/tags.ts';
import { Ipv6Errors } from '../../errors/ecs/ipv6.ts';
import { createEni } from '../../services/enis.ts';
import { defineAction } from '../define-action.ts';
import { ClientToken, Enum, RegionId, RepeatList, TagParams } from '../params.ts';
import { B, Obj, S, Wrap } from '../schema-helpers.ts';
import { EniFields, eniItem } from './eni-views.ts';

/** CreateNetworkInterface answers with a subset of the Describe fields (ECS-SDK CreateNetworkInterfaceResponseBody). */
const CREATE_FIELDS = [
  'NetworkInterfaceId',
  'NetworkInterfaceName',
  'Description',
  'Status',
  'Type',
  'VpcId',
  'VSwitchId',
  'ZoneId',
  'MacAddress',
  'PrivateIpAddress',
  'OwnerId',
  'ResourceGroupId',
  'ServiceID',
  'ServiceManaged',
  'SourceDestCheck',
  'SecurityGroupIds',
  'Ipv6Sets',
  'Ipv4PrefixSets',
  'Ipv6PrefixSets',
  'Tags',
] as const;
const CreateResult = Obj({
  ...(Object.fromEntries(CREATE_FIELDS.map((k) => [k, EniFields[k]])) as Pick<typeof EniFields, (typeof CREATE_FIELDS)[number]>),
  PrivateIpSets: Wrap('PrivateIpSet', Obj({ PrivateIpAddress: S, Primary: B })),
});

const TRAFFIC_MODES = ['Standard', 'HighPerformance'] as const;

/**
 * IPv4 prefixes by list or by count, not both; and not with secondary addresses in the same
 * request: "ECS does not allow requesting both individual IPs and prefixes in the same request"
 * (Terway, pkg/aliyun/client/options.go, which refuses such a request before sending it).
 * Shared by CreateNetworkInterface and AssignPrivateIpAddresses.
 */
export function checkPrefixParams(p: {
  Ipv4Prefix?: string[];
  Ipv4PrefixCount?: number;
  PrivateIpAddress?: string[];
  SecondaryPrivateIpAddressCount?: number;
}): void {
  if (p.Ipv4Prefix !== undefined && p.Ipv4PrefixCount !== undefined) throw EniErrors.conflict('Ipv4Prefix', 'Ipv4PrefixCount');
  const prefixes = p.Ipv4Prefix !== undefined ? 'Ipv4Prefix' : p.Ipv4PrefixCount !== undefined ? 'Ipv4PrefixCount' : undefined;
  const addresses =
    p.PrivateIpAddress !== undefined ? 'PrivateIpAddress' : p.SecondaryPrivateIpAddressCount !== undefined ? 'SecondaryPrivateIpAddressCount' : undefined;
  if (prefixes && addresses) throw EniErrors.conflict(addresses, prefixes);
}

/** A knob given both flat and in NetworkInterfaceTrafficConfig: the same value, or a conflict. */
export function merged<T>(flat: T | undefined, grouped: T | undefined, name: string): T | undefined {
  if (flat !== undefined && grouped !== undefined && flat !== grouped) throw EniErrors.conflict(name, `NetworkInterfaceTrafficConfig.${name}`);
  return flat ?? grouped;
}

export const createNetworkInterface = defineAction({
  product: 'Ecs',
  name: 'CreateNetworkInterface',
  summary:
    'Create a secondary ENI (or a trunk ENI, InstanceType=Trunk) in a vSwitch with one to five security groups, a primary address (given or picked), secondary ones by list or count, or IPv4 prefixes (/28) by list or count, and IPv6 addresses and /80 prefixes; Available at once.',
  idempotent: true,
  params: Type.Object({
    RegionId,
    VSwitchId: Type.String(),
    SecurityGroupId: Type.Optional(Type.String()),
    SecurityGroupIds: Type.Optional(RepeatList(Type.String(), 16)),
    PrimaryIpAddress: Type.Optional(Type.String()),
    PrivateIpAddress: Type.Optional(RepeatList(Type.String(), 49)),
    SecondaryPrivateIpAddressCount: Type.Optional(Type.Integer({ minimum: 1, maximum: 49 })),
    Ipv4Prefix: Type.Optional(RepeatList(Type.String(), 10)),
    Ipv4PrefixCount: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
    NetworkInterfaceName: Type.Optional(Type.String()),
    Description: Type.Optional(Type.String()),
    InstanceType: Type.Optional(Enum(['Secondary', 'Trunk'])),
    DeleteOnRelease: Type.Optional(Type.Boolean()),
    SourceDestCheck: Type.Optional(Type.Boolean()),
    QueueNumber: Type.Optional(Type.Integer()),
    NetworkInterfaceTrafficMode: Type.Optional(Enum(TRAFFIC_MODES)),
    // The grouped form of the same knobs; the RDMA queue pairs and queue depths are not modelled.
    NetworkInterfaceTrafficConfig: Type.Optional(
      Type.Object({ NetworkInterfaceTrafficMode: Type.Optional(Enum(TRAFFIC_MODES)), QueueNumber: Type.Optional(Type.Integer()) }),
    ),
    ResourceGroupId: Type.Optional(Type.String()),
    Ipv6Address: Type.Optional(RepeatList(Type.String(), 10)),
    Ipv6AddressCount: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
    Ipv6Prefix: Type.Optional(RepeatList(Type.String(), 10)),
    Ipv6PrefixCount: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
    Tag: TagParams,
    ClientToken,
  }),
  result: CreateResult,
  errors: [
    EniErrors.vswitchNotFound,
    EniErrors.securityGroupNotFound,
    EniErrors.securityGroupCount,
    EniErrors.securityGroupRepeated,
    EniErrors.multiGroupType,
    EniErrors.vpcMismatch,
    EniErrors.conflict,
    EniErrors.ipInvalid,
    EniErrors.ipMalformed,
    EniErrors.ipv4PrefixInvalid,
    EniErrors.ipDuplicated,
    EniErrors.ipRepeated,
    EniErrors.ipNotEnough,
    EniErrors.ipv4CountExceeded,
    EniErrors.securityGroupIpQuota,
    EniErrors.eniQuota,
    EcsResourceGroupErrors.notFound,
    EniErrors.nameMalformed,
    EniErrors.descriptionMalformed,
    EniErrors.queueNumberInvalid,
    TagErrors.keyMalformed,
    TagErrors.valueMalformed,
    TagErrors.duplicateKey,
    Ipv6Errors.vswitchIpv6Off,
    Ipv6Errors.countExceeded,
    Ipv6Errors.addressInvalid,
    EniErrors.ipAssigned,
  ],
  async handler(p, ctx) {
    if (p.SecurityGroupId !== undefined && p.SecurityGroupIds !== undefined) throw EniErrors.conflict('SecurityGroupId', 'SecurityGroupIds');
    const groups = p.SecurityGroupIds ?? (p.SecurityGroupId !== undefined ? [p.SecurityGroupId] : []);
    if (groups.length === 0) throw CommonErrors.missingParameter('SecurityGroupIds');
    if (p.PrivateIpAddress !== undefined && p.SecondaryPrivateIpAddressCount !== undefined) {
      throw EniErrors.conflict('PrivateIpAddress', 'SecondaryPrivateIpAddressCount');
    }
    checkPrefixParams(p);
    if (p.Ipv6Address !== undefined && p.Ipv6AddressCount !== undefined) throw EniErrors.conflict('Ipv6Address', 'Ipv6AddressCount');
    if (p.Ipv6Prefix !== undefined && p.Ipv6PrefixCount !== undefined) throw EniErrors.conflict('Ipv6Prefix', 'Ipv6PrefixCount');
    const tags = validateTags(p.Tag);
    const details = await createEni(ctx, {
      vswitchId: p.VSwitchId,
      securityGroupIds: groups,
      primaryIp: p.PrimaryIpAddress,
      secondaryIps: p.PrivateIpAddress ?? [],
      secondaryCount: p.SecondaryPrivateIpAddressCount ?? 0,
      ipv4Prefixes: p.Ipv4Prefix,
      ipv4PrefixCount: p.Ipv4PrefixCount,
      name: p.NetworkInterfaceName,
      description: p.Description,
      tags,
      deleteOnRelease: p.DeleteOnRelease ?? false,
      sourceDestCheck: p.SourceDestCheck ?? false,
      queueNumber: merged(p.QueueNumber, p.NetworkInterfaceTrafficConfig?.QueueNumber, 'QueueNumber'),
      trafficMode: merged(p.NetworkInterfaceTrafficMode, p.NetworkInterfaceTrafficConfig?.NetworkInterfaceTrafficMode, 'NetworkInterfaceTrafficMode'),
      // A trunk ENI is created unattached, as any ENI: Terway creates it, then attaches it to its node.
      type: p.InstanceType === 'Trunk' ? 'Trunk' : 'Secondary',
      resourceGroupId: p.ResourceGroupId,
      ipv6: { addresses: p.Ipv6Address ?? [], count: p.Ipv6AddressCount ?? 0, prefixes: p.Ipv6Prefix ?? [], prefixCount: p.Ipv6PrefixCount ?? 0 },
    });
    const item = eniItem(details, [], tags);
    return {
      ...(Object.fromEntries(CREATE_FIELDS.map((k) => [k, item[k]])) as Pick<typeof item, (typeof CREATE_FIELDS)[number]>),
      PrivateIpSets: { PrivateIpSet: item.PrivateIpSets.PrivateIpSet.map((ip) => ({ PrivateIpAddress: ip.PrivateIpAddress, Primary: ip.Primary })) },
    };
  },
});
