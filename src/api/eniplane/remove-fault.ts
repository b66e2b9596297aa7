import { Type } from '@sinclair/typebox';
import { FaultErrors } from '../../errors/eniplane/faults.ts';
import { removeFault as remove } from '../../services/faults.ts';
import { defineAction } from '../define-action.ts';
import { Obj } from '../schema-helpers.ts';

/** eniplane's own: removes one fault rule of the caller. */
export const removeFault = defineAction({
  product: 'Eniplane',
  name: 'RemoveFault',
  summary: "Remove one of the caller's fault rules.",
  params: Type.Object({ FaultId: Type.String({ maxLength: 64 }) }),
  result: Obj({}),
  errors: [FaultErrors.notFound],
  async handler(p, ctx) {
    await remove(ctx, p.FaultId);
    return {};
  },
});
