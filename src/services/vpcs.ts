import type { ServiceContext } from './context.ts';
import { GONE, effectiveStatus, transitionColumns } from '../domain/async-state.ts';
import { parseIpv4Cidr, vswitchReserved, type Ipv4Net } from '../domain/cidr.ts';
import { newResourceId } from '../domain/ids.ts';
import { findZone } from '../domain/regions.ts';
import { type Tag } from '../domain/tags.ts';
import { checkVpcText } from '../domain/text-rules.ts';
import { DEFAULT_VPC_CIDR, pickVSwitchCidr, validateVSwitchCidr, validateVpcCidr } from '../domain/vpc-rules.ts';
import { VpcErrors } from '../errors/vpc/vpcs.ts';
import { usableSpan } from '../domain/ipam.ts';
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
  type VpcRow,
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
  type VSwitchRow,
} from '../store/repos/vswitches.ts';
import { countSecurityGroupsInVpc } from '../store/repos/security-groups.ts';
import { lockQuota } from '../store/repos/common.ts';
import { deleteRouteEntriesOfTable, deleteRouteEntriesOfVSwitch } from '../store/repos/route-entries.ts';
import { cloudServiceEntry, vswitchEntry } from '../domain/route-tables.ts';
import { addSystemRouteEntry } from './route-tables.ts';
import { addressesAwaitingRelease } from '../store/repos/enis.ts';
import { purgeDueDeletions } from './addresses.ts';
import { VpcResourceGroupErrors } from '../errors/resourcemanager/resource-groups.ts';
import { resourceGroupForNew } from './resource-groups.ts';

export interface VpcView extends VpcRow {
  effectiveStatus: string;
  vswitchIds: string[];
  tags: Tag[];
}

export interface VSwitchView extends VSwitchRow {
  effectiveStatus: string;
  routeTableId: string;
  /** Its VPC's resource group. */
  resourceGroupId: string;
  tags: Tag[];
}

export async function createVpc(
  ctx: ServiceContext,
  input: { cidrBlock?: string; name?: string; description?: string; tags: Tag[]; resourceGroupId?: string },
): Promise<VpcRow> {
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
  const row: VpcRow = {
    id: newResourceId('vpc', ctx.regionId, ctx.random),
    account_id: ctx.accountId,
    region_id: ctx.regionId,
    cidr_block: cidr.text,
    name: input.name ?? '',
    description: input.description ?? '',
    ...transitionColumns('Pending', 'Available', ctx.settings.delays.vpcCreate, ctx.now),
    is_default: 0,
    vrouter_id: newResourceId('vrt', ctx.regionId, ctx.random),
    route_table_id: newResourceId('vtb', ctx.regionId, ctx.random),
    resource_group_id: resourceGroupId,
    created_at: ctx.now,
  };
  await insertVpc(ctx.tx, row);
  // The system route table comes with the VPC, holding the cloud-service System entry.
  await addSystemRouteEntry(ctx, row.route_table_id, cloudServiceEntry());
  await upsertTags(ctx.tx, { accountId: ctx.accountId, regionId: ctx.regionId }, 'vpc', row.id, input.tags, ctx.now);
  return row;
}

export async function requireVpc(ctx: ServiceContext, id: string, lock = false): Promise<VpcRow> {
  const vpc = await findVpc(ctx.tx, ctx.accountId, id, ctx.now, lock);
  if (!vpc || vpc.region_id !== ctx.regionId) throw VpcErrors.vpcNotFound();
  return vpc;
}

export async function describeVpcs(ctx: ServiceContext, q: Omit<VpcQuery, 'accountId' | 'regionId'>, window: { offset: number; limit: number }) {
  const { rows, total } = await listVpcs(ctx.tx, { ...q, accountId: ctx.accountId, regionId: ctx.regionId }, ctx.now, window);
  const ids = rows.map((r) => r.id);
  const [vswitches, tags] = await Promise.all([vswitchIdsOfVpcs(ctx.tx, ids, ctx.now), tagsOf(ctx.tx, ids)]);
  const views: VpcView[] = rows.map((r) => ({
    ...r,
    effectiveStatus: effectiveStatus(r, ctx.now),
    vswitchIds: vswitches.get(r.id) ?? [],
    tags: tags.get(r.id) ?? [],
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
    await deleteRouteEntriesOfTable(ctx.tx, vpc.route_table_id);
    await deleteVpcRow(ctx.tx, vpc.id);
  } else await updateVpc(ctx.tx, vpc.id, { ...transitionColumns('Deleting', GONE, ctx.settings.delays.vpcDelete, ctx.now), status: 'Deleting' });
}

function cidrsOf(rows: readonly VSwitchRow[]): Ipv4Net[] {
  return rows.map((r) => parseIpv4Cidr(r.cidr_block) as Ipv4Net);
}

export async function createVSwitch(
  ctx: ServiceContext,
  input: { vpcId: string; zoneId: string; cidrBlock?: string; cidrMask?: number; name?: string; description?: string; tags: Tag[] },
): Promise<VSwitchRow> {
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
  const vpcCidr = parseIpv4Cidr(vpc.cidr_block) as Ipv4Net;
  const cidr =
    input.cidrBlock !== undefined
      ? validateVSwitchCidr(input.cidrBlock, vpcCidr, cidrsOf(siblings))
      : pickVSwitchCidr(input.cidrMask!, vpcCidr, cidrsOf(siblings));
  const row: VSwitchRow = {
    id: newResourceId('vsw', ctx.regionId, ctx.random),
    account_id: ctx.accountId,
    region_id: ctx.regionId,
    vpc_id: vpc.id,
    zone_id: input.zoneId,
    cidr_block: cidr.text,
    name: input.name ?? '',
    description: input.description ?? '',
    ...transitionColumns('Pending', 'Available', ctx.settings.delays.vswitchCreate, ctx.now),
    is_default: 0,
    ip_capacity: vswitchReserved(cidr).usable,
    ip_used: 0,
    created_at: ctx.now,
  };
  await insertVSwitch(ctx.tx, row);
  // The cloud adds a System entry for the vSwitch's CIDR to the VPC's system route table.
  await addSystemRouteEntry(ctx, vpc.route_table_id, vswitchEntry(row.id, row.cidr_block));
  await initFreeRanges(ctx.tx, row.id, usableSpan(cidr));
  await upsertTags(ctx.tx, { accountId: ctx.accountId, regionId: ctx.regionId }, 'vswitch', row.id, input.tags, ctx.now);
  return row;
}

export async function requireVSwitch(ctx: ServiceContext, id: string, lock = false): Promise<VSwitchRow> {
  const vsw = await findVSwitch(ctx.tx, ctx.accountId, id, ctx.now, lock);
  if (!vsw || vsw.region_id !== ctx.regionId) throw VpcErrors.vswitchNotFound();
  return vsw;
}

export async function describeVSwitches(ctx: ServiceContext, q: Omit<VSwitchQuery, 'accountId'>, window: { offset: number; limit: number }) {
  const { rows, total } = await listVSwitches(ctx.tx, { ...q, accountId: ctx.accountId }, ctx.now, window);
  const tags = await tagsOf(
    ctx.tx,
    rows.map((r) => r.id),
  );
  const routeTables = await routeTableIdsOf(ctx.tx, [...new Set(rows.map((r) => r.vpc_id))]);
  // Addresses of ENIs whose deletion is done but not yet purged are free at `now`.
  const releasing = await addressesAwaitingRelease(
    ctx.tx,
    rows.map((r) => r.id),
    ctx.now,
  );
  const groups = await resourceGroupsOfVpcs(ctx.tx, [...new Set(rows.map((r) => r.vpc_id))]);
  const views: VSwitchView[] = rows.map((r) => ({
    ...r,
    ip_used: r.ip_used - (releasing.get(r.id) ?? 0),
    effectiveStatus: effectiveStatus(r, ctx.now),
    routeTableId: routeTables.get(r.vpc_id) ?? '',
    resourceGroupId: groups.get(r.vpc_id) ?? '',
    tags: tags.get(r.id) ?? [],
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
  if (vsw.ip_used > 0) throw VpcErrors.vswitchInUse();
  await dropFreeRanges(ctx.tx, vsw.id);
  await deleteRouteEntriesOfVSwitch(ctx.tx, vsw.id);
  if (ctx.settings.delays.vswitchDelete <= 0) await deleteVSwitchRow(ctx.tx, vsw.id);
  // The cloud shows a vSwitch being deleted as Pending until it disappears.
  else await updateVSwitch(ctx.tx, vsw.id, { ...transitionColumns('Pending', GONE, ctx.settings.delays.vswitchDelete, ctx.now), status: 'Pending' });
}
