import { createResourceGroup } from './create-resource-group.ts';
import { deleteResourceGroup } from './delete-resource-group.ts';
import { getResourceGroup } from './get-resource-group.ts';
import { listResourceGroups } from './list-resource-groups.ts';

/** Every ResourceManager action (Version 2020-03-31) eniplane implements: resource groups only. */
export const resourceManagerActions = [listResourceGroups, getResourceGroup, createResourceGroup, deleteResourceGroup];
