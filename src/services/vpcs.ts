import type { ServiceContext } from './context.ts';
import { GONE, effectiveStatus, transition } from '../domain/async-state.ts';
import type { Vpc } from '../domain/models/vpc.ts';
import type { VSwitch } from '../domain/models/vswitch.ts';
import { parseIpv4Cidr, vswitchReserved, type Ipv4Net } from '../domain/cidr.ts';
import { newResourceId } from '../domain/ids.ts';
import { findZone } from '../domain/regions.ts';
import { type Tag } from '../domain/tags.ts';
import { checkVpcText } from '../domain/text-rules.ts';
import { DEFAULT_VPC_CIDR, pickVSwitchCidr, validateVSwitchCidr, validateVpcCidr } from '../domain/vpc-rules.ts';
import { VpcErrors } from '../errors/vpc/vpcs.ts';
import { IPV4_PREFIX_SIZE, usableSpan } from '../domain/ipam.ts';
import { dropFreeRanges, initFreeRanges } from '../store/repos/ipam.ts';
import { tagsOf, upsertTags } from '../store/repos/tags.ts';
import {
  countVpcsInRegion,
  deleteVpcRow,
  findVpc,
  insertVpc,
  listVpcs,
  resourceGroupsOfVpcs,
  routeTableIdsOf,
  updateVpc,
  type VpcQuery,
} from '../store/repos/vpcs.ts';
import {
  deleteVSwitchRow,
  findVSwitch,
  insertVSwitch,
  listVSwitches,
  updateVSwitch,
  vswitchIdsOfVpcs,
  vswitchesOfVpc,
  type VSwitchQuery,
} from '../store/repos/vswitches.ts';
import { countSecurityGroupsInVpc } from '../store/repos/security-groups.ts';
import { lockQuota } from '../store/repos/common.ts';
import { deleteRouteEntriesOfTable, deleteRouteEntriesOfVSwitch } from '../store/repos/route-entries.ts';
import { cloudServiceEntry, vswitchEntry } from '../domain/route-tables.ts';
import { addSystemRouteEntry } from './route-tables.ts';
import { addressesAwaitingRelease } from '../store/repos/enis.ts';
import { prefixAddressesAwaitingRelease } from '../store/repos/ipv4-prefixes.ts';
import { purgeDueDeletions } from './addresses.ts';
import { VpcResourceGroupErrors } from '../errors/resourcemanager/resource-groups.ts';
import { resourceGroupForNew } from './resource-groups.ts';

export interface VpcView extends Vpc {
  effectiveStatus: string;
  vswitchIds: string[];
  tags: Tag[];
}

export interface VSwitchView extends VSwitch {
  effectiveStatus: string;
  routeTableId: string;
  /** Its VPC's resource group. */
  resourceGroupId: string;
  tags: Tag[];
}

export async function createVpc(
  ctx: ServiceContext,
  input: { cidrBlock?: string; name?: string; description?: string; tags: Tag[]; resourceGroupId?: string },
): Promise<Vpc> {
  const cidr = validateVpcCidr(input.cidrBlock ?? DEFAULT_VPC_CIDR);
  checkVpcText(input.name, 128, VpcErrors.vpcNameMalformed);
  checkVpcText(input.description, 256, VpcErrors.vpcDescriptionMalformed);
  const resourceGroupId = await resourceGroupForNew(ctx, input.resourceGroupId, VpcResourceGroupErrors.invalid);
  // Two replicas counting 9 of 10 at once would both create: the quota lock serialises the count.
  await lockQuota(ctx.tx, 'vpcs', ctx.accountId, ctx.regionId);
  const quota = ctx.settings.quotas.vpcsPerRegion;
  if ((await countVpcsInRegion(ctx.tx, ctx.accountId, ctx.regionId, ctx.now)) >= quota) {
    throw VpcErrors.vpcQuota(quota);
  }
  const vpc: Vpc = {
    id: newResourceId('vpc', ctx.regionId, ctx.random),
    accountId: ctx.accountId,
    regionId: ctx.regionId,
    cidrBlock: cidr.text,
    name: input.name ?? '',
    description: input.description ?? '',
    ...transition('Pending', 'Available', ctx.settings.delays.vpcCreate, ctx.now),
    isDefault: false,
    vrouterId: newResourceId('vrt', ctx.regionId, ctx.random),
    routeTableId: newResourceId('vtb', ctx.regionId, ctx.random),
    resourceGroupId,
    createdAt: ctx.now,
  };
  await insertVpc(ctx.tx, vpc);
  // The system route table comes with the VPC, holding the cloud-service System entry.
  await addSystemRouteEntry(ctx, vpc.routeTableId, cloudServiceEntry());
  await upsertTags(ctx.tx, { accountId: ctx.accountId, regionId: ctx.regionId }, 'vpc', vpc.id, input.tags, ctx.now);
  return vpc;
}

export async function requireVpc(ctx: ServiceContext, id: string, lock = false): Promise<Vpc> {
  const vpc = await findVpc(ctx.tx, ctx.accountId, id, ctx.now, lock);
  if (!vpc || vpc.regionId !== ctx.regionId) throw VpcErrors.vpcNotFound();
  return vpc;
}

export async function describeVpcs(ctx: ServiceContext, q: Omit<VpcQuery, 'accountId' | 'regionId'>, window: { offset: number; limit: number }) {
  const { vpcs, total } = await listVpcs(ctx.tx, { ...q, accountId: ctx.accountId, regionId: ctx.regionId }, ctx.now, window);
  const ids = vpcs.map((v) => v.id);
  const [vswitches, tags] = await Promise.all([vswitchIdsOfVpcs(ctx.tx, ids, ctx.now), tagsOf(ctx.tx, ids)]);
  const views: VpcView[] = vpcs.map((v) => ({
    ...v,
    effectiveStatus: effectiveStatus(v, ctx.now),
    vswitchIds: vswitches.get(v.id) ?? [],
    tags: tags.get(v.id) ?? [],
  }));
  return { views, total };
}

export async function modifyVpc(ctx: ServiceContext, id: string, input: { name?: string; description?: string }): Promise<void> {
  const vpc = await requireVpc(ctx, id);
  checkVpcText(input.name, 128, VpcErrors.vpcNameMalformed);
  checkVpcText(input.description, 256, VpcErrors.vpcDescriptionMalformed);
  await updateVpc(ctx.tx, vpc.id, {
    ...(input.name !== undefined && { name: input.name }),
    ...(input.description !== undefined && { description: input.description }),
  });
}

export async function deleteVpc(ctx: ServiceContext, id: string): Promise<void> {
  const vpc = await requireVpc(ctx, id, true);
  const status = effectiveStatus(vpc, ctx.now);
  if (status !== 'Available') throw VpcErrors.incorrectVpcStatus(status);
  if ((await vswitchesOfVpc(ctx.tx, vpc.id, ctx.now)).length > 0) throw VpcErrors.vpcHasVSwitches();
  if ((await countSecurityGroupsInVpc(ctx.tx, vpc.id)) > 0) throw VpcErrors.vpcHasSecurityGroups();
  if (ctx.settings.delays.vpcDelete <= 0) {
    await deleteRouteEntriesOfTable(ctx.tx, vpc.routeTableId);
    await deleteVpcRow(ctx.tx, vpc.id);
  } else await updateVpc(ctx.tx, vpc.id, { ...transition('Deleting', GONE, ctx.settings.delays.vpcDelete, ctx.now), status: 'Deleting' });
}

function cidrsOf(vswitches: readonly VSwitch[]): Ipv4Net[] {
  return vswitches.map((v) => parseIpv4Cidr(v.cidrBlock) as Ipv4Net);
}

export async function createVSwitch(
  ctx: ServiceContext,
  input: { vpcId: string; zoneId: string; cidrBlock?: string; cidrMask?: number; name?: string; description?: string; tags: Tag[] },
): Promise<VSwitch> {
  // The VPC row is locked so two concurrent creations in one VPC cannot both pass the overlap check.
  const vpc = await requireVpc(ctx, input.vpcId, true);
  if (!findZone(ctx.regionId, input.zoneId)) throw VpcErrors.zoneNotFound(input.zoneId);
  const vpcStatus = effectiveStatus(vpc, ctx.now);
  if (vpcStatus !== 'Available') throw VpcErrors.incorrectVpcStatus(vpcStatus);
  checkVpcText(input.name, 128, VpcErrors.vswitchNameMalformed);
  checkVpcText(input.description, 256, VpcErrors.vswitchDescriptionMalformed);
  if ((input.cidrBlock === undefined) === (input.cidrMask === undefined)) throw VpcErrors.cidrAndMask();
  const siblings = await vswitchesOfVpc(ctx.tx, vpc.id, ctx.now);
  // The cloud creates one vSwitch at a time per VPC ("VSwitch Creation simultaneously is not supported").
  const pending = siblings.find((s) => effectiveStatus(s, ctx.now) !== 'Available');
  if (pending) throw VpcErrors.incorrectVSwitchStatus(effectiveStatus(pending, ctx.now));
  if (siblings.length >= ctx.settings.quotas.vswitchesPerVpc) throw VpcErrors.vswitchQuota(ctx.settings.quotas.vswitchesPerVpc);
  const vpcCidr = parseIpv4Cidr(vpc.cidrBlock) as Ipv4Net;
  const cidr =
    input.cidrBlock !== undefined
      ? validateVSwitchCidr(input.cidrBlock, vpcCidr, cidrsOf(siblings))
      : pickVSwitchCidr(input.cidrMask!, vpcCidr, cidrsOf(siblings));
  const vsw: VSwitch = {
    id: newResourceId('vsw', ctx.regionId, ctx.random),
    accountId: ctx.accountId,
    regionId: ctx.regionId,
    vpcId: vpc.id,
    zoneId: input.zoneId,
    cidrBlock: cidr.text,
    name: input.name ?? '',
    description: input.description ?? '',
    ...transition('Pending', 'Available', ctx.settings.delays.vswitchCreate, ctx.now),
    isDefault: false,
    ipCapacity: vswitchReserved(cidr).usable,
    ipUsed: 0,
    createdAt: ctx.now,
  };
  await insertVSwitch(ctx.tx, vsw);
  // The cloud adds a System entry for the vSwitch's CIDR to the VPC's system route table.
  await addSystemRouteEntry(ctx, vpc.routeTableId, vswitchEntry(vsw.id, vsw.cidrBlock));
  await initFreeRanges(ctx.tx, vsw.id, usableSpan(cidr));
  await upsertTags(ctx.tx, { accountId: ctx.accountId, regionId: ctx.regionId }, 'vswitch', vsw.id, input.tags, ctx.now);
  return vsw;
}

export async function requireVSwitch(ctx: ServiceContext, id: string, lock = false): Promise<VSwitch> {
  const vsw = await findVSwitch(ctx.tx, ctx.accountId, id, ctx.now, lock);
  if (!vsw || vsw.regionId !== ctx.regionId) throw VpcErrors.vswitchNotFound();
  return vsw;
}

export async function describeVSwitches(ctx: ServiceContext, q: Omit<VSwitchQuery, 'accountId'>, window: { offset: number; limit: number }) {
  const { vswitches, total } = await listVSwitches(ctx.tx, { ...q, accountId: ctx.accountId }, ctx.now, window);
  const tags = await tagsOf(
    ctx.tx,
    vswitches.map((v) => v.id),
  );
  const routeTables = await routeTableIdsOf(ctx.tx, [...new Set(vswitches.map((v) => v.vpcId))]);
  // Addresses of ENIs whose deletion is done but not yet purged are free at `now`.
  const releasing = await addressesAwaitingRelease(
    ctx.tx,
    vswitches.map((v) => v.id),
    ctx.now,
  );
  const releasingPrefixes = await prefixAddressesAwaitingRelease(
    ctx.tx,
    vswitches.map((v) => v.id),
    ctx.now,
    IPV4_PREFIX_SIZE,
  );
  const groups = await resourceGroupsOfVpcs(ctx.tx, [...new Set(vswitches.map((v) => v.vpcId))]);
  const views: VSwitchView[] = vswitches.map((v) => ({
    ...v,
    ipUsed: v.ipUsed - (releasing.get(v.id) ?? 0) - (releasingPrefixes.get(v.id) ?? 0),
    effectiveStatus: effectiveStatus(v, ctx.now),
    routeTableId: routeTables.get(v.vpcId) ?? '',
    resourceGroupId: groups.get(v.vpcId) ?? '',
    tags: tags.get(v.id) ?? [],
  }));
  return { views, total };
}

export async function modifyVSwitch(ctx: ServiceContext, id: string, input: { name?: string; description?: string }): Promise<void> {
  const vsw = await requireVSwitch(ctx, id);
  checkVpcText(input.name, 128, VpcErrors.vswitchNameMalformed);
  checkVpcText(input.description, 256, VpcErrors.vswitchDescriptionMalformed);
  await updateVSwitch(ctx.tx, vsw.id, {
    ...(input.name !== undefined && { name: input.name }),
    ...(input.description !== undefined && { description: input.description }),
  });
}

export async function deleteVSwitch(ctx: ServiceContext, id: string): Promise<void> {
  const vsw = await requireVSwitch(ctx, id, true);
  const status = effectiveStatus(vsw, ctx.now);
  if (status !== 'Available') throw VpcErrors.incorrectVSwitchStatus(status);
  // Every ENI (and so every instance) in the vSwitch holds at least one of its addresses; one
  // whose deletion is done gives them back first.
  await purgeDueDeletions(ctx, vsw);
  if (vsw.ipUsed > 0) throw VpcErrors.vswitchInUse();
  await dropFreeRanges(ctx.tx, vsw.id);
  await deleteRouteEntriesOfVSwitch(ctx.tx, vsw.id);
  if (ctx.settings.delays.vswitchDelete <= 0) await deleteVSwitchRow(ctx.tx, vsw.id);
  // The cloud shows a vSwitch being deleted as Pending until it disappears.
  else await updateVSwitch(ctx.tx, vsw.id, { ...transition('Pending', GONE, ctx.settings.delays.vswitchDelete, ctx.now), status: 'Pending' });
}
