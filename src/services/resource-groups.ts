import type { ServiceContext } from './context.ts';
import { RESOURCE_GROUP_ID_PATTERN, RESOURCE_GROUP_NAME_PATTERN, defaultResourceGroupId, newResourceGroupId } from '../domain/resource-groups.ts';
import type { ApiError } from '../errors/api-error.ts';
import { ResourceManagerErrors } from '../errors/resourcemanager/resource-groups.ts';
import {
  deleteResourceGroup as deleteRow,
  findResourceGroup,
  findResourceGroupByName,
  insertResourceGroup,
  listResourceGroups as listRows,
  resourceGroupInUse,
  type ResourceGroupFilters,
} from '../store/repos/resource-groups.ts';
import type { ResourceGroup } from '../domain/models/resource-group.ts';

/**
 * The group a new resource joins: the one named, which must be a group of the caller's account
 * (anything else, malformed or another account's, answers the product's own code: `notFound`),
 * or the account's default group when none is named (an empty string names none, as the SDKs
 * send it).
 */
export async function resourceGroupForNew(ctx: ServiceContext, requested: string | undefined, notFound: () => ApiError): Promise<string> {
  if (requested === undefined || requested === '') return defaultResourceGroupId(ctx.accountId);
  if (!RESOURCE_GROUP_ID_PATTERN.test(requested) || !(await findResourceGroup(ctx.tx, ctx.accountId, requested))) throw notFound();
  return requested;
}

/**
 * The ResourceGroupId filter of a Describe call. Malformed or unknown IDs answer the product's
 * code. `defaultNotFilterable`: the ECS Describe calls' SDK notes say "Filtering by the default
 * resource group is not supported": naming the default group there filters nothing, so every
 * resource is listed (undefined); the VPC calls filter by it like any group.
 */
export async function resourceGroupFilter(
  ctx: ServiceContext,
  requested: string | undefined,
  notFound: () => ApiError,
  defaultNotFilterable: boolean,
): Promise<string | undefined> {
  if (requested === undefined || requested === '') return undefined;
  if (!RESOURCE_GROUP_ID_PATTERN.test(requested) || !(await findResourceGroup(ctx.tx, ctx.accountId, requested))) throw notFound();
  if (defaultNotFilterable && requested === defaultResourceGroupId(ctx.accountId)) return undefined;
  return requested;
}

export async function listResourceGroups(ctx: ServiceContext, filters: ResourceGroupFilters): Promise<ResourceGroup[]> {
  return listRows(ctx.tx, ctx.accountId, filters);
}

export async function requireResourceGroup(ctx: ServiceContext, id: string): Promise<ResourceGroup> {
  const group = RESOURCE_GROUP_ID_PATTERN.test(id) ? await findResourceGroup(ctx.tx, ctx.accountId, id) : undefined;
  if (!group) throw ResourceManagerErrors.notFound();
  return group;
}

export async function createResourceGroup(ctx: ServiceContext, input: { name: string; displayName: string }): Promise<ResourceGroup> {
  if (!RESOURCE_GROUP_NAME_PATTERN.test(input.name)) throw ResourceManagerErrors.nameMalformed();
  if (input.displayName.length < 1 || input.displayName.length > 50) throw ResourceManagerErrors.displayNameMalformed();
  if (await findResourceGroupByName(ctx.tx, ctx.accountId, input.name)) throw ResourceManagerErrors.nameExists();
  const group: ResourceGroup = {
    id: newResourceGroupId(ctx.random),
    accountId: ctx.accountId,
    name: input.name,
    displayName: input.displayName,
    isDefault: false,
    createdAt: ctx.now,
  };
  await insertResourceGroup(ctx.tx, group);
  return group;
}

/** Deletes an empty group at once; the default group and groups holding resources stay. */
export async function deleteResourceGroup(ctx: ServiceContext, id: string): Promise<ResourceGroup> {
  const group = await requireResourceGroup(ctx, id);
  if (group.isDefault) throw ResourceManagerErrors.defaultGroup();
  if (await resourceGroupInUse(ctx.tx, group.id)) throw ResourceManagerErrors.hasResources();
  await deleteRow(ctx.tx, group.id);
  return group;
}
