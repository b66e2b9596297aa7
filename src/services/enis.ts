import type { ServiceContext } from './context.ts';
import { GONE, effectiveStatus, transition } from '../domain/async-state.ts';
import type { ApiError } from '../errors/api-error.ts';
import {
  securityGroupIpCapacity,
  assertMayJoin,
  placementOf,
  assertCanChangeIps,
  assertCanChangeQueues,
  checkQueueNumber,
  type TrafficMode,
  assertCanDetach,
  assertIpv4EntryCount,
  nextDeviceIndex,
  type JoinCheck,
} from '../domain/eni-rules.ts';
import { asyncOutcome } from '../domain/faults.ts';
import { newResourceId } from '../domain/ids.ts';
import { instanceStatus } from '../domain/instance-lifecycle.ts';
import { findInstanceType, type InstanceTypeSpec } from '../domain/instance-types.ts';
import { assertDetachTrunkMatches, assertNoMembers, assertTrunkOf, instanceEniCounts, nextVlanId } from '../domain/trunk-rules.ts';
import { newMacAddress } from '../domain/mac.ts';
import type { Tag } from '../domain/tags.ts';
import { checkEcsDescription, checkEcsName } from '../domain/text-rules.ts';
import { EniErrors } from '../errors/ecs/enis.ts';
import { EcsResourceGroupErrors } from '../errors/resourcemanager/resource-groups.ts';
import { resourceGroupForNew } from './resource-groups.ts';
import {
  countEnis,
  countEnisInRegion,
  countIpsInSecurityGroup,
  eipsOfEnis,
  listEnis,
  deleteEniRow,
  enisOfInstance,
  findEni,
  insertEni,
  membersOfTrunks,
  privateIpsOf,
  securityGroupsOf,
  setEniSecurityGroups,
  updateEni,
  type EniCursor,
  type EniQuery,
} from '../store/repos/enis.ts';
import type { EipBinding, Eni, PrivateIp } from '../domain/models/eni.ts';
import type { Instance } from '../domain/models/instance.ts';
import { tagsOf } from '../store/repos/tags.ts';
import { CommonErrors } from '../errors/common.ts';
import { lockQuota } from '../store/repos/common.ts';
import { findInstance, instanceTypesOf } from '../store/repos/instances.ts';
import { findSecurityGroup } from '../store/repos/security-groups.ts';
import { upsertTags } from '../store/repos/tags.ts';
import { findVSwitch } from '../store/repos/vswitches.ts';
import type { VSwitch } from '../domain/models/vswitch.ts';
import { allocateAddresses, bindAddresses, releaseAddresses, releaseEniAddresses, releaseIpv4Prefixes, type AddressCodes } from './addresses.ts';
import { allocateIpv4Prefixes, bindIpv4Prefixes } from './ipv4-prefixes.ts';
import { ipv4PrefixRowsOf, ipv4PrefixesOf } from '../store/repos/ipv4-prefixes.ts';
import { assertNoEipOnEni } from './eips.ts';
import { allocateIpv6, ipv6Entries, vswitchIpv6Net, type Ipv6Request } from './ipv6-addresses.ts';
import { assertIpv6Room } from '../domain/ipv6-rules.ts';
import { ipv6AddressesOf, ipv6PrefixesOf } from '../store/repos/ipv6.ts';

/** The state an ENI shows at the request's time: a finished detach has no instance any more. */
export function eniNow(eni: Eni, now: number): Eni {
  const status = effectiveStatus(eni, now);
  if (status === eni.status && eni.nextStatus === null) return eni;
  const detached = status === 'Available';
  return { ...eni, status, nextStatus: null, transitionAt: null, ...(detached && { instanceId: null, deviceIndex: null, trunkEniId: null }) };
}

export async function requireEni(ctx: ServiceContext, id: string, lock = false): Promise<Eni> {
  const eni = await findEni(ctx.tx, ctx.accountId, id, ctx.now, lock);
  if (!eni || eni.regionId !== ctx.regionId) throw EniErrors.eniNotFound(id);
  return eniNow(eni, ctx.now);
}

export async function requireVSwitchForEni(ctx: ServiceContext, id: string): Promise<VSwitch> {
  const vsw = await findVSwitch(ctx.tx, ctx.accountId, id, ctx.now, true);
  if (!vsw || vsw.regionId !== ctx.regionId) throw EniErrors.vswitchNotFound(id);
  return vsw;
}

export interface LockedGroup {
  id: string;
  /** normal (basic) or enterprise (advanced): their address capacities differ. */
  type: string;
}

export interface GroupErrors {
  /** A group of another VPC (InvalidOperation.VpcMismatch for ENIs; InvalidInstanceId.Mismatch for instances). */
  vpcMismatch?: (groupId: string, groupVpc: string, vpcId: string) => ApiError;
  /** More groups than an ENI may be in. */
  tooMany?: (limit: number) => ApiError;
}

/**
 * Checks and locks the security groups an ENI (or instance) is to be in: one to five, none
 * repeated, each existing for the caller in the ENI's VPC, all basic or all advanced. Rows are
 * locked in ID order so concurrent writers never deadlock.
 */
export async function lockSecurityGroups(ctx: ServiceContext, ids: readonly string[], vpcId: string, errors: GroupErrors = {}): Promise<LockedGroup[]> {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) throw EniErrors.securityGroupRepeated(id);
    seen.add(id);
  }
  const perEni = ctx.settings.quotas.securityGroupsPerEni;
  if (ids.length < 1 || ids.length > perEni) throw (errors.tooMany ?? EniErrors.securityGroupCount)(perEni);
  const found = new Map<string, LockedGroup>();
  for (const id of [...ids].sort()) {
    const sg = await findSecurityGroup(ctx.tx, { accountId: ctx.accountId, regionId: ctx.regionId }, id, true);
    if (!sg) throw EniErrors.securityGroupNotFound(id);
    if (sg.vpcId !== vpcId) {
      throw errors.vpcMismatch ? errors.vpcMismatch(id, sg.vpcId, vpcId) : EniErrors.vpcMismatch(`security group ${id} is in ${sg.vpcId}, the ENI in ${vpcId}`);
    }
    found.set(id, { id, type: sg.type });
  }
  const groups = ids.map((id) => found.get(id)!);
  // "An ENI can only join security groups of one type" (limits-and-rules.md §4).
  if (new Set(groups.map((g) => g.type)).size > 1) throw EniErrors.multiGroupType();
  return groups;
}

/**
 * The address capacity of each group (2,000 for a basic group, 65,536 for an advanced one),
 * counting `adding` more addresses; the groups are already locked, so concurrent joins serialise.
 */
export async function assertSecurityGroupRoom(
  ctx: ServiceContext,
  groups: readonly LockedGroup[],
  adding: number,
  full: (groupId: string, limit: number) => ApiError = EniErrors.securityGroupIpQuota,
): Promise<void> {
  if (adding <= 0) return;
  for (const g of groups) {
    const limit = securityGroupIpCapacity(g.type, ctx.settings.quotas.privateIpsPerSecurityGroup);
    if ((await countIpsInSecurityGroup(ctx.tx, g.id)) + adding > limit) throw full(g.id, limit);
  }
}

export interface CreateEniInput {
  vswitchId: string;
  securityGroupIds: string[];
  primaryIp?: string;
  secondaryIps: string[];
  secondaryCount: number;
  /** IPv4 prefixes (/28) by list or count (CreateNetworkInterface Ipv4Prefix.N / Ipv4PrefixCount). */
  ipv4Prefixes?: string[];
  ipv4PrefixCount?: number;
  name?: string;
  description?: string;
  tags: Tag[];
  deleteOnRelease: boolean;
  /** SourceDestCheck (default false), QueueNumber (unset: the type's default shows), NetworkInterfaceTrafficMode. */
  sourceDestCheck?: boolean;
  queueNumber?: number;
  trafficMode?: TrafficMode;
  /** Trunk: CreateNetworkInterface InstanceType=Trunk, created unattached as on the cloud (Terway creates it, then attaches it). */
  type: 'Primary' | 'Secondary' | 'Trunk';
  /**
   * Set when the ENI is created for an instance (RunInstances): it starts InUse on it. The caller
   * has checked that it may join (domain/eni-rules.ts assertMayJoin).
   */
  instance?: { id: string; deviceIndex: number; type?: InstanceTypeSpec };
  /** Which family of codes address problems answer with (RunInstances has its own). */
  codes?: AddressCodes;
  /** Addresses other ENIs of the same request ask for: automatic picks leave them free. */
  reservedForLater?: ReadonlySet<string>;
  /** Errors for the security group checks (the instance actions have their own codes). */
  groupErrors?: GroupErrors;
  /** As the caller sent it (checked here), or the instance's; none: the account's default group. */
  resourceGroupId?: string;
  /** IPv6 addresses and /80 prefixes it is created with (the vSwitch must have IPv6). */
  ipv6?: Ipv6Request;
}

/**
 * Creates an ENI with its addresses; synchronous, as on the cloud: it is Available (or InUse on a
 * new instance) at once. Answers with what `detailsOf` would read back, without reading it.
 */
export async function createEni(ctx: ServiceContext, input: CreateEniInput): Promise<EniDetails> {
  checkEcsName(input.name, EniErrors.nameMalformed);
  checkEcsDescription(input.description, EniErrors.descriptionMalformed);
  checkQueueNumber(input.queueNumber);
  const traffic = { queueNumber: input.queueNumber ?? null, trafficMode: input.trafficMode ?? 'Standard' };
  const resourceGroupId = await resourceGroupForNew(ctx, input.resourceGroupId, EcsResourceGroupErrors.notFound);
  const vsw = await requireVSwitchForEni(ctx, input.vswitchId);
  const groups = await lockSecurityGroups(ctx, input.securityGroupIds, vsw.vpcId, input.groupErrors);
  if (input.type !== 'Primary') {
    // Two replicas counting 99 of 100 at once would both create: the quota lock serialises the
    // count. Taken after the vSwitch and group locks, the order every ENI creation follows.
    await lockQuota(ctx.tx, 'enis', ctx.accountId, ctx.regionId);
    // Secondary and trunk ENIs only: a primary ENI comes and goes with its instance (max-elastic-network-interfaces).
    const quota = ctx.settings.quotas.enisPerRegion;
    if ((await countEnisInRegion(ctx.tx, ctx.accountId, ctx.regionId, ctx.now)) >= quota) throw EniErrors.eniQuota(quota);
  }
  const total = 1 + input.secondaryIps.length + input.secondaryCount;
  const requestedPrefixes = input.ipv4Prefixes ?? [];
  const prefixCount = input.ipv4PrefixCount ?? 0;
  if (!input.instance) assertIpv4EntryCount(total, requestedPrefixes.length + prefixCount, 'Available', undefined);
  const ipv6Wanted = input.ipv6 ? ipv6Entries(input.ipv6) : 0;
  if (ipv6Wanted > 0) {
    vswitchIpv6Net(vsw);
    // A new instance's ENI was checked against its type (assertMayJoin); an unattached one holds at most 10.
    if (!input.instance) assertIpv6Room('', 'Available', undefined, 0, ipv6Wanted);
  }
  await assertSecurityGroupRoom(ctx, groups, total);

  const codes = input.codes ?? 'eni';
  const addresses = await allocateAddresses(ctx, vsw, input.primaryIp ? [input.primaryIp, ...input.secondaryIps] : input.secondaryIps, 0, codes);
  // Requested prefixes are placed before automatic addresses and prefixes, as requested addresses are.
  const prefixes = await allocateIpv4Prefixes(ctx, vsw, requestedPrefixes, 0, codes);
  const auto = await allocateAddresses(ctx, vsw, [], (input.primaryIp ? 0 : 1) + input.secondaryCount, codes, input.reservedForLater);
  prefixes.push(...(await allocateIpv4Prefixes(ctx, vsw, [], prefixCount, codes)));
  // The primary address is the requested one, else the first automatic pick.
  const ordered = input.primaryIp ? [...addresses, ...auto] : [auto[0]!, ...addresses, ...auto.slice(1)];
  const eni: Eni = {
    id: newResourceId('eni', ctx.regionId, ctx.random),
    accountId: ctx.accountId,
    regionId: ctx.regionId,
    zoneId: vsw.zoneId,
    vpcId: vsw.vpcId,
    vswitchId: vsw.id,
    type: input.type,
    name: input.name ?? '',
    description: input.description ?? '',
    macAddress: newMacAddress(ctx.random),
    primaryIp: ordered[0]!.address,
    status: input.instance ? 'InUse' : 'Available',
    nextStatus: null,
    transitionAt: null,
    instanceId: input.instance?.id ?? null,
    deviceIndex: input.instance?.deviceIndex ?? null,
    deleteOnRelease: input.deleteOnRelease,
    resourceGroupId,
    createdAt: ctx.now,
    sourceDestCheck: input.sourceDestCheck ?? false,
    queueNumber: traffic.queueNumber,
    trafficMode: traffic.trafficMode,
    trunkEniId: null,
  };
  await insertEni(ctx.tx, eni);
  await bindAddresses(ctx, vsw.id, eni.id, ordered, true);
  await bindIpv4Prefixes(ctx, vsw.id, eni.id, prefixes);
  await setEniSecurityGroups(
    ctx.tx,
    eni.id,
    groups.map((g) => g.id),
    true,
  );
  const ipv6 = input.ipv6 ? await allocateIpv6(ctx, vsw, eni.id, input.ipv6) : { addresses: [], prefixes: [] };
  await upsertTags(ctx.tx, { accountId: ctx.accountId, regionId: ctx.regionId }, 'eni', eni.id, input.tags, ctx.now);
  // privateIpsOf's order: the primary, then (one creation time) by address.
  const secondaries = ordered.slice(1).sort((a, b) => a.addressInt - b.addressInt);
  const ips = [ordered[0]!, ...secondaries].map((a, i) => ({ address: a.address, addressInt: a.addressInt, isPrimary: i === 0 }));
  return {
    eni,
    ips,
    securityGroupIds: groups.map((g) => g.id),
    instanceType: input.instance?.type,
    ipv6: ipv6.addresses,
    ipv6Prefixes: ipv6.prefixes,
    // ipv4PrefixesOf's order: by assignment time, then (one creation time) by address.
    ipv4Prefixes: [...prefixes].sort((a, b) => a.firstInt - b.firstInt).map((p) => p.prefix),
  };
}

export interface EniDetails {
  eni: Eni;
  ips: PrivateIp[];
  securityGroupIds: string[];
  /** The type of the instance it is attached to: an unset QueueNumber shows the type's default. */
  instanceType?: InstanceTypeSpec;
  /** Its IPv6 addresses and /80 prefixes (RFC 5952 spelling), oldest first. */
  ipv6: string[];
  ipv6Prefixes: string[];
  /** Its IPv4 prefixes (`10.0.0.16/28`), in the order they were assigned. */
  ipv4Prefixes: string[];
}

/** Addresses and groups of many ENIs at once, and the instance types of those whose queue count shows a type's default. */
export async function detailsOf(ctx: ServiceContext, enis: readonly Eni[]): Promise<EniDetails[]> {
  const ids = enis.map((e) => e.id);
  const shown = enis.map((e) => eniNow(e, ctx.now));
  const typed = [...new Set(shown.filter((e) => e.queueNumber === null && e.instanceId !== null).map((e) => e.instanceId!))];
  const [ips, groups, types, prefixes, ipv6, ipv6Prefixes] = await Promise.all([
    privateIpsOf(ctx.tx, ids),
    securityGroupsOf(ctx.tx, ids),
    instanceTypesOf(ctx.tx, typed),
    ipv4PrefixesOf(ctx.tx, ids),
    ipv6AddressesOf(ctx.tx, ids),
    ipv6PrefixesOf(ctx.tx, ids),
  ]);
  return shown.map((e) => ({
    eni: e,
    ips: ips.get(e.id) ?? [],
    securityGroupIds: groups.get(e.id) ?? [],
    instanceType: e.instanceId ? findInstanceType(types.get(e.instanceId) ?? '') : undefined,
    ipv6: ipv6.get(e.id) ?? [],
    ipv6Prefixes: ipv6Prefixes.get(e.id) ?? [],
    ipv4Prefixes: prefixes.get(e.id) ?? [],
  }));
}

/** An instance with its status at the request's time and its type's limits. */
export interface InstanceWithType {
  instance: Instance;
  status: string;
  type: InstanceTypeSpec;
}

async function instanceOf(ctx: ServiceContext, eni: Eni): Promise<InstanceWithType | undefined> {
  if (!eni.instanceId) return undefined;
  const instance = await findInstance(ctx.tx, ctx.accountId, eni.instanceId, ctx.now, true);
  if (!instance) return undefined;
  return { instance, status: instanceStatus(instance, ctx.now), type: findInstanceType(instance.instanceType)! };
}

export async function modifyEni(
  ctx: ServiceContext,
  id: string,
  input: { name?: string; description?: string; securityGroupIds?: string[]; deleteOnRelease?: boolean; queueNumber?: number; sourceDestCheck?: boolean },
): Promise<void> {
  checkEcsName(input.name, EniErrors.nameMalformed);
  checkEcsDescription(input.description, EniErrors.descriptionMalformed, 255);
  checkQueueNumber(input.queueNumber);
  // The queue rule reads the instance's state and type: lock it first, the order attach takes.
  const { eni, instance } =
    input.queueNumber !== undefined ? await lockEniWithInstance(ctx, id) : { eni: await requireEni(ctx, id, true), instance: undefined };
  // A Deleting ENI is on its way out: the cloud answers its state code to any change.
  if (eni.status === 'Deleting') throw EniErrors.invalidEniState('Available or InUse', eni.status);
  if (input.queueNumber !== undefined) assertCanChangeQueues(eni, instance, input.queueNumber);
  if (input.securityGroupIds) {
    // A primary ENI's groups are its instance's: change them through the instance.
    if (eni.type === 'Primary') throw EniErrors.eniTypeNotAllowed("The security groups of a primary ENI are its instance's; modify the instance.");
    const groups = await lockSecurityGroups(ctx, input.securityGroupIds, eni.vpcId);
    const current = new Set((await securityGroupsOf(ctx.tx, [eni.id])).get(eni.id) ?? []);
    const joining = groups.filter((g) => !current.has(g.id));
    const ipCount = ((await privateIpsOf(ctx.tx, [eni.id])).get(eni.id) ?? []).length;
    await assertSecurityGroupRoom(ctx, joining, ipCount);
    await setEniSecurityGroups(
      ctx.tx,
      eni.id,
      groups.map((g) => g.id),
    );
  }
  await updateEni(ctx.tx, eni.id, {
    ...(input.name !== undefined && { name: input.name }),
    ...(input.description !== undefined && { description: input.description }),
    ...(input.deleteOnRelease !== undefined && { deleteOnRelease: input.deleteOnRelease }),
    ...(input.queueNumber !== undefined && { queueNumber: input.queueNumber }),
    ...(input.sourceDestCheck !== undefined && { sourceDestCheck: input.sourceDestCheck }),
  });
}

/**
 * DeleteNetworkInterface: only an Available ENI. Sent again while the ENI is Deleting, it changes
 * nothing and succeeds: "a long-lived Deleting means failure and the caller may resend".
 */
export async function deleteEni(ctx: ServiceContext, id: string): Promise<void> {
  const eni = await requireEni(ctx, id, true);
  if (eni.status === 'Deleting') return;
  if (eni.status !== 'Available') throw EniErrors.invalidEniState('Available', eni.status);
  // An Available trunk has no members (its detach needs none); checked all the same, so that no member is ever left naming a trunk that is gone.
  if (eni.type === 'Trunk') assertNoMembers(eni.id, (await membersOfTrunks(ctx.tx, [eni.id], ctx.now)).length);
  // An EIP bound to one of its addresses must be unassociated first.
  await assertNoEipOnEni(ctx, eni);
  // An injected fault (eniplane faults add AsyncResult=Fail) makes the deletion end back in Available.
  const outcome = asyncOutcome(ctx.asyncFault, GONE, 'Available', ctx.settings.delays.eniDelete);
  if (!outcome) return;
  if (outcome.to === GONE) await destroyEni(ctx, eni, outcome.delayMs);
  else await updateEni(ctx.tx, eni.id, transition('Deleting', outcome.to, outcome.delayMs, ctx.now));
}

/**
 * Removes an ENI: now, or after `delayMs` in the Deleting state. A Deleting ENI keeps its
 * addresses (and lists them) until it is gone, so no other ENI can show one of them meanwhile;
 * the first allocation in its vSwitch after its due time gives them back (addresses.ts
 * purgeDueDeletions).
 * It leaves its security groups at once: they no longer count its addresses and can be deleted.
 */
export async function destroyEni(ctx: ServiceContext, eni: Eni, delayMs: number): Promise<void> {
  await requireVSwitchForEni(ctx, eni.vswitchId);
  if (delayMs <= 0) {
    await releaseEniAddresses(ctx, eni.id, eni.vswitchId);
    await deleteEniRow(ctx.tx, eni.id);
  } else {
    await setEniSecurityGroups(ctx.tx, eni.id, []);
    await updateEni(ctx.tx, eni.id, { ...transition('Deleting', GONE, delayMs, ctx.now), instanceId: null, deviceIndex: null, trunkEniId: null });
  }
}

/**
 * An ENI and its instance (when attached), both locked, the instance first: the order
 * AttachNetworkInterface, DetachNetworkInterface and DeleteInstance take them in. Locking the ENI
 * first here would let an address change and a detach of the same ENI wait on each other in a
 * cycle, which PostgreSQL breaks only after a second by aborting one. The ENI is read unlocked to
 * learn its instance; if a concurrent attach moved it before it was locked, look again.
 */
export async function lockEniWithInstance(ctx: ServiceContext, id: string): Promise<{ eni: Eni; instance: InstanceWithType | undefined }> {
  for (let attempt = 1; ; attempt++) {
    const seen = await requireEni(ctx, id);
    const instance = await instanceOf(ctx, seen);
    // A store that runs transactions one at a time (Tx.serial): nothing can have moved the ENI since it was read.
    if (ctx.tx.serial) return { eni: seen, instance };
    const eni = await requireEni(ctx, id, true);
    if (eni.instanceId === seen.instanceId) return { eni, instance };
    if (attempt >= 3) throw CommonErrors.operationConflict();
  }
}

export async function assignPrivateIps(
  ctx: ServiceContext,
  id: string,
  input: { addresses: string[]; count: number; ipv4Prefixes?: string[]; ipv4PrefixCount?: number },
): Promise<{ eni: Eni; assigned: string[]; assignedPrefixes: string[] }> {
  const { eni, instance } = await lockEniWithInstance(ctx, id);
  assertCanChangeIps(eni.status, eni.type, instance?.status);
  const vsw = await requireVSwitchForEni(ctx, eni.vswitchId);
  const current = ((await privateIpsOf(ctx.tx, [eni.id])).get(eni.id) ?? []).length;
  const currentPrefixes = ((await ipv4PrefixRowsOf(ctx.tx, [eni.id])).get(eni.id) ?? []).length;
  const adding = input.addresses.length + input.count;
  const addingPrefixes = (input.ipv4Prefixes?.length ?? 0) + (input.ipv4PrefixCount ?? 0);
  assertIpv4EntryCount(current + adding, currentPrefixes + addingPrefixes, eni.status, instance?.type);
  const groups = await lockSecurityGroups(ctx, (await securityGroupsOf(ctx.tx, [eni.id])).get(eni.id) ?? [], eni.vpcId);
  // chosen: a prefix is not counted against a security group's 2,000 private IPs (the documents are silent).
  await assertSecurityGroupRoom(ctx, groups, adding);
  const allocated = [...(await allocateAddresses(ctx, vsw, input.addresses, 0, 'assign')), ...(await allocateAddresses(ctx, vsw, [], input.count, 'assign'))];
  await bindAddresses(ctx, vsw.id, eni.id, allocated, false);
  const prefixes = [
    ...(await allocateIpv4Prefixes(ctx, vsw, input.ipv4Prefixes ?? [], 0, 'assign')),
    ...(await allocateIpv4Prefixes(ctx, vsw, [], input.ipv4PrefixCount ?? 0, 'assign')),
  ];
  await bindIpv4Prefixes(ctx, vsw.id, eni.id, prefixes);
  return { eni, assigned: allocated.map((a) => a.address), assignedPrefixes: prefixes.sort((a, b) => a.firstInt - b.firstInt).map((p) => p.prefix) };
}

export async function unassignPrivateIps(ctx: ServiceContext, id: string, addresses: string[], ipv4Prefixes: string[] = []): Promise<void> {
  const { eni, instance } = await lockEniWithInstance(ctx, id);
  assertCanChangeIps(eni.status, eni.type, instance?.status);
  const held = new Map(((await privateIpsOf(ctx.tx, [eni.id])).get(eni.id) ?? []).map((ip) => [ip.address, ip]));
  const seen = new Set<string>();
  const release: number[] = [];
  for (const a of addresses) {
    if (seen.has(a)) throw EniErrors.ipRepeated(a);
    seen.add(a);
    const ip = held.get(a);
    // The primary address is not a secondary one: it cannot be unassigned.
    if (!ip || ip.isPrimary) throw EniErrors.ipUnassigned(a);
    release.push(ip.addressInt);
  }
  const heldPrefixes = new Map(((await ipv4PrefixRowsOf(ctx.tx, [eni.id])).get(eni.id) ?? []).map((p) => [p.prefix, p.firstInt]));
  const releasePrefixes: number[] = [];
  for (const p of ipv4Prefixes) {
    if (seen.has(p)) throw EniErrors.ipRepeated(p);
    seen.add(p);
    // Matched as written: a prefix the ENI holds is shown as its network address and /28.
    const first = heldPrefixes.get(p);
    if (first === undefined) throw EniErrors.ipUnassigned(p);
    releasePrefixes.push(first);
  }
  // An address with an EIP bound to it must be unassociated first.
  if (addresses.length > 0) await assertNoEipOnEni(ctx, eni, addresses);
  await requireVSwitchForEni(ctx, eni.vswitchId);
  await releaseAddresses(ctx, eni.vswitchId, release);
  await releaseIpv4Prefixes(ctx, eni.vswitchId, releasePrefixes);
}

/** The IPv6 entries (addresses and /80 prefixes) an ENI holds, as the per-ENI IPv6 limit counts them. */
export async function ipv6CountOf(ctx: ServiceContext, eniId: string): Promise<number> {
  const [a, p] = await Promise.all([ipv6AddressesOf(ctx.tx, [eniId]), ipv6PrefixesOf(ctx.tx, [eniId])]);
  return (a.get(eniId)?.length ?? 0) + (p.get(eniId)?.length ?? 0);
}

export async function requireInstanceForEni(ctx: ServiceContext, instanceId: string, lock = true): Promise<InstanceWithType> {
  const instance = await findInstance(ctx.tx, ctx.accountId, instanceId, ctx.now, lock);
  if (!instance || instance.regionId !== ctx.regionId) throw EniErrors.ecsNotFound(instanceId);
  return { instance, status: instanceStatus(instance, ctx.now), type: findInstanceType(instance.instanceType)! };
}

/** What the join rule counts of each ENI: its private IPv4 entries and its IPv6 ones. */
export interface JoinCounts {
  ipCount: number;
  ipv6Count: number;
}

/** The counts of several ENIs in a few reads (AttachNetworkInterface reads one; the console's candidate list many). */
export async function joinCountsOf(ctx: ServiceContext, enis: readonly Eni[]): Promise<Map<string, JoinCounts>> {
  const ids = enis.map((e) => e.id);
  const [ips, prefixes, v6, v6Prefixes] = await Promise.all([
    privateIpsOf(ctx.tx, ids),
    ipv4PrefixRowsOf(ctx.tx, ids),
    ipv6AddressesOf(ctx.tx, ids),
    ipv6PrefixesOf(ctx.tx, ids),
  ]);
  return new Map(
    ids.map((id) => [
      id,
      {
        // Each IPv4 prefix counts as one address toward the type's per-ENI limit ("IP prefixes").
        ipCount: (ips.get(id) ?? []).length + (prefixes.get(id) ?? []).length,
        ipv6Count: (v6.get(id) ?? []).length + (v6Prefixes.get(id) ?? []).length,
      },
    ]),
  );
}

/**
 * The one join check AttachNetworkInterface runs (domain/eni-rules.ts assertMayJoin) for `eni`
 * on `target`, which has `attached` ENIs; with `trunk`, as a member of it. The console's Bind
 * Secondary ENI list (console/views/attach-candidates.ts) runs this same check for each ENI.
 */
export function attachCheckOf(ctx: ServiceContext, eni: Eni, counts: JoinCounts, target: InstanceWithType, attached: readonly Eni[], trunk?: Eni): JoinCheck {
  return {
    eni: { ...eni, ...counts },
    instance: { ...placementOf(target.instance), status: target.status, type: target.type, ...instanceEniCounts(attached) },
    role: trunk ? 'member' : 'secondary',
    when: 'attach',
    locality: ctx.settings.attachLocality,
  };
}

/**
 * AttachNetworkInterface: a secondary or trunk ENI to the instance, or, with `trunkId`
 * (TrunkNetworkInstanceId), a secondary ENI to the instance's trunk as its member. The instance
 * row is locked first, so two attaches racing for the last ENI slot of an instance (on any
 * replica), its one trunk slot or one of its trunk's VLAN IDs are serialised and the second sees
 * the first; then the trunk (members only), then the ENI.
 */
export async function attachEni(ctx: ServiceContext, eniId: string, instanceId: string, trunkId?: string): Promise<void> {
  const target = await requireInstanceForEni(ctx, instanceId);
  const trunk = trunkId ? await requireEni(ctx, trunkId, true) : undefined;
  const eni = await requireEni(ctx, eniId, true);
  const attached = await enisOfInstance(ctx.tx, target.instance.id, ctx.now);
  const counts = await joinCountsOf(ctx, [eni]);
  if (trunk) assertTrunkOf(trunk, target.instance.id);
  assertMayJoin(attachCheckOf(ctx, eni, counts.get(eni.id)!, target, attached, trunk));
  const own = attached.filter((e) => e.trunkEniId === null);
  // An injected fault (eniplane faults add AsyncResult=Fail) makes the attach end back in Available, as eniNow then shows it: detached.
  const outcome = asyncOutcome(ctx.asyncFault, 'InUse', 'Available', ctx.settings.delays.eniAttach);
  if (!outcome) return;
  await updateEni(ctx.tx, eni.id, {
    ...transition('Attaching', outcome.to, outcome.delayMs, ctx.now),
    instanceId: target.instance.id,
    // A member's DeviceIndex is its VLAN ID on the trunk (trunk-rules.ts); the others number the instance's NICs.
    deviceIndex: trunk
      ? nextVlanId(attached.filter((e) => e.trunkEniId === trunk.id).map((e) => e.deviceIndex))
      : nextDeviceIndex(own.map((e) => e.deviceIndex ?? 0)),
    trunkEniId: trunk?.id ?? null,
  });
}

/**
 * DetachNetworkInterface; `trunkId` (TrunkNetworkInstanceId), when given, must be the trunk the
 * ENI is a member of. A trunk with members stays (InvalidOperation.EniLinked): the instance lock
 * keeps a member from joining it meanwhile.
 */
export async function detachEni(ctx: ServiceContext, eniId: string, instanceId: string, trunkId?: string): Promise<void> {
  const target = await requireInstanceForEni(ctx, instanceId);
  const eni = await requireEni(ctx, eniId, true);
  // An ENI attached elsewhere (or nowhere) is not this instance's to detach.
  if (eni.instanceId !== target.instance.id && eni.type !== 'Primary') throw EniErrors.invalidEniState('InUse', eni.status);
  assertDetachTrunkMatches(eni, trunkId);
  if (assertCanDetach({ status: eni.status, type: eni.type }, { status: target.status, type: target.type }) === 'again') return;
  if (eni.type === 'Trunk') assertNoMembers(eni.id, (await membersOfTrunks(ctx.tx, [eni.id], ctx.now)).length);
  // An injected fault (eniplane faults add AsyncResult=Fail, AsyncDelayMs) makes the detach end back in InUse, or last longer.
  const outcome = asyncOutcome(ctx.asyncFault, 'Available', 'InUse', ctx.settings.delays.eniDetach);
  if (!outcome) return;
  await updateEni(
    ctx.tx,
    eni.id,
    outcome.delayMs <= 0
      ? { status: 'Available', nextStatus: null, transitionAt: null, instanceId: null, deviceIndex: null, trunkEniId: null }
      : transition('Detaching', outcome.to, outcome.delayMs, ctx.now),
  );
}

/** The members of each trunk among these ENIs, by VLAN ID (DescribeNetworkInterfaceAttribute Attribute=attachment). */
export async function membersOf(ctx: ServiceContext, enis: readonly Eni[]): Promise<Map<string, string[]>> {
  const trunks = enis.filter((e) => e.type === 'Trunk').map((e) => e.id);
  const map = new Map<string, string[]>(trunks.map((id) => [id, []]));
  for (const m of await membersOfTrunks(ctx.tx, trunks, ctx.now)) map.get(m.trunkEniId!)?.push(m.id);
  return map;
}

export interface EniPage {
  items: { details: EniDetails; eips: EipBinding[]; tags: Tag[] }[];
  total: number;
  nextToken: string;
}

function encodeCursor(eni: Eni): string {
  return Buffer.from(`AAAA${eni.createdAt}.${eni.id}`).toString('base64url');
}

function decodeCursor(token: string): EniCursor {
  const m = /^AAAA(\d+)\.(eni-[a-z0-9]+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!m) throw CommonErrors.invalidParameter('NextToken', 'The token is not one this server issued.');
  return { createdAt: Number(m[1]), id: m[2]! };
}

/**
 * DescribeNetworkInterfaces in (creation time, ID) order. NextToken pages are keyset pages, so a
 * deep page costs what the first does; PageNumber pages use an offset, as the deprecated style does.
 */
export async function describeEnis(
  ctx: ServiceContext,
  q: Omit<EniQuery, 'accountId' | 'regionId'>,
  page: { style: 'token'; limit: number; nextToken?: string } | { style: 'page'; limit: number; offset: number },
): Promise<EniPage> {
  const query: EniQuery = { ...q, accountId: ctx.accountId, regionId: ctx.regionId };
  const enis =
    page.style === 'token'
      ? await listEnis(ctx.tx, query, ctx.now, { limit: page.limit + 1, ...(page.nextToken ? { after: decodeCursor(page.nextToken) } : {}) })
      : await listEnis(ctx.tx, query, ctx.now, { limit: page.limit, offset: page.offset });
  const more = page.style === 'token' && enis.length > page.limit;
  const shown = more ? enis.slice(0, page.limit) : enis;
  // A first page that holds every match is its own count.
  const firstPage = page.style === 'token' ? !page.nextToken : page.offset === 0;
  const complete = firstPage && (page.style === 'token' ? !more : enis.length < page.limit);
  const total = complete ? enis.length : await countEnis(ctx.tx, query, ctx.now);
  const details = await detailsOf(ctx, shown);
  const eips = await eipsOfEnis(
    ctx.tx,
    details.map((d) => d.eni),
    ctx.now,
  );
  const tags = await tagsOf(
    ctx.tx,
    shown.map((e) => e.id),
  );
  return {
    items: details.map((d) => ({ details: d, eips: eips.get(d.eni.id) ?? [], tags: tags.get(d.eni.id) ?? [] })),
    total,
    nextToken: more ? encodeCursor(shown[shown.length - 1]!) : '',
  };
}
