import type { ServiceContext } from './context.ts';
import { GONE, effectiveStatus, transition } from '../domain/async-state.ts';
import { intToIpv4, ipv4ToInt, parseIpv4Cidr, type Ipv4Net } from '../domain/cidr.ts';
import { DEFAULT_EIP_BANDWIDTH, checkEipDescription, checkEipName, parseEipBandwidth } from '../domain/eip-rules.ts';
import { newResourceId } from '../domain/ids.ts';
import { instanceStatus } from '../domain/instance-lifecycle.ts';
import type { Tag } from '../domain/tags.ts';
import { EipErrors } from '../errors/vpc/eips.ts';
import {
  allocatedPublicAddresses,
  countEipsInRegion,
  deleteEipRow,
  eipsBoundTo,
  findEip,
  insertEip,
  listEips,
  lockAccount,
  purgeReleasedEips,
  updateEip,
  type EipQuery,
} from '../store/repos/eips.ts';
import { enisOfInstance, findEni, privateIpsOf } from '../store/repos/enis.ts';
import type { Eip } from '../domain/models/eip.ts';
import type { Eni } from '../domain/models/eni.ts';
import { findInstance } from '../store/repos/instances.ts';
import { tagsOf, upsertTags } from '../store/repos/tags.ts';

/** EIPs an account may hold in one region ([DOCS-EIP] Limits: "Up to 20 EIPs can be created under one account"). */

/** Regions that sell BGP (Multi-ISP) Pro lines ([VPC-SDK] AllocateEipAddressRequest.ISP). */
const BGP_PRO_REGIONS = new Set(['cn-hongkong', 'ap-southeast-1', 'ap-northeast-1', 'ap-southeast-3', 'ap-southeast-6', 'ap-southeast-5', 'ap-southeast-7']);
/** Single-line ISPs, sold to whitelisted accounts only ([VPC-SDK] AllocateEipAddressRequest.ISP). */
const WHITELIST_ISPS = new Set(['ChinaTelecom', 'ChinaUnicom', 'ChinaMobile', 'ChinaTelecom_L2', 'ChinaUnicom_L2', 'ChinaMobile_L2', 'BGP_FinanceCloud']);

/** AssociateEipAddress InstanceType values: those eniplane models, and the cloud's others. */
export const MODELLED_TARGET_TYPES = ['EcsInstance', 'NetworkInterface'] as const;
const OTHER_TARGET_TYPES = ['Nat', 'SlbInstance', 'HaVip', 'IpAddress'];
export type TargetType = (typeof MODELLED_TARGET_TYPES)[number];

/** Checks an InstanceType parameter: the cloud's unknown values and the resources eniplane does not model answer differently. */
export function checkTargetType(type: string): TargetType {
  if ((MODELLED_TARGET_TYPES as readonly string[]).includes(type)) return type as TargetType;
  if (OTHER_TARGET_TYPES.includes(type)) throw EipErrors.instanceTypeNotModelled(type);
  throw EipErrors.instanceTypeNotSupported();
}

/** The server's public address pool (`serve --eip-pool`): every address but the network and broadcast ones of a /30 or larger. */
export function parseEipPool(text: string): { net: Ipv4Net; first: number; last: number } {
  const net = parseIpv4Cidr(text);
  if (typeof net === 'string') throw new Error(`bad EIP pool "${text}": give an IPv4 CIDR such as 203.0.113.0/24`);
  const edges = net.prefix <= 30 ? 1 : 0;
  return { net, first: net.first + edges, last: net.first + net.size - 1 - edges };
}

/** An EIP bound to nothing. */
const UNBOUND = { instanceId: null, instanceType: null, privateIp: null, mode: null, vpcId: null } as const;

/** The state an EIP shows at `now`: a finished unassociation has no binding any more. */
export function eipNow(eip: Eip, now: number): Eip {
  const status = effectiveStatus(eip, now);
  if (status === eip.status && eip.nextStatus === null) return eip;
  const unbound = status === 'Available';
  return {
    ...eip,
    status,
    nextStatus: null,
    transitionAt: null,
    ...(unbound && UNBOUND),
  };
}

export async function requireEip(ctx: ServiceContext, id: string, lock = false): Promise<Eip> {
  const eip = await findEip(ctx.tx, ctx.accountId, id, ctx.now, lock);
  if (!eip || eip.regionId !== ctx.regionId) throw EipErrors.allocationNotFound(id);
  return eipNow(eip, ctx.now);
}

export interface AllocateEipInput {
  bandwidth?: string;
  internetChargeType?: string;
  instanceChargeType?: string;
  isp?: string;
  netmode?: string;
  name?: string;
  description?: string;
  tags: Tag[];
  /** Resolved by the caller (services/resource-groups.ts): the named group or the account's default. */
  resourceGroupId: string;
}

function checkIsp(isp: string | undefined, regionId: string): string {
  if (isp === undefined || isp === 'BGP') return 'BGP';
  if (isp === 'BGP_PRO') {
    if (!BGP_PRO_REGIONS.has(regionId)) throw EipErrors.ispInvalid(isp, `BGP (Multi-ISP) Pro lines are not sold in ${regionId}.`);
    return isp;
  }
  if (WHITELIST_ISPS.has(isp)) throw EipErrors.ispInvalid(isp, 'This line is sold to whitelisted accounts only, which eniplane does not model; use BGP.');
  throw EipErrors.ispInvalid(isp, 'Use BGP or BGP_PRO.');
}

/**
 * Draws a free public address from the pool at random, for an EIP or an instance public IP. Two
 * replicas drawing the same address collide on public_addresses' key; the transaction helper
 * retries with a new draw.
 */
export async function drawPublicAddress(ctx: ServiceContext): Promise<string> {
  const pool = parseEipPool(ctx.settings.eipPool);
  const taken = new Set<number>();
  for (const a of await allocatedPublicAddresses(ctx.tx)) {
    const n = ipv4ToInt(a);
    if (n !== null && n >= pool.first && n <= pool.last) taken.add(n);
  }
  const free = pool.last - pool.first + 1 - taken.size;
  if (free <= 0) throw EipErrors.reserveIpFail(pool.net.text);
  // The k-th free address: step over every taken address at or below the candidate.
  let candidate = pool.first + ctx.random.int(free);
  for (const t of [...taken].sort((a, b) => a - b)) {
    if (t <= candidate) candidate++;
    else break;
  }
  return intToIpv4(candidate);
}

/** AllocateEipAddress: a pay-as-you-go EIP, Available at once (as on the cloud). */
export async function allocateEip(ctx: ServiceContext, input: AllocateEipInput): Promise<Eip> {
  const chargeType = input.instanceChargeType ?? 'PostPaid';
  if (chargeType === 'PrePaid') throw EipErrors.prePaidNotModelled();
  if (chargeType !== 'PostPaid') throw EipErrors.instanceChargeTypeInvalid();
  const internetChargeType = input.internetChargeType ?? 'PayByBandwidth';
  if (internetChargeType !== 'PayByBandwidth' && internetChargeType !== 'PayByTraffic') throw EipErrors.internetChargeTypeInvalid();
  const bandwidth = input.bandwidth === undefined ? DEFAULT_EIP_BANDWIDTH : parseEipBandwidth(input.bandwidth, internetChargeType);
  const isp = checkIsp(input.isp, ctx.regionId);
  if (input.netmode !== undefined && input.netmode !== 'public') throw EipErrors.netmodeInvalid();
  checkEipName(input.name);
  checkEipDescription(input.description);

  await lockAccount(ctx.tx, ctx.accountId);
  const quota = ctx.settings.quotas.eipsPerRegion;
  if ((await countEipsInRegion(ctx.tx, ctx.accountId, ctx.regionId, ctx.now)) >= quota) throw EipErrors.quota(quota);
  await purgeReleasedEips(ctx.tx, ctx.now);
  const eip: Eip = {
    id: newResourceId('eip', ctx.regionId, ctx.random),
    accountId: ctx.accountId,
    regionId: ctx.regionId,
    ipAddress: await drawPublicAddress(ctx),
    status: 'Available',
    nextStatus: null,
    transitionAt: null,
    name: input.name ?? '',
    description: input.description ?? '',
    bandwidth,
    internetChargeType,
    instanceChargeType: chargeType,
    isp,
    ...UNBOUND,
    createdAt: ctx.now,
    resourceGroupId: input.resourceGroupId,
  };
  await insertEip(ctx.tx, eip);
  await upsertTags(ctx.tx, { accountId: ctx.accountId, regionId: ctx.regionId }, 'eip', eip.id, input.tags, ctx.now);
  return eip;
}

/** Where an association lands: the owner the EIP row names, the private address, and who else may hold that address. */
interface Target {
  ownerId: string;
  type: TargetType;
  privateIp: string;
  vpcId: string;
  /** Owners whose bindings would conflict: an EIP on the same address, or (EcsInstance) any on the instance. */
  conflicts: (eip: Eip) => string | undefined;
  owners: string[];
}

const RUNNING_OR_STOPPED = ['Running', 'Stopped'];

/**
 * EcsInstance: the EIP lands on the primary private address of the instance's primary ENI.
 * The instance row, then its primary ENI's, are locked, in the order DeleteInstance takes them.
 */
async function instanceTarget(ctx: ServiceContext, instanceId: string, privateIp: string | undefined): Promise<Target> {
  const inst = await findInstance(ctx.tx, ctx.accountId, instanceId, ctx.now, true);
  if (!inst) throw EipErrors.instanceNotFound(instanceId);
  if (inst.regionId !== ctx.regionId) throw EipErrors.regionMismatch('ECS instance');
  // [DOCS-EIP] Limits: "The ECS instance must be in the Running or Stopped state."
  const status = instanceStatus(inst, ctx.now);
  if (!RUNNING_OR_STOPPED.includes(status)) throw EipErrors.incorrectInstanceStatus('instance', status, 'Running or Stopped');
  const primaryRow = (await enisOfInstance(ctx.tx, inst.id, ctx.now)).find((e) => e.type === 'Primary');
  if (!primaryRow) throw EipErrors.instanceNotFound(instanceId);
  const primary = await findEni(ctx.tx, ctx.accountId, primaryRow.id, ctx.now, true);
  if (!primary) throw EipErrors.instanceNotFound(instanceId);
  if (privateIp !== undefined && privateIp !== primary.primaryIp) {
    throw EipErrors.privateIpNotOnTarget(privateIp, `instance ${inst.id} (an EcsInstance association uses its primary private address ${primary.primaryIp})`);
  }
  return {
    ownerId: inst.id,
    type: 'EcsInstance',
    privateIp: primary.primaryIp,
    vpcId: inst.vpcId,
    owners: [inst.id, primary.id],
    conflicts: (e) =>
      e.instanceId === inst.id
        ? `instance ${inst.id} already has the EIP ${e.id} (an ECS instance takes one EIP)`
        : e.privateIp === primary.primaryIp
          ? `the address ${primary.primaryIp} already has the EIP ${e.id}`
          : undefined,
  };
}

/**
 * NetworkInterface (NAT mode): one EIP per private address of the ENI, its primary one by
 * default. A primary ENI's primary address is also where the instance's own EIP lands.
 */
async function eniTarget(ctx: ServiceContext, eniId: string, privateIp: string | undefined): Promise<Target> {
  const raw = await findEni(ctx.tx, ctx.accountId, eniId, ctx.now, true);
  if (!raw) throw EipErrors.instanceNotFound(eniId);
  // As services/enis.ts eniNow: a finished detach leaves the ENI without an instance.
  const status = effectiveStatus(raw, ctx.now);
  const eni = { ...raw, status, instanceId: status === 'Available' ? null : raw.instanceId };
  if (eni.regionId !== ctx.regionId) throw EipErrors.regionMismatch('ENI');
  if (status !== 'Available' && status !== 'InUse') throw EipErrors.incorrectInstanceStatus('ENI', status, 'Available or InUse');
  const ip = privateIp ?? eni.primaryIp;
  const held = (await privateIpsOf(ctx.tx, [eni.id])).get(eni.id) ?? [];
  if (!held.some((h) => h.address === ip)) throw EipErrors.privateIpNotOnTarget(ip, `ENI ${eni.id}`);
  const instanceId = eni.type === 'Primary' && eni.instanceId !== null && ip === eni.primaryIp ? eni.instanceId : undefined;
  return {
    ownerId: eni.id,
    type: 'NetworkInterface',
    privateIp: ip,
    vpcId: eni.vpcId,
    owners: instanceId ? [eni.id, instanceId] : [eni.id],
    conflicts: (e) => {
      if (e.instanceId === eni.id && e.privateIp === ip) return `the address ${ip} of ENI ${eni.id} already has the EIP ${e.id}`;
      if (instanceId && e.instanceId === instanceId) return `the address ${ip} already has the instance's EIP ${e.id}`;
      return undefined;
    },
  };
}

export interface AssociateEipInput {
  allocationId: string;
  instanceId: string;
  instanceType?: string;
  privateIp?: string;
  mode?: string;
}

/** AssociateEipAddress: Associating, then InUse after the configured delay. */
export async function associateEip(ctx: ServiceContext, input: AssociateEipInput): Promise<void> {
  const type = checkTargetType(input.instanceType ?? 'EcsInstance');
  if (input.mode !== undefined && input.mode !== 'NAT') {
    if (input.mode === 'BINDED' || input.mode === 'MULTI_BINDED') throw EipErrors.modeNotModelled(input.mode);
    throw EipErrors.modeInvalid();
  }
  await requireEip(ctx, input.allocationId);
  const target =
    type === 'EcsInstance' ? await instanceTarget(ctx, input.instanceId, input.privateIp) : await eniTarget(ctx, input.instanceId, input.privateIp);
  // The EIP row is locked last: a concurrent associate of the same EIP waits here and then sees it taken.
  const eip = await requireEip(ctx, input.allocationId, true);
  if (eip.status !== 'Available') throw EipErrors.incorrectEipStatus(eip.status);
  for (const bound of await eipsBoundTo(ctx.tx, target.owners, ctx.now)) {
    const why = target.conflicts(bound);
    if (why) throw EipErrors.associationDuplicated(why);
  }
  await updateEip(ctx.tx, eip.id, {
    ...transition('Associating', 'InUse', ctx.settings.delays.eipAssociate, ctx.now),
    instanceId: target.ownerId,
    instanceType: target.type,
    privateIp: target.privateIp,
    mode: 'NAT',
    vpcId: target.vpcId,
  });
}

export interface UnassociateEipInput {
  allocationId: string;
  instanceId?: string;
  instanceType?: string;
  privateIp?: string;
}

/** UnassociateEipAddress: Unassociating, then Available after the configured delay. */
export async function unassociateEip(ctx: ServiceContext, input: UnassociateEipInput): Promise<void> {
  const type = input.instanceType === undefined ? undefined : checkTargetType(input.instanceType);
  const eip = await requireEip(ctx, input.allocationId, true);
  if (eip.status !== 'InUse') throw EipErrors.incorrectEipStatus(eip.status);
  if (input.instanceId !== undefined && input.instanceId !== eip.instanceId) {
    throw EipErrors.bindingStatus(`the EIP is associated with ${eip.instanceId}, not ${input.instanceId}`);
  }
  if (type !== undefined && type !== eip.instanceType) throw EipErrors.bindingStatus(`the EIP is associated with a ${eip.instanceType}, not a ${type}`);
  if (input.privateIp !== undefined && input.privateIp !== eip.privateIp) {
    throw EipErrors.bindingStatus(`the EIP is associated with the private address ${eip.privateIp}, not ${input.privateIp}`);
  }
  if (eip.instanceType === 'EcsInstance' && eip.instanceId) {
    const inst = await findInstance(ctx.tx, ctx.accountId, eip.instanceId, ctx.now);
    const status = inst ? instanceStatus(inst, ctx.now) : undefined;
    if (status !== undefined && !RUNNING_OR_STOPPED.includes(status)) throw EipErrors.incorrectInstanceStatus('instance', status, 'Running or Stopped');
  }
  const delay = ctx.settings.delays.eipAssociate;
  await updateEip(
    ctx.tx,
    eip.id,
    delay <= 0 ? { status: 'Available', nextStatus: null, transitionAt: null, ...UNBOUND } : transition('Unassociating', 'Available', delay, ctx.now),
  );
}

export interface ModifyEipInput {
  bandwidth?: string;
  name?: string;
  description?: string;
}

/**
 * ModifyEipAddressAttribute: Name, Description (empty clears them) and Bandwidth (within the
 * range of the EIP's metering method, as at allocation). Only a settled EIP (Available or InUse)
 * is changed; one Associating, Unassociating or Releasing answers IncorrectEipStatus.
 */
export async function modifyEip(ctx: ServiceContext, id: string, input: ModifyEipInput): Promise<void> {
  const eip = await requireEip(ctx, id, true);
  checkEipName(input.name);
  checkEipDescription(input.description);
  const bandwidth = input.bandwidth === undefined ? undefined : parseEipBandwidth(input.bandwidth, eip.internetChargeType);
  // DIVERGENCE: the cloud documents IncorrectEipStatus for this action without saying which states refuse it.
  if (eip.status !== 'Available' && eip.status !== 'InUse') throw EipErrors.incorrectEipStatus(eip.status);
  await updateEip(ctx.tx, eip.id, {
    ...(input.name !== undefined && { name: input.name }),
    ...(input.description !== undefined && { description: input.description }),
    ...(bandwidth !== undefined && { bandwidth }),
  });
}

/**
 * ReleaseEipAddress: only an Available EIP; it shows Releasing, then disappears. eniplane has no
 * separate release delay: the association delay (delays.eipAssociate) is used.
 */
export async function releaseEip(ctx: ServiceContext, id: string): Promise<void> {
  const eip = await requireEip(ctx, id, true);
  if (eip.status !== 'Available') throw EipErrors.incorrectEipStatus(eip.status);
  const delay = ctx.settings.delays.eipAssociate;
  if (delay <= 0) await deleteEipRow(ctx.tx, eip.id);
  else {
    await updateEip(ctx.tx, eip.id, {
      ...transition('Releasing', GONE, delay, ctx.now),
      ...UNBOUND,
    });
  }
}

export interface EipView {
  eip: Eip;
  tags: Tag[];
}

export async function describeEips(ctx: ServiceContext, q: Omit<EipQuery, 'accountId' | 'regionId'>, window: { offset: number; limit: number }) {
  const { eips, total } = await listEips(ctx.tx, { ...q, accountId: ctx.accountId, regionId: ctx.regionId }, ctx.now, window);
  const tags = await tagsOf(
    ctx.tx,
    eips.map((e) => e.id),
  );
  const views: EipView[] = eips.map((e) => ({ eip: eipNow(e, ctx.now), tags: tags.get(e.id) ?? [] }));
  return { views, total };
}

/**
 * For the ENI service: refuses DeleteNetworkInterface (no `addresses`) or UnassignPrivateIpAddresses
 * (the addresses being removed) while an EIP is bound to one of the ENI's addresses. The cloud
 * documents no automatic unassociation for these actions (only instance release dissociates the
 * EIPs of the ENIs it releases), so the caller must unassociate first.
 */
export async function assertNoEipOnEni(
  ctx: ServiceContext,
  eni: Pick<Eni, 'id' | 'type' | 'instanceId' | 'primaryIp'>,
  addresses?: readonly string[],
): Promise<void> {
  const owners = eni.type === 'Primary' && eni.instanceId ? [eni.id, eni.instanceId] : [eni.id];
  for (const bound of await eipsBoundTo(ctx.tx, owners, ctx.now)) {
    // An instance's own EIP sits on its primary ENI's primary address.
    const ip = bound.instanceId === eni.id ? (bound.privateIp ?? eni.primaryIp) : eni.primaryIp;
    if (!addresses || addresses.includes(ip)) throw EipErrors.eniHasEip(eni.id, ip, bound.id);
  }
}
