import { Type } from '@sinclair/typebox';
import { EniErrors } from '../../errors/ecs/enis.ts';
import { InstanceErrors } from '../../errors/ecs/instances.ts';
import { startInstance } from '../../services/instances.ts';
import { defineAction } from '../define-action.ts';
import { DryRun } from '../params.ts';
import { Obj } from '../schema-helpers.ts';

// Takes no RegionId in the SDK model: the instance ID names the region (the Go SDK's RegionId is accepted anyway).
export const startInstanceAction = defineAction({
  product: 'Ecs',
  name: 'StartInstance',
  summary: 'Start a Stopped instance: Starting, then Running.',
  params: Type.Object({ InstanceId: Type.String(), DryRun }),
  result: Obj({}),
  errors: [EniErrors.instanceNotFound, InstanceErrors.incorrectStatus],
  async handler(p, ctx) {
    await startInstance(ctx, p.InstanceId);
    return {};
  },
});
