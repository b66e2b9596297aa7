import { Type } from '@sinclair/typebox';
import { EipErrors } from '../../errors/vpc/eips.ts';
import { EniErrors } from '../../errors/ecs/enis.ts';
import { InstanceErrors } from '../../errors/ecs/instances.ts';
import { allocatePublicIp } from '../../services/instance-public-ip.ts';
import { defineAction } from '../define-action.ts';
import { Obj, S } from '../schema-helpers.ts';

// IpAddress (a chosen address) and VlanId (classic network) are not declared: strict mode refuses them.
export const allocatePublicIpAddress = defineAction({
  product: 'Ecs',
  name: 'AllocatePublicIpAddress',
  summary:
    'Give a Running or Stopped instance created with InternetMaxBandwidthOut > 0 (CreateInstance) a public IP from the pool; it is released with the instance.',
  params: Type.Object({ InstanceId: Type.String() }),
  result: Obj({ IpAddress: S }),
  errors: [
    EniErrors.instanceNotFound,
    InstanceErrors.incorrectStatus,
    InstanceErrors.publicIpAllocated,
    InstanceErrors.publicIpNeedsBandwidth,
    InstanceErrors.publicIpWithEip,
    EipErrors.reserveIpFail,
  ],
  async handler(p, ctx) {
    return { IpAddress: await allocatePublicIp(ctx, p.InstanceId) };
  },
});
