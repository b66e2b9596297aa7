import { Ipv6Errors } from '../../errors/ecs/ipv6.ts';
import { NO_IPV6, type Ipv6Request } from '../../services/ipv6-addresses.ts';
import { Type } from '@sinclair/typebox';
import { intToIpv4, ipv4ToInt } from '../../domain/cidr.ts';
import { validateTags } from '../../domain/tags.ts';
import { EniErrors } from '../../errors/ecs/enis.ts';
import { EipErrors } from '../../errors/vpc/eips.ts';
import { EcsResourceGroupErrors } from '../../errors/resourcemanager/resource-groups.ts';
import { InstanceErrors } from '../../errors/ecs/instances.ts';
import { RamErrors } from '../../errors/ecs/ram-roles.ts';
import { givePublicIp } from '../../services/instance-public-ip.ts';
import { runInstance, type NetworkInterfaceSpec } from '../../services/instances.ts';
import { defineAction } from '../define-action.ts';
import { ClientToken, DryRun, Enum, RegionId, RepeatList } from '../params.ts';
import { Obj, S, Wrap } from '../schema-helpers.ts';
import { checkedAttributes, commonInstanceParams, instanceInputErrors } from './instance-params.ts';

const NetworkInterfaceParam = Type.Object({
  InstanceType: Type.Optional(Enum(['Primary', 'Secondary'])),
  NetworkInterfaceId: Type.Optional(Type.String()),
  VSwitchId: Type.Optional(Type.String()),
  SecurityGroupId: Type.Optional(Type.String()),
  SecurityGroupIds: Type.Optional(RepeatList(Type.String(), 16)),
  PrimaryIpAddress: Type.Optional(Type.String()),
  SecondaryPrivateIpAddressCount: Type.Optional(Type.Integer({ minimum: 1, maximum: 49 })),
  NetworkInterfaceName: Type.Optional(Type.String()),
  Description: Type.Optional(Type.String()),
  DeleteOnRelease: Type.Optional(Type.Boolean()),
  SourceDestCheck: Type.Optional(Type.Boolean()),
  QueueNumber: Type.Optional(Type.Integer()),
  NetworkInterfaceTrafficMode: Type.Optional(Enum(['Standard', 'HighPerformance'])),
  Ipv6Address: Type.Optional(RepeatList(Type.String(), 10)),
  Ipv6AddressCount: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
});

/** Ipv6Address.N / Ipv6AddressCount, one or the other, as an IPv6 request (or none). */
function ipv6Of(list: string[] | undefined, count: number | undefined, where: string): Ipv6Request | undefined {
  if (list !== undefined && count !== undefined) throw EniErrors.conflict(`${where}Ipv6Address`, `${where}Ipv6AddressCount`);
  if (list === undefined && count === undefined) return undefined;
  return { ...NO_IPV6, addresses: list ?? [], count: count ?? 0 };
}

export const runInstances = defineAction({
  product: 'Ecs',
  name: 'RunInstances',
  summary:
    'Create 1-100 instances (Pending, Starting, then Running) with a primary ENI from VSwitchId and security groups, or NetworkInterface.N: new or existing ENIs as primary or secondary.',
  idempotent: true,
  params: Type.Object({
    RegionId,
    ...commonInstanceParams,
    Amount: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    SecurityGroupId: Type.Optional(Type.String()),
    SecurityGroupIds: Type.Optional(RepeatList(Type.String(), 16)),
    NetworkInterface: Type.Optional(RepeatList(NetworkInterfaceParam, 32)),
    Ipv6Address: Type.Optional(RepeatList(Type.String(), 10)),
    Ipv6AddressCount: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
    ClientToken,
    DryRun,
  }),
  result: Obj({ InstanceIdSets: Wrap('InstanceIdSet', S) }),
  errors: [
    Ipv6Errors.vswitchIpv6Off,
    Ipv6Errors.notSupported,
    Ipv6Errors.maxPerEniExceeded,
    Ipv6Errors.addressInvalid,
    Ipv6Errors.amountWithAddresses,
    InstanceErrors.typeNotSupported,
    InstanceErrors.imageNotFound,
    InstanceErrors.nameMalformed,
    InstanceErrors.hostNameMalformed,
    EniErrors.descriptionMalformed,
    InstanceErrors.mismatch,
    InstanceErrors.networkInterfaceParam,
    InstanceErrors.secondaryEniNotSupported,
    InstanceErrors.vswitchRequired,
    ...instanceInputErrors,
    EipErrors.reserveIpFail,
    InstanceErrors.joinedGroupLimit,
    InstanceErrors.privateIpNotInVSwitch,
    InstanceErrors.privateIpDuplicated,
    InstanceErrors.privateIpNotEnough,
    EniErrors.ipMalformed,
    RamErrors.roleNotFound,
    EniErrors.ipRepeated,
    EniErrors.vswitchNotFound,
    EniErrors.securityGroupNotFound,
    EniErrors.securityGroupRepeated,
    EniErrors.multiGroupType,
    EniErrors.vpcMismatch,
    EniErrors.zoneMismatch,
    EniErrors.eniNotFound,
    EniErrors.invalidEniState,
    EniErrors.eniTypeNotAllowed,
    EniErrors.eniPerInstance,
    EniErrors.ipv4CountExceeded,
    EniErrors.securityGroupIpQuota,
    EcsResourceGroupErrors.notFound,
    EniErrors.conflict,
    EniErrors.vswitchMismatch,
    EniErrors.queueNumberInvalid,
    EniErrors.queueNumberExceeded,
    EniErrors.trafficModeNotSupported,
  ],
  async handler(p, ctx) {
    if (p.SecurityGroupId !== undefined && p.SecurityGroupIds !== undefined) throw EniErrors.conflict('SecurityGroupId', 'SecurityGroupIds');
    const attributes = checkedAttributes(p);
    const amount = p.Amount ?? 1;
    const interfaces: NetworkInterfaceSpec[] = (p.NetworkInterface ?? []).map((n) => {
      if (n.SecurityGroupId !== undefined && n.SecurityGroupIds !== undefined)
        throw EniErrors.conflict('NetworkInterface.N.SecurityGroupId', 'NetworkInterface.N.SecurityGroupIds');
      return {
        role: n.InstanceType ?? 'Secondary',
        networkInterfaceId: n.NetworkInterfaceId,
        vswitchId: n.VSwitchId,
        securityGroupIds: n.SecurityGroupIds ?? (n.SecurityGroupId !== undefined ? [n.SecurityGroupId] : undefined),
        primaryIp: n.PrimaryIpAddress,
        secondaryCount: n.SecondaryPrivateIpAddressCount,
        name: n.NetworkInterfaceName,
        description: n.Description,
        deleteOnRelease: n.DeleteOnRelease,
        sourceDestCheck: n.SourceDestCheck,
        queueNumber: n.QueueNumber,
        trafficMode: n.NetworkInterfaceTrafficMode,
        ipv6: ipv6Of(n.Ipv6Address, n.Ipv6AddressCount, 'NetworkInterface.N.'),
      };
    });
    if (amount > 1 && interfaces.some((n) => n.networkInterfaceId)) {
      throw InstanceErrors.networkInterfaceParam('an existing ENI can only go to a single instance (Amount=1).');
    }
    if (amount > 1 && p.PrivateIpAddress && interfaces.some((n) => n.role === 'Secondary')) {
      throw InstanceErrors.networkInterfaceParam('with PrivateIpAddress and Amount above 1, no secondary ENIs can be created.');
    }
    // With Amount > 1, PrivateIpAddress is the first of a consecutive range.
    const first = p.PrivateIpAddress !== undefined ? ipv4ToInt(p.PrivateIpAddress) : null;
    if (p.PrivateIpAddress !== undefined && first === null) throw EniErrors.ipMalformed(p.PrivateIpAddress);
    const ipv6 = ipv6Of(p.Ipv6Address, p.Ipv6AddressCount, '');
    // The same addresses cannot go to several instances.
    if (amount > 1 && (ipv6?.addresses.length || interfaces.some((n) => n.ipv6?.addresses.length))) throw Ipv6Errors.amountWithAddresses();
    const tags = validateTags(p.Tag);
    const ids: string[] = [];
    for (let i = 0; i < amount; i++) {
      ids.push(
        await runInstance(
          ctx,
          {
            instanceType: p.InstanceType,
            imageId: p.ImageId,
            zoneId: p.ZoneId,
            vswitchId: p.VSwitchId,
            securityGroupIds: p.SecurityGroupIds ?? (p.SecurityGroupId !== undefined ? [p.SecurityGroupId] : undefined),
            networkInterfaces: interfaces,
            ipv6,
            name: p.InstanceName,
            hostName: p.HostName,
            description: p.Description,
            tags,
            deletionProtection: p.DeletionProtection ?? false,
            metadata: { httpEndpoint: p.HttpEndpoint ?? 'enabled', httpTokens: p.HttpTokens ?? 'optional', hopLimit: p.HttpPutResponseHopLimit ?? 1 },
            ramRoleName: p.RamRoleName,
            attributes,
            resourceGroupId: p.ResourceGroupId,
            start: true,
          },
          first === null ? undefined : intToIpv4(first + i),
        ),
      );
    }
    // With outbound bandwidth, each instance gets a public IP from the pool, as on the cloud.
    if ((p.InternetMaxBandwidthOut ?? 0) > 0) for (const id of ids) await givePublicIp(ctx, id);
    return { InstanceIdSets: { InstanceIdSet: ids } };
  },
});
