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
    "Attach an Available secondary or trunk ENI to a Running or Stopped instance (Stopped for types without hot-plug) in its VPC and zone (vSwitch with --attach-locality vswitch), within the type's ENI quotas, trunk support, queues and eRDMA support; with TrunkNetworkInstanceId, a secondary ENI to the instance's InUse trunk ENI as its member (EniTotalQuantity): Attaching, then InUse.",
  params: Type.Object({
    RegionId,
    InstanceId: Type.String(),
    NetworkInterfaceId: Type.String(),
    // The trunk ENI a member joins; empty is none (Terway's controller sets it to "" for a plain attach).
    TrunkNetworkInstanceId: Type.Optional(Type.String()),
  }),
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
    EniErrors.eniTotalPerInstance,
    EniErrors.ipv4CountExceeded,
    EniErrors.queueNumberExceeded,
    EniErrors.trafficModeNotSupported,
  ],
  async handler(p, ctx) {
    await attachEni(ctx, p.NetworkInterfaceId, p.InstanceId, p.TrunkNetworkInstanceId || undefined);
    return {};
  },
});
