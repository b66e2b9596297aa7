import { Type } from '@sinclair/typebox';
import { validateTags } from '../../domain/tags.ts';
import { EniErrors } from '../../errors/ecs/enis.ts';
import { EipErrors } from '../../errors/vpc/eips.ts';
import { EcsResourceGroupErrors } from '../../errors/resourcemanager/resource-groups.ts';
import { InstanceErrors } from '../../errors/ecs/instances.ts';
import { RamErrors } from '../../errors/ecs/ram-roles.ts';
import { runInstance } from '../../services/instances.ts';
import { defineAction } from '../define-action.ts';
import { ClientToken, DryRun, RegionId } from '../params.ts';
import { Obj, S } from '../schema-helpers.ts';
import { checkedAttributes, commonInstanceParams, instanceInputErrors } from './instance-params.ts';

export const createInstance = defineAction({
  product: 'Ecs',
  name: 'CreateInstance',
  summary: 'Create one instance (legacy): Pending, then Stopped; start it with StartInstance.',
  idempotent: true,
  params: Type.Object({ RegionId, ...commonInstanceParams, SecurityGroupId: Type.String(), ClientToken, DryRun }),
  result: Obj({ InstanceId: S }),
  errors: [
    InstanceErrors.typeNotSupported,
    InstanceErrors.imageNotFound,
    InstanceErrors.nameMalformed,
    InstanceErrors.hostNameMalformed,
    EniErrors.descriptionMalformed,
    InstanceErrors.mismatch,
    InstanceErrors.vswitchRequired,
    ...instanceInputErrors,
    EipErrors.reserveIpFail,
    InstanceErrors.privateIpNotInVSwitch,
    InstanceErrors.privateIpDuplicated,
    InstanceErrors.privateIpNotEnough,
    EniErrors.ipMalformed,
    RamErrors.roleNotFound,
    EniErrors.vswitchNotFound,
    EniErrors.securityGroupNotFound,
    EniErrors.securityGroupIpQuota,
    EcsResourceGroupErrors.notFound,
  ],
  async handler(p, ctx) {
    // CreateInstance gives no public IP even with bandwidth: AllocatePublicIpAddress does (as on the cloud).
    const attributes = checkedAttributes(p);
    const id = await runInstance(
      ctx,
      {
        instanceType: p.InstanceType,
        imageId: p.ImageId,
        zoneId: p.ZoneId,
        vswitchId: p.VSwitchId,
        securityGroupIds: [p.SecurityGroupId],
        networkInterfaces: [],
        name: p.InstanceName,
        hostName: p.HostName,
        description: p.Description,
        tags: validateTags(p.Tag),
        deletionProtection: p.DeletionProtection ?? false,
        metadata: { httpEndpoint: p.HttpEndpoint ?? 'enabled', httpTokens: p.HttpTokens ?? 'optional', hopLimit: p.HttpPutResponseHopLimit ?? 1 },
        ramRoleName: p.RamRoleName,
        attributes,
        resourceGroupId: p.ResourceGroupId,
        start: false,
      },
      p.PrivateIpAddress,
    );
    return { InstanceId: id };
  },
});
