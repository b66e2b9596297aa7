import { Type } from '@sinclair/typebox';
import { instanceTypes } from '../../domain/instance-types.ts';
import { defineAction } from '../define-action.ts';
import { RegionId } from '../params.ts';
import { Obj, S, Wrap } from '../schema-helpers.ts';

export const describeInstanceTypeFamilies = defineAction({
  product: 'Ecs',
  name: 'DescribeInstanceTypeFamilies',
  summary: "List the instance families of eniplane's catalog with their generation (ecs-1 ... ecs-7), optionally of one Generation.",
  readOnly: true,
  pure: true,
  params: Type.Object({ RegionId, Generation: Type.Optional(Type.String()) }),
  result: Obj({ InstanceTypeFamilies: Wrap('InstanceTypeFamily', Obj({ InstanceTypeFamilyId: S, Generation: S })) }),
  errors: [],
  async handler(p) {
    const families = new Map<string, string>();
    for (const t of instanceTypes) if (!families.has(t.family)) families.set(t.family, t.generation);
    // An unknown generation matches no family (a filter, as Generation is documented).
    const rows = [...families].filter(([, generation]) => p.Generation === undefined || generation === p.Generation);
    return { InstanceTypeFamilies: { InstanceTypeFamily: rows.map(([id, generation]) => ({ InstanceTypeFamilyId: id, Generation: generation })) } };
  },
});
