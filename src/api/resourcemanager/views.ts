import { Type } from '@sinclair/typebox';
import { regions } from '../../domain/regions.ts';
import { isoSeconds } from '../../lib/clock.ts';
import type { ResourceGroupRow } from '../../store/repos/resource-groups.ts';
import { Obj, S, Wrap } from '../schema-helpers.ts';

/**
 * A resource group as ResourceManager (2020-03-31) answers it: ListResourceGroups items, and the
 * ResourceGroup object of GetResourceGroup / CreateResourceGroup / DeleteResourceGroup, which
 * add RegionStatuses. eniplane's groups are ready at once and in every region: Status OK.
 */
export const ResourceGroupItem = Obj({ Id: S, Name: S, DisplayName: S, AccountId: S, Status: S, CreateDate: S });

export const ResourceGroupDetail = Obj({
  Id: S,
  Name: S,
  DisplayName: S,
  AccountId: S,
  Status: S,
  CreateDate: S,
  RegionStatuses: Wrap('RegionStatus', Type.Object({ RegionId: S, Status: S })),
});

export function resourceGroupItem(row: ResourceGroupRow, status = 'OK') {
  return { Id: row.id, Name: row.name, DisplayName: row.display_name, AccountId: row.account_id, Status: status, CreateDate: isoSeconds(row.created_at) };
}

export function resourceGroupDetail(row: ResourceGroupRow, status = 'OK') {
  return { ...resourceGroupItem(row, status), RegionStatuses: { RegionStatus: regions.map((r) => ({ RegionId: r.regionId, Status: status })) } };
}
