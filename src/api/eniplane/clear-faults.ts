import { Type } from '@sinclair/typebox';
import { clearFaults as clear } from '../../services/faults.ts';
import { defineAction } from '../define-action.ts';
import { N, Obj } from '../schema-helpers.ts';

/** eniplane's own: removes every fault rule of the caller. */
export const clearFaults = defineAction({
  product: 'Eniplane',
  name: 'ClearFaults',
  summary: "Remove every fault rule of the caller's account.",
  params: Type.Object({}),
  result: Obj({ RemovedCount: N }),
  errors: [],
  async handler(_p, ctx) {
    return { RemovedCount: await clear(ctx) };
  },
});
