import { Type } from '@sinclair/typebox';
import { ResourceManagerErrors } from '../../errors/resourcemanager/resource-groups.ts';
import { createResourceGroup as create } from '../../services/resource-groups.ts';
import { defineAction } from '../define-action.ts';
import { Obj } from '../schema-helpers.ts';
import { ResourceGroupDetail, resourceGroupDetail } from './views.ts';

export const createResourceGroup = defineAction({
  product: 'ResourceManager',
  name: 'CreateResourceGroup',
  summary: 'Create a resource group (Name unique in the account, DisplayName); it is OK at once.',
  params: Type.Object({ Name: Type.String(), DisplayName: Type.String() }),
  result: Obj({ ResourceGroup: ResourceGroupDetail }),
  errors: [ResourceManagerErrors.nameMalformed, ResourceManagerErrors.displayNameMalformed, ResourceManagerErrors.nameExists],
  async handler(p, ctx) {
    return { ResourceGroup: resourceGroupDetail(await create(ctx, { name: p.Name, displayName: p.DisplayName })) };
  },
});
