import { Type } from '@sinclair/typebox';
import { EniErrors } from '../../errors/ecs/enis.ts';
import { describeInstance } from '../../services/instances.ts';
import { defineAction } from '../define-action.ts';
import { InstanceAttributeResult, instanceAttributeItem } from './instance-views.ts';

// Takes no RegionId in the SDK model: the instance ID names the region (a RegionId is accepted anyway).
export const describeInstanceAttribute = defineAction({
  product: 'Ecs',
  name: 'DescribeInstanceAttribute',
  summary: 'One instance: type, status, network (VPC, vSwitch, primary address, security groups), EIP and host name.',
  readOnly: true,
  params: Type.Object({ InstanceId: Type.String() }),
  result: InstanceAttributeResult,
  errors: [EniErrors.instanceNotFound],
  async handler(p, ctx) {
    return instanceAttributeItem(await describeInstance(ctx, p.InstanceId));
  },
});
