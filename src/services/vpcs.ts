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
import { formatIpv6Cidr, parseIpv6Cidr, parseIpv6Pool, randomVpcIpv6Block, vswitchIpv6Block, type Ipv6Net } from '../domain/ipv6.ts';
import { vswitchHasIpv6InUse } from '../store/repos/ipv6.ts';
import { dropFreeBlocks, initFreeBlocks } from '../store/repos/ipv6-blocks.ts';
import { USABLE_BLOCKS } from './ipv6-addresses.ts';
import { vpcIpv6BlockTaken } from '../store/repos/vpcs.ts';
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
  input: { cidrBlock?: string; name?: string; description?: string; tags: Tag[]; resourceGroupId?: string; enableIpv6?: boolean; ipv6Isp?: string },
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
    ipv6CidrBlock: '',
    ipv6Isp: '',
  };
  if (input.ipv6Isp !== undefined) checkIpv6Isp(input.ipv6Isp);
  if (input.enableIpv6) Object.assign(vpc, await newVpcIpv6Block(ctx, input.ipv6Isp));
  await insertVpc(ctx.tx, vpc);
  // The system route table comes with the VPC, holding the cloud-service System entry.
  await addSystemRouteEntry(ctx, vpc.routeTableId, cloudServiceEntry());
  await upsertTags(ctx.tx, { accountId: ctx.accountId, regionId: ctx.regionId }, 'vpc', vpc.id, input.tags, ctx.now);
  return vpc;
}

const IPV6_ISPS = ['BGP', 'ChinaMobile', 'ChinaUnicom', 'ChinaTelecom'];

function checkIpv6Isp(isp: string): void {
  if (!IPV6_ISPS.includes(isp)) throw VpcErrors.ipv6IspInvalid(isp);
}

/**
 * A /56 of the server's pool no VPC holds, drawn at random. The vpcs_ipv6_block index is what
 * keeps two VPCs apart (a racing insert of the same block fails and the transaction is retried);
 * the look-up only spares that retry.
 */
async function newVpcIpv6Block(ctx: ServiceContext, isp = 'BGP'): Promise<{ ipv6CidrBlock: string; ipv6Isp: string }> {
  const pool = parseIpv6Pool(ctx.settings.ipv6Pool);
  for (let attempt = 0; attempt < 64; attempt++) {
    const block = formatIpv6Cidr(randomVpcIpv6Block(pool, ctx.random));
    if (!(await vpcIpv6BlockTaken(ctx.tx, block))) return { ipv6CidrBlock: block, ipv6Isp: isp };
  }
  throw VpcErrors.ipv6PoolFull(ctx.settings.ipv6Pool);
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

export async function modifyVpc(
  ctx: ServiceContext,
  id: string,
  input: { name?: string; description?: string; enableIpv6?: boolean; ipv6Isp?: string },
): Promise<void> {
  // Locked: enabling or disabling IPv6 must not race a vSwitch creation that reads the VPC's block.
  const vpc = await requireVpc(ctx, id, input.enableIpv6 !== undefined);
  checkVpcText(input.name, 128, VpcErrors.vpcNameMalformed);
  checkVpcText(input.description, 256, VpcErrors.vpcDescriptionMalformed);
  if (input.ipv6Isp !== undefined) checkIpv6Isp(input.ipv6Isp);
  let ipv6: { ipv6CidrBlock: string; ipv6Isp: string } | undefined;
  // Enabling an enabled VPC changes nothing (its block stays); disabling needs every vSwitch's IPv6 off first.
  if (input.enableIpv6 === true && vpc.ipv6CidrBlock === '') ipv6 = await newVpcIpv6Block(ctx, input.ipv6Isp);
  if (input.enableIpv6 === false && vpc.ipv6CidrBlock !== '') {
    if ((await vswitchesOfVpc(ctx.tx, vpc.id, ctx.now)).some((v) => v.ipv6CidrBlock !== '')) throw VpcErrors.ipv6InUse(vpc.id);
    ipv6 = { ipv6CidrBlock: '', ipv6Isp: '' };
  }
  await updateVpc(ctx.tx, vpc.id, {
    ...(input.name !== undefined && { name: input.name }),
    ...(input.description !== undefined && { description: input.description }),
    ...ipv6,
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
  input: {
    vpcId: string;
    zoneId: string;
    cidrBlock?: string;
    cidrMask?: number;
    name?: string;
    description?: string;
    tags: Tag[];
    /** The last eight bits of the vSwitch's /64 in the VPC's /56 (CreateVSwitch Ipv6CidrBlock). */
    ipv6Index?: number;
    ipv6Mask?: number;
  },
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
  const ipv6CidrBlock = input.ipv6Index === undefined ? '' : vswitchIpv6BlockFor(vpc, input.ipv6Index, input.ipv6Mask, siblings);
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
    ipv6CidrBlock,
  };
  await insertVSwitch(ctx.tx, vsw);
  // The cloud adds a System entry for the vSwitch's CIDR to the VPC's system route table.
  await addSystemRouteEntry(ctx, vpc.routeTableId, vswitchEntry(vsw.id, vsw.cidrBlock));
  await initFreeRanges(ctx.tx, vsw.id, usableSpan(cidr));
  if (vsw.ipv6CidrBlock) await initFreeBlocks(ctx.tx, vsw.id, USABLE_BLOCKS);
  await upsertTags(ctx.tx, { accountId: ctx.accountId, regionId: ctx.regionId }, 'vswitch', vsw.id, input.tags, ctx.now);
  return vsw;
}

/** The /64 a vSwitch of `vpc` takes at `index`, checked against its siblings' (the VPC row is locked). */
function vswitchIpv6BlockFor(vpc: Vpc, index: number, mask: number | undefined, siblings: readonly VSwitch[]): string {
  if (mask !== undefined && mask !== 64) throw VpcErrors.ipv6MaskInvalid();
  if (vpc.ipv6CidrBlock === '') throw VpcErrors.vpcIpv6NotEnabled(vpc.id);
  const block = formatIpv6Cidr(vswitchIpv6Block(parseIpv6Cidr(vpc.ipv6CidrBlock) as Ipv6Net, index));
  const holder = siblings.find((s) => s.ipv6CidrBlock === block);
  if (holder) throw VpcErrors.ipv6BlockOverlapped(block, holder.id);
  return block;
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

export async function modifyVSwitch(
  ctx: ServiceContext,
  id: string,
  input: { name?: string; description?: string; enableIpv6?: boolean; ipv6Index?: number; ipv6Mask?: number },
): Promise<void> {
  const vsw = await requireVSwitch(ctx, id);
  checkVpcText(input.name, 128, VpcErrors.vswitchNameMalformed);
  checkVpcText(input.description, 256, VpcErrors.vswitchDescriptionMalformed);
  const ipv6CidrBlock = await vswitchIpv6Change(ctx, vsw, input);
  await updateVSwitch(ctx.tx, vsw.id, {
    ...(input.name !== undefined && { name: input.name }),
    ...(input.description !== undefined && { description: input.description }),
    ...(ipv6CidrBlock !== undefined && { ipv6CidrBlock }),
  });
}

/**
 * ModifyVSwitchAttribute's IPv6 switch, as the SDK documents it: EnableIPv6=true needs
 * Ipv6CidrBlock and an IPv6 VPC, and a block once given never changes; EnableIPv6=false takes no
 * block and needs no IPv6 address in use. Undefined: no change.
 */
async function vswitchIpv6Change(
  ctx: ServiceContext,
  vsw: VSwitch,
  input: { enableIpv6?: boolean; ipv6Index?: number; ipv6Mask?: number },
): Promise<string | undefined> {
  if (input.enableIpv6 === undefined && input.ipv6Index === undefined) return undefined;
  if (input.enableIpv6 === false) {
    if (input.ipv6Index !== undefined) throw VpcErrors.ipv6DisableWithBlock();
    if (vsw.ipv6CidrBlock === '') return undefined;
    // The vSwitch row is locked, and every IPv6 allocation in it locks it first.
    await requireVSwitch(ctx, vsw.id, true);
    if (await vswitchHasIpv6InUse(ctx.tx, vsw.id)) throw VpcErrors.ipv6InUse(vsw.id);
    await dropFreeBlocks(ctx.tx, vsw.id);
    return '';
  }
  if (input.ipv6Index === undefined) throw VpcErrors.ipv6BlockRequired();
  if (vsw.ipv6CidrBlock !== '') throw VpcErrors.ipv6AlreadyEnabled(vsw.id, vsw.ipv6CidrBlock);
  const vpc = await requireVpc(ctx, vsw.vpcId, true);
  const block = vswitchIpv6BlockFor(vpc, input.ipv6Index, input.ipv6Mask, await vswitchesOfVpc(ctx.tx, vpc.id, ctx.now));
  await initFreeBlocks(ctx.tx, vsw.id, USABLE_BLOCKS);
  return block;
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
  await dropFreeBlocks(ctx.tx, vsw.id);
  await deleteRouteEntriesOfVSwitch(ctx.tx, vsw.id);
  if (ctx.settings.delays.vswitchDelete <= 0) await deleteVSwitchRow(ctx.tx, vsw.id);
  // The cloud shows a vSwitch being deleted as Pending until it disappears.
  else await updateVSwitch(ctx.tx, vsw.id, { ...transition('Pending', GONE, ctx.settings.delays.vswitchDelete, ctx.now), status: 'Pending' });
}
