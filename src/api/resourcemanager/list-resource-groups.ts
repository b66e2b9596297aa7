import { Type } from '@sinclair/typebox';
import { pageWindow } from '../../domain/paging.ts';
import { listResourceGroups as list } from '../../services/resource-groups.ts';
import { defineAction } from '../define-action.ts';
import { Enum, PageParams, RepeatList } from '../params.ts';
import { N, Obj, Wrap } from '../schema-helpers.ts';
import { ResourceGroupItem, resourceGroupItem } from './views.ts';

/**
 * What the Terraform provider's alicloud_resource_manager_resource_groups data source sends
 * (Status, PageSize=50, PageNumber) and reads ($.ResourceGroups.ResourceGroup[].Id, Name,
 * DisplayName, AccountId, Status), plus the cloud's ID and name filters.
 */
export const listResourceGroups = defineAction({
  product: 'ResourceManager',
  name: 'ListResourceGroups',
  summary: "List the account's resource groups (the default one first), filtered by status, name or IDs; PageNumber/PageSize (at most 100).",
  readOnly: true,
  params: Type.Object({
    Status: Type.Optional(Enum(['Creating', 'OK', 'PendingDelete', 'Deleting', 'Deleted'] as const)),
    Name: Type.Optional(Type.String()),
    ResourceGroupId: Type.Optional(Type.String()),
    ResourceGroupIds: Type.Optional(RepeatList(Type.String(), 100)),
    ...PageParams,
  }),
  result: Obj({ TotalCount: N, PageNumber: N, PageSize: N, ResourceGroups: Wrap('ResourceGroup', ResourceGroupItem) }),
  errors: [],
  async handler(p, ctx) {
    const window = pageWindow(p.PageNumber, p.PageSize, 100);
    const ids = [...(p.ResourceGroupIds ?? []), ...(p.ResourceGroupId ? [p.ResourceGroupId] : [])];
    // Every group eniplane holds is OK: any other status lists none.
    const rows = p.Status !== undefined && p.Status !== 'OK' ? [] : await list(ctx, { ...(ids.length > 0 && { ids }), name: p.Name || undefined });
    const page = rows.slice(window.offset, window.offset + window.limit);
    return {
      TotalCount: rows.length,
      PageNumber: window.pageNumber,
      PageSize: window.pageSize,
      ResourceGroups: { ResourceGroup: page.map((r) => resourceGroupItem(r)) },
    };
  },
});
