import { Type } from '@sinclair/typebox';
import { validateTags } from '../../domain/tags.ts';
import { CommonErrors } from '../../errors/common.ts';
import { EniErrors } from '../../errors/ecs/enis.ts';
import { EcsResourceGroupErrors } from '../../errors/resourcemanager/resource-groups.ts';
import { TagErrors } from '../../errors/tags.ts';
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

/** A knob given both flat and in NetworkInterfaceTrafficConfig: the same value, or a conflict. */
export function merged<T>(flat: T | undefined, grouped: T | undefined, name: string): T | undefined {
  if (flat !== undefined && grouped !== undefined && flat !== grouped) throw EniErrors.conflict(name, `NetworkInterfaceTrafficConfig.${name}`);
  return flat ?? grouped;
}

export const createNetworkInterface = defineAction({
  product: 'Ecs',
  name: 'CreateNetworkInterface',
  summary:
    'Create a secondary ENI (or a trunk ENI, InstanceType=Trunk) in a vSwitch with one to five security groups, a primary address (given or picked) and secondary ones by list or count; Available at once.',
  idempotent: true,
  params: Type.Object({
    RegionId,
    VSwitchId: Type.String(),
    SecurityGroupId: Type.Optional(Type.String()),
    SecurityGroupIds: Type.Optional(RepeatList(Type.String(), 16)),
    PrimaryIpAddress: Type.Optional(Type.String()),
    PrivateIpAddress: Type.Optional(RepeatList(Type.String(), 49)),
    SecondaryPrivateIpAddressCount: Type.Optional(Type.Integer({ minimum: 1, maximum: 49 })),
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
  ],
  async handler(p, ctx) {
    if (p.SecurityGroupId !== undefined && p.SecurityGroupIds !== undefined) throw EniErrors.conflict('SecurityGroupId', 'SecurityGroupIds');
    const groups = p.SecurityGroupIds ?? (p.SecurityGroupId !== undefined ? [p.SecurityGroupId] : []);
    if (groups.length === 0) throw CommonErrors.missingParameter('SecurityGroupIds');
    if (p.PrivateIpAddress !== undefined && p.SecondaryPrivateIpAddressCount !== undefined) {
      throw EniErrors.conflict('PrivateIpAddress', 'SecondaryPrivateIpAddressCount');
    }
    const tags = validateTags(p.Tag);
    const details = await createEni(ctx, {
      vswitchId: p.VSwitchId,
      securityGroupIds: groups,
      primaryIp: p.PrimaryIpAddress,
      secondaryIps: p.PrivateIpAddress ?? [],
      secondaryCount: p.SecondaryPrivateIpAddressCount ?? 0,
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
    });
    const item = eniItem(details, [], tags);
    return {
      ...(Object.fromEntries(CREATE_FIELDS.map((k) => [k, item[k]])) as Pick<typeof item, (typeof CREATE_FIELDS)[number]>),
      PrivateIpSets: { PrivateIpSet: item.PrivateIpSets.PrivateIpSet.map((ip) => ({ PrivateIpAddress: ip.PrivateIpAddress, Primary: ip.Primary })) },
    };
  },
});
