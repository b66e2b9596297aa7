import { Type } from '@sinclair/typebox';
import { ResourceManagerErrors } from '../../errors/resourcemanager/resource-groups.ts';
import { deleteResourceGroup as remove } from '../../services/resource-groups.ts';
import { defineAction } from '../define-action.ts';
import { Obj } from '../schema-helpers.ts';
import { ResourceGroupDetail, resourceGroupDetail } from './views.ts';

/**
 * DIVERGENCE: the cloud answers PendingDelete and removes the group later; eniplane removes an
 * empty group at once and answers its last state, PendingDelete, so the provider's read after
 * delete finds it gone (EntityNotExists.ResourceGroup), which it treats as deleted.
 */
export const deleteResourceGroup = defineAction({
  product: 'ResourceManager',
  name: 'DeleteResourceGroup',
  summary: 'Delete an empty resource group other than the default one.',
  params: Type.Object({ ResourceGroupId: Type.String() }),
  result: Obj({ ResourceGroup: ResourceGroupDetail }),
  errors: [ResourceManagerErrors.notFound, ResourceManagerErrors.defaultGroup, ResourceManagerErrors.hasResources],
  async handler(p, ctx) {
    return { ResourceGroup: resourceGroupDetail(await remove(ctx, p.ResourceGroupId), 'PendingDelete') };
  },
});
