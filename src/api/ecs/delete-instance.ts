import { Type } from '@sinclair/typebox';
import { EniErrors } from '../../errors/ecs/enis.ts';
import { InstanceErrors } from '../../errors/ecs/instances.ts';
import { deleteInstance } from '../../services/instances.ts';
import { defineAction } from '../define-action.ts';
import { DryRun } from '../params.ts';
import { Obj } from '../schema-helpers.ts';

// Takes no RegionId in the SDK model: the instance ID names the region (the Go SDK's RegionId is accepted anyway).
export const deleteInstanceAction = defineAction({
  product: 'Ecs',
  name: 'DeleteInstance',
  summary: 'Release a Stopped instance (or a Running one with Force): ENIs with DeleteOnRelease go with it, the others stay Available; EIPs stay allocated.',
  params: Type.Object({ InstanceId: Type.String(), Force: Type.Optional(Type.Boolean()), DryRun }),
  result: Obj({}),
  errors: [EniErrors.instanceNotFound, InstanceErrors.incorrectStatus, InstanceErrors.deletionProtection],
  async handler(p, ctx) {
    await deleteInstance(ctx, p.InstanceId, p.Force ?? false);
    return {};
  },
});
