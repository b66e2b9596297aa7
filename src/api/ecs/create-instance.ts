import { Type } from '@sinclair/typebox';
import { validateTags } from '../../domain/tags.ts';
import { EniErrors } from '../../errors/eni.ts';
import { EcsResourceGroupErrors } from '../../errors/resource-groups.ts';
import { InstanceErrors } from '../../errors/instance.ts';
import { runInstance } from '../../services/instances.ts';
import { defineAction } from '../define-action.ts';
import { ClientToken, DryRun, RegionId } from '../params.ts';
import { Obj, S } from '../schema-helpers.ts';
import { commonInstanceParams, storedAttributes } from './instance-params.ts';

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
    InstanceErrors.publicIpNotModelled,
    InstanceErrors.privateIpNotInVSwitch,
    InstanceErrors.privateIpDuplicated,
    InstanceErrors.privateIpNotEnough,
    EniErrors.ipMalformed,
    EniErrors.vswitchNotFound,
    EniErrors.securityGroupNotFound,
    EniErrors.securityGroupIpQuota,
    EcsResourceGroupErrors.notFound,
  ],
  async handler(p, ctx) {
    if ((p.InternetMaxBandwidthOut ?? 0) > 0) throw InstanceErrors.publicIpNotModelled();
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
        attributes: storedAttributes(p),
        resourceGroupId: p.ResourceGroupId,
        start: false,
      },
      p.PrivateIpAddress,
    );
    return { InstanceId: id };
  },
});
