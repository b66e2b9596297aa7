import { Type } from '@sinclair/typebox';
import { EniErrors } from '../../errors/ecs/enis.ts';
import { attachEni } from '../../services/enis.ts';
import { defineAction } from '../define-action.ts';
import { RegionId } from '../params.ts';
import { Obj } from '../schema-helpers.ts';

export const attachNetworkInterface = defineAction({
  product: 'Ecs',
  name: 'AttachNetworkInterface',
  summary:
    "Attach an Available secondary ENI to a Running or Stopped instance (Stopped for types without hot-plug) in its VPC and zone (vSwitch with --attach-locality vswitch), within the type's ENI quota, queues and eRDMA support: Attaching, then InUse.",
  params: Type.Object({ RegionId, InstanceId: Type.String(), NetworkInterfaceId: Type.String() }),
  result: Obj({}),
  errors: [
    EniErrors.eniNotFound,
    EniErrors.ecsNotFound,
    EniErrors.invalidEniState,
    EniErrors.invalidEcsState,
    EniErrors.eniTypeNotAllowed,
    EniErrors.vpcMismatch,
    EniErrors.zoneMismatch,
    EniErrors.vswitchMismatch,
    EniErrors.eniPerInstance,
    EniErrors.ipv4CountExceeded,
    EniErrors.queueNumberExceeded,
    EniErrors.trafficModeNotSupported,
  ],
  async handler(p, ctx) {
    await attachEni(ctx, p.NetworkInterfaceId, p.InstanceId);
    return {};
  },
});
