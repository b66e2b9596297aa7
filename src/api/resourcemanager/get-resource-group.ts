import { Type } from '@sinclair/typebox';
import { ResourceManagerErrors } from '../../errors/resourcemanager/resource-groups.ts';
import { requireResourceGroup } from '../../services/resource-groups.ts';
import { defineAction } from '../define-action.ts';
import { Obj } from '../schema-helpers.ts';
import { ResourceGroupDetail, resourceGroupDetail } from './views.ts';

export const getResourceGroup = defineAction({
  product: 'ResourceManager',
  name: 'GetResourceGroup',
  summary: 'One resource group of the account, with its status in every region.',
  readOnly: true,
  params: Type.Object({ ResourceGroupId: Type.String() }),
  result: Obj({ ResourceGroup: ResourceGroupDetail }),
  errors: [ResourceManagerErrors.notFound],
  async handler(p, ctx) {
    return { ResourceGroup: resourceGroupDetail(await requireResourceGroup(ctx, p.ResourceGroupId)) };
  },
});
