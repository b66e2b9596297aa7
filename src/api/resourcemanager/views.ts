import { Type } from '@sinclair/typebox';
import { regions } from '../../domain/regions.ts';
import { isoSeconds } from '../../lib/clock.ts';
import type { ResourceGroup } from '../../domain/models/resource-group.ts';
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

export function resourceGroupItem(group: ResourceGroup, status = 'OK') {
  return {
    Id: group.id,
    Name: group.name,
    DisplayName: group.displayName,
    AccountId: group.accountId,
    Status: status,
    CreateDate: isoSeconds(group.createdAt),
  };
}

export function resourceGroupDetail(group: ResourceGroup, status = 'OK') {
  return { ...resourceGroupItem(group, status), RegionStatuses: { RegionStatus: regions.map((r) => ({ RegionId: r.regionId, Status: status })) } };
}
