import { Type } from '@sinclair/typebox';
import { listFaults as list } from '../../services/faults.ts';
import { defineAction } from '../define-action.ts';
import { N, Obj, Wrap } from '../schema-helpers.ts';
import { FaultItem, faultItem } from './views.ts';

/** eniplane's own: the caller's fault rules, in the order they are tried, with their counters. */
export const listFaults = defineAction({
  product: 'Eniplane',
  name: 'ListFaults',
  summary: "List the caller's fault rules in the order they are tried, with how many calls each matched and answered.",
  readOnly: true,
  params: Type.Object({}),
  result: Obj({ TotalCount: N, Faults: Wrap('Fault', FaultItem) }),
  errors: [],
  async handler(_p, ctx) {
    const rules = await list(ctx);
    return { TotalCount: rules.length, Faults: { Fault: rules.map(faultItem) } };
  },
});
