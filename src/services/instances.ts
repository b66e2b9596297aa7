import { ipv6Entries, type Ipv6Request } from './ipv6-addresses.ts';
import type { ServiceContext } from './context.ts';
import {
  assertEniQuota,
  assertMayJoin,
  assertSecondaryEnisNow,
  checkQueueNumber,
  placementOf,
  type JoinedInstance,
  type TrafficMode,
} from '../domain/eni-rules.ts';
import { newResourceId } from '../domain/ids.ts';
import { findImage } from '../domain/images.ts';
import { defaultHostName, instanceStatus, instanceTimeline, isValidHostName } from '../domain/instance-lifecycle.ts';
import { findInstanceType, type InstanceTypeSpec } from '../domain/instance-types.ts';
import type { Tag } from '../domain/tags.ts';
import { checkEcsDescription, checkEcsName } from '../domain/text-rules.ts';
import { CommonErrors } from '../errors/common.ts';
import { EniErrors } from '../errors/ecs/enis.ts';
import { InstanceErrors } from '../errors/ecs/instances.ts';
import { EcsResourceGroupErrors } from '../errors/resourcemanager/resource-groups.ts';
import { resourceGroupForNew } from './resource-groups.ts';
import {
  eipsOfEnis,
  enisOfInstance,
  enisOfInstances,
  privateIpsOf,
  removeEniSecurityGroup,
  securityGroupsOf,
  setEniSecurityGroups,
  updateEni,
} from '../store/repos/enis.ts';
import { deleteInstanceRow, findInstance, insertInstance, listInstances, updateInstance, type InstanceQuery } from '../store/repos/instances.ts';
import type { Eni } from '../domain/models/eni.ts';
import type { Instance } from '../domain/models/instance.ts';
import { unbindEipsOf } from '../store/repos/eips.ts';
import { releasePublicAddressesOf } from '../store/repos/public-addresses.ts';
import { findSecurityGroup } from '../store/repos/security-groups.ts';
import { tagsOf, upsertTags } from '../store/repos/tags.ts';
import { deleteRamRole } from '../store/repos/ram-roles.ts';
import { attachRoleToNewInstance, requireRoleName } from './ram-roles.ts';
import { ipv4PrefixRowsOf } from '../store/repos/ipv4-prefixes.ts';
import {
  assertSecurityGroupRoom,
  createEni,
  destroyEni,
  detailsOf,
  eniNow,
  lockSecurityGroups,
  requireEni,
  requireVSwitchForEni,
  ipv6CountOf,
  type GroupErrors,
} from './enis.ts';

export interface NetworkInterfaceSpec {
  role: 'Primary' | 'Secondary';
  networkInterfaceId?: string;
  vswitchId?: string;
  securityGroupIds?: string[];
  primaryIp?: string;
  secondaryCount?: number;
  name?: string;
  description?: string;
  deleteOnRelease?: boolean;
  sourceDestCheck?: boolean;
  queueNumber?: number;
  trafficMode?: TrafficMode;
  /** IPv6 addresses of a new primary ENI (NetworkInterface.N.Ipv6Address / Ipv6AddressCount: Primary only). */
  ipv6?: Ipv6Request;
}

export interface RunInstanceInput {
  instanceType: string;
  imageId: string;
  zoneId?: string;
  vswitchId?: string;
  securityGroupIds?: string[];
  privateIp?: string;
  /** IPv6 addresses of the new primary ENI (top-level Ipv6Address.N / Ipv6AddressCount). */
  ipv6?: Ipv6Request;
  networkInterfaces: NetworkInterfaceSpec[];
  name?: string;
  hostName?: string;
  description?: string;
  tags: Tag[];
  deletionProtection: boolean;
  metadata: { httpEndpoint: string; httpTokens: string; hopLimit: number };
  /** RamRoleName: the instance RAM role its metadata service serves credentials for. */
  ramRoleName?: string;
  attributes: Record<string, unknown>;
  /** RunInstances ends Running, CreateInstance ends Stopped. */
  start: boolean;
  /** As the caller sent it; the instance's ENIs created with it join the same group. */
  resourceGroupId?: string;
}

export function requireInstanceType(id: string): InstanceTypeSpec {
  const type = findInstanceType(id);
  if (!type) throw InstanceErrors.typeNotSupported(id);
  return type;
}

/**
 * An instance of the caller. Actions without RegionId (StartInstance, StopInstance, RebootInstance,
 * DeleteInstance) find it in any region: instance IDs are unique across regions.
 */
export async function requireInstance(ctx: ServiceContext, id: string, lock = false, anyRegion = false): Promise<Instance & { effective: string }> {
  const inst = await findInstance(ctx.tx, ctx.accountId, id, ctx.now, lock);
  if (!inst || (!anyRegion && inst.regionId !== ctx.regionId)) throw EniErrors.instanceNotFound(id);
  return { ...inst, effective: instanceStatus(inst, ctx.now) };
}

/** Security group problems in the instance actions answer with RunInstances' codes. */
const INSTANCE_GROUP_ERRORS: GroupErrors = {
  vpcMismatch: (sg, sgVpc, vpc) => InstanceErrors.mismatch(`security group ${sg} is in ${sgVpc}, the instance's network in ${vpc}`),
  tooMany: (n) => InstanceErrors.joinedGroupLimit(n),
};

/** The checks of RunInstances / CreateInstance that need no database: type, image, texts, the shape of NetworkInterface.N. */
function checkRunInput(
  input: RunInstanceInput,
  privateIp: string | undefined,
): { type: InstanceTypeSpec; primarySpec?: NetworkInterfaceSpec; secondarySpecs: NetworkInterfaceSpec[] } {
  const type = requireInstanceType(input.instanceType);
  if (input.ramRoleName !== undefined) requireRoleName(input.ramRoleName);
  const image = findImage(input.imageId);
  if (!image) throw InstanceErrors.imageNotFound(input.imageId);
  checkEcsName(input.name, InstanceErrors.nameMalformed);
  checkEcsDescription(input.description, EniErrors.descriptionMalformed);
  if (input.hostName !== undefined && input.hostName !== '' && !isValidHostName(input.hostName, image.osType)) throw InstanceErrors.hostNameMalformed();
  const primaries = input.networkInterfaces.filter((n) => n.role === 'Primary');
  const secondarySpecs = input.networkInterfaces.filter((n) => n.role === 'Secondary');
  if (primaries.length > 1) throw InstanceErrors.networkInterfaceParam('at most one ENI can be the primary one.');
  const primarySpec = primaries[0];
  if (primarySpec && (input.vswitchId || input.securityGroupIds?.length || privateIp)) {
    // The console: choosing the instance's security groups creates a new primary ENI, so an existing ENI cannot be the primary one then.
    throw InstanceErrors.networkInterfaceParam(
      'with NetworkInterface.N.InstanceType=Primary, leave out the top-level VSwitchId, SecurityGroupId(s) and PrivateIpAddress.',
    );
  }
  if (primarySpec && input.ipv6) {
    throw InstanceErrors.networkInterfaceParam('with NetworkInterface.N.InstanceType=Primary, give its IPv6 addresses there, not at the top level.');
  }
  // RunInstances' IPv6 parameters are the primary ENI's only (NetworkInterface.N.Ipv6Address: "Primary only").
  if (secondarySpecs.some((n) => n.ipv6) || (primarySpec?.networkInterfaceId && primarySpec.ipv6)) {
    throw InstanceErrors.networkInterfaceParam('IPv6 addresses can be given for a new primary ENI only; assign them to other ENIs with AssignIpv6Addresses.');
  }
  for (const spec of input.networkInterfaces) {
    const traffic = spec.sourceDestCheck !== undefined || spec.queueNumber !== undefined || spec.trafficMode !== undefined;
    if (
      spec.networkInterfaceId &&
      (spec.vswitchId || spec.securityGroupIds?.length || spec.primaryIp || spec.secondaryCount || spec.name || spec.description || traffic)
    ) {
      throw InstanceErrors.networkInterfaceParam(
        'an existing ENI (NetworkInterfaceId) takes no VSwitchId, security groups, addresses, name, description or traffic settings.',
      );
    }
  }
  // Every secondary ENI must have room on the new instance: refused before anything is created.
  assertEniQuota(type, 1, secondarySpecs.length);
  if (secondarySpecs.length > 0) assertSecondaryEnisNow(type, undefined, 'launch');
  return { type, primarySpec, secondarySpecs };
}

/**
 * Creates one instance with its ENIs. The primary ENI is new (from VSwitchId, security groups and
 * PrivateIpAddress, or NetworkInterface.N with InstanceType=Primary) or an existing Available
 * ENI, whose address, MAC and security groups the instance inherits. Each ENI, new or existing,
 * primary or secondary, is checked by the join rule AttachNetworkInterface uses (eni-rules.ts
 * assertMayJoin) before it joins: a new one with the addresses and traffic settings it will be
 * created with, so nothing is allocated for an ENI that could not join.
 */
export async function runInstance(ctx: ServiceContext, input: RunInstanceInput, privateIp: string | undefined): Promise<string> {
  const { type, primarySpec, secondarySpecs } = checkRunInput(input, privateIp);

  const resourceGroupId = await resourceGroupForNew(ctx, input.resourceGroupId, EcsResourceGroupErrors.notFound);
  const id = newResourceId('i', ctx.regionId, ctx.random);
  // Addresses the secondary ENIs ask for by name: the ENIs created before them must not pick them.
  const named = new Set(secondarySpecs.filter((n) => !n.networkInterfaceId && n.primaryIp).map((n) => n.primaryIp!));
  // The primary ENI decides the instance's network placement.
  let primary: Eni;
  if (primarySpec?.networkInterfaceId) {
    const eni = await requireEni(ctx, primarySpec.networkInterfaceId, true);
    assertMayJoin({
      eni: { ...eni, ipCount: await ipCountOf(ctx, eni.id), ipv6Count: await ipv6CountOf(ctx, eni.id) },
      // The primary ENI is where the instance will be.
      instance: { ...placementOf(eni), status: undefined, type, eniCount: 0 },
      role: 'primary',
      when: 'launch',
      locality: ctx.settings.attachLocality,
    });
    primary = eni;
  } else {
    const vswitchId = primarySpec?.vswitchId ?? input.vswitchId;
    const groups = primarySpec?.securityGroupIds ?? input.securityGroupIds;
    if (!vswitchId) throw InstanceErrors.vswitchRequired();
    if (!groups?.length) throw CommonErrors.missingParameter('SecurityGroupId');
    const vsw = await requireVSwitchForEni(ctx, vswitchId);
    if (input.zoneId && input.zoneId !== vsw.zoneId) throw InstanceErrors.mismatch(`the vSwitch ${vsw.id} is in ${vsw.zoneId}, not ${input.zoneId}`);
    const placement = { vpcId: vsw.vpcId, vswitchId: vsw.id, zoneId: vsw.zoneId };
    checkQueueNumber(primarySpec?.queueNumber);
    const ipv6 = primarySpec?.ipv6 ?? input.ipv6;
    assertMayJoin({
      eni: {
        ...newEniTraffic(primarySpec),
        ...placement,
        type: 'Primary',
        status: undefined,
        ipCount: 1 + (primarySpec?.secondaryCount ?? 0),
        ipv6Count: ipv6 ? ipv6Entries(ipv6) : 0,
      },
      instance: { ...placement, status: undefined, type, eniCount: 0 },
      role: 'primary',
      when: 'launch',
      locality: ctx.settings.attachLocality,
    });
    const created = await createEni(ctx, {
      reservedForLater: named,
      vswitchId,
      securityGroupIds: groups,
      primaryIp: primarySpec?.primaryIp ?? privateIp,
      secondaryIps: [],
      secondaryCount: primarySpec?.secondaryCount ?? 0,
      tags: [],
      deleteOnRelease: true,
      sourceDestCheck: primarySpec?.sourceDestCheck,
      queueNumber: primarySpec?.queueNumber,
      trafficMode: primarySpec?.trafficMode,
      type: 'Primary',
      ipv6,
      instance: { id, deviceIndex: 0, type },
      codes: 'instance',
      groupErrors: INSTANCE_GROUP_ERRORS,
      resourceGroupId,
    });
    primary = created.eni;
  }
  if (input.zoneId && input.zoneId !== primary.zoneId) throw InstanceErrors.mismatch(`the primary ENI is in ${primary.zoneId}, not ${input.zoneId}`);

  const hold = ctx.settings.delays.instanceCreate;
  const instance: Instance = {
    id,
    accountId: ctx.accountId,
    regionId: ctx.regionId,
    zoneId: primary.zoneId,
    vpcId: primary.vpcId,
    vswitchId: primary.vswitchId,
    instanceType: type.instanceTypeId,
    imageId: input.imageId,
    name: input.name || id,
    hostName: input.hostName || defaultHostName(id),
    description: input.description ?? '',
    ...instanceTimeline(
      input.start
        ? [
            { status: 'Pending', holdMs: hold },
            { status: 'Starting', holdMs: hold },
            { status: 'Running', holdMs: 0 },
          ]
        : [
            { status: 'Pending', holdMs: hold },
            { status: 'Stopped', holdMs: 0 },
          ],
      ctx.now,
    ),
    deletionProtection: input.deletionProtection,
    httpEndpoint: input.metadata.httpEndpoint,
    httpTokens: input.metadata.httpTokens,
    httpPutResponseHopLimit: input.metadata.hopLimit,
    // RunInstances has no such parameter; ModifyInstanceMetadataOptions turns it on.
    instanceMetadataTags: 'disabled',
    attributes: input.attributes,
    createdAt: ctx.now,
    startedAt: input.start ? ctx.now : null,
    publicIp: null,
    resourceGroupId,
  };
  await insertInstance(ctx.tx, instance);
  if (input.ramRoleName !== undefined) await attachRoleToNewInstance(ctx, id, input.ramRoleName);
  if (primarySpec?.networkInterfaceId) {
    // An existing ENI becomes the primary one: its address, MAC and groups are the instance's now.
    await updateEni(ctx.tx, primary.id, { type: 'Primary', status: 'InUse', nextStatus: null, transitionAt: null, instanceId: id, deviceIndex: 0 });
  }
  const instanceGroups = (await securityGroupsOf(ctx.tx, [primary.id])).get(primary.id) ?? [];
  // The new instance as the join rule sees it; eniCount grows as each secondary ENI joins.
  const joined: JoinedInstance = { ...placementOf(instance), status: undefined, type, eniCount: 1 };

  for (const spec of secondarySpecs) {
    const deviceIndex = joined.eniCount;
    if (spec.networkInterfaceId) {
      const eni = await requireEni(ctx, spec.networkInterfaceId, true);
      assertMayJoin({
        eni: { ...eni, ipCount: await ipCountOf(ctx, eni.id), ipv6Count: await ipv6CountOf(ctx, eni.id) },
        instance: joined,
        role: 'secondary',
        when: 'launch',
        locality: ctx.settings.attachLocality,
      });
      await updateEni(ctx.tx, eni.id, { status: 'InUse', nextStatus: null, transitionAt: null, instanceId: id, deviceIndex });
    } else {
      const vsw = spec.vswitchId ? await requireVSwitchForEni(ctx, spec.vswitchId) : undefined;
      const placement = vsw ? { vpcId: vsw.vpcId, vswitchId: vsw.id, zoneId: vsw.zoneId } : placementOf(instance);
      checkQueueNumber(spec.queueNumber);
      assertMayJoin({
        eni: { ...newEniTraffic(spec), ...placement, type: 'Secondary', status: undefined, ipCount: 1 + (spec.secondaryCount ?? 0) },
        instance: joined,
        role: 'secondary',
        when: 'launch',
        locality: ctx.settings.attachLocality,
      });
      if (spec.primaryIp) named.delete(spec.primaryIp);
      await createEni(ctx, {
        reservedForLater: named,
        vswitchId: spec.vswitchId ?? instance.vswitchId,
        securityGroupIds: spec.securityGroupIds ?? instanceGroups,
        primaryIp: spec.primaryIp,
        secondaryIps: [],
        secondaryCount: spec.secondaryCount ?? 0,
        name: spec.name,
        description: spec.description,
        tags: [],
        deleteOnRelease: spec.deleteOnRelease ?? true,
        sourceDestCheck: spec.sourceDestCheck,
        queueNumber: spec.queueNumber,
        trafficMode: spec.trafficMode,
        type: 'Secondary',
        instance: { id, deviceIndex, type },
        codes: 'instance',
        groupErrors: INSTANCE_GROUP_ERRORS,
        resourceGroupId,
      });
    }
    joined.eniCount++;
  }
  await upsertTags(ctx.tx, { accountId: ctx.accountId, regionId: ctx.regionId }, 'instance', id, input.tags, ctx.now);
  return id;
}

/** The traffic settings a new ENI of the request will have (createEni's defaults). */
function newEniTraffic(spec: NetworkInterfaceSpec | undefined): { queueNumber: number | null; trafficMode: TrafficMode } {
  return { queueNumber: spec?.queueNumber ?? null, trafficMode: spec?.trafficMode ?? 'Standard' };
}

/** What an existing ENI brings to the per-ENI limit: its addresses, and its IPv4 prefixes at one each ("IP prefixes"). */
async function ipCountOf(ctx: ServiceContext, eniId: string): Promise<number> {
  return ((await privateIpsOf(ctx.tx, [eniId])).get(eniId) ?? []).length + ((await ipv4PrefixRowsOf(ctx.tx, [eniId])).get(eniId) ?? []).length;
}

function setStatus(ctx: ServiceContext, id: string, stages: { status: string; holdMs: number }[]) {
  return updateInstance(ctx.tx, id, instanceTimeline(stages, ctx.now));
}

export async function startInstance(ctx: ServiceContext, id: string): Promise<void> {
  const inst = await requireInstance(ctx, id, true, true);
  if (inst.effective !== 'Stopped') throw InstanceErrors.incorrectStatus(inst.effective);
  await setStatus(ctx, id, [
    { status: 'Starting', holdMs: ctx.settings.delays.instanceStart },
    { status: 'Running', holdMs: 0 },
  ]);
  await updateInstance(ctx.tx, id, { startedAt: ctx.now });
}

export async function stopInstance(ctx: ServiceContext, id: string): Promise<void> {
  const inst = await requireInstance(ctx, id, true, true);
  if (inst.effective !== 'Running') throw InstanceErrors.incorrectStatus(inst.effective);
  await setStatus(ctx, id, [
    { status: 'Stopping', holdMs: ctx.settings.delays.instanceStop },
    { status: 'Stopped', holdMs: 0 },
  ]);
}

export async function rebootInstance(ctx: ServiceContext, id: string): Promise<void> {
  const inst = await requireInstance(ctx, id, true, true);
  if (inst.effective !== 'Running') throw InstanceErrors.incorrectStatus(inst.effective);
  await setStatus(ctx, id, [
    { status: 'Stopping', holdMs: ctx.settings.delays.instanceStop },
    { status: 'Starting', holdMs: ctx.settings.delays.instanceStart },
    { status: 'Running', holdMs: 0 },
  ]);
  await updateInstance(ctx.tx, id, { startedAt: ctx.now });
}

/**
 * DeleteInstance: Stopped, or any settled state with Force. ENIs with DeleteOnRelease go with it;
 * the others stay, Available, a retained primary ENI becoming a secondary one. EIPs stay allocated.
 * Trunk members leave their trunk first (chosen: the cloud does not document the order), then the
 * same DeleteOnRelease rule applies to them and to the trunk: a kept member is a plain Available
 * secondary ENI, a kept trunk an Available trunk ENI, and no row names a trunk or instance that is gone.
 */
export async function deleteInstance(ctx: ServiceContext, id: string, force: boolean): Promise<void> {
  const inst = await requireInstance(ctx, id, true, true);
  // The ENI helpers below work in the instance's region.
  ctx = { ...ctx, regionId: inst.regionId };
  if (inst.deletionProtection) throw InstanceErrors.deletionProtection();
  const settled = inst.effective === 'Stopped' || (force && (inst.effective === 'Running' || inst.effective === 'Stopped'));
  if (!settled) throw InstanceErrors.incorrectStatus(inst.effective);
  const attached = await enisOfInstance(ctx.tx, id, ctx.now);
  // Members first, then the instance's own ENIs (the trunk among them).
  attached.sort((a, b) => Number(b.trunkEniId !== null) - Number(a.trunkEniId !== null));
  for (const one of attached) {
    const eni = eniNow(one, ctx.now);
    if (eni.deleteOnRelease) {
      await unbindEipsOf(ctx.tx, [eni.id]);
      await destroyEni(ctx, eni, 0);
    } else {
      // A retained ENI keeps the EIPs associated with it ("Set the release behavior of an ENI").
      await updateEni(ctx.tx, eni.id, {
        type: eni.type === 'Trunk' ? 'Trunk' : 'Secondary',
        status: 'Available',
        nextStatus: null,
        transitionAt: null,
        instanceId: null,
        deviceIndex: null,
        trunkEniId: null,
      });
    }
  }
  // EIPs associated with the instance itself are unassociated and stay allocated.
  await unbindEipsOf(ctx.tx, [id]);
  await deleteRamRole(ctx.tx, id);
  // Its public IP (RunInstances with bandwidth, AllocatePublicIpAddress) is released with it.
  await releasePublicAddressesOf(ctx.tx, [id]);
  await deleteInstanceRow(ctx.tx, id);
}

async function primaryEniOf(ctx: ServiceContext, instanceId: string): Promise<Eni> {
  const primary = (await enisOfInstance(ctx.tx, instanceId, ctx.now)).find((e) => e.type === 'Primary');
  if (!primary) throw EniErrors.instanceNotFound(instanceId);
  return eniNow(primary, ctx.now);
}

/**
 * The instance's security groups are its primary ENI's: replace them (ModifyInstanceAttribute
 * SecurityGroupIds.N). Joining groups must have room for the primary ENI's addresses.
 */
export async function setInstanceSecurityGroups(ctx: ServiceContext, id: string, groupIds: readonly string[]): Promise<void> {
  const inst = await requireInstance(ctx, id, true, true);
  ctx = { ...ctx, regionId: inst.regionId };
  const primary = await primaryEniOf(ctx, inst.id);
  const groups = await lockSecurityGroups(ctx, groupIds, primary.vpcId, {
    vpcMismatch: () => InstanceErrors.securityGroupMismatch(),
    tooMany: (n) => InstanceErrors.joinedGroupLimit(n),
  });
  const current = new Set((await securityGroupsOf(ctx.tx, [primary.id])).get(primary.id) ?? []);
  const ipCount = ((await privateIpsOf(ctx.tx, [primary.id])).get(primary.id) ?? []).length;
  await assertSecurityGroupRoom(
    ctx,
    groups.filter((g) => !current.has(g.id)),
    ipCount,
  );
  await setEniSecurityGroups(
    ctx.tx,
    primary.id,
    groups.map((g) => g.id),
  );
}

export interface InstanceChanges {
  name?: string;
  description?: string;
  hostName?: string;
  deletionProtection?: boolean;
  securityGroupIds?: string[];
}

/**
 * ModifyInstanceAttribute. A new host name needs an instance that is not Pending or Starting
 * (it takes effect at the next console or API restart on the cloud).
 */
export async function modifyInstance(ctx: ServiceContext, id: string, changes: InstanceChanges): Promise<void> {
  const inst = await requireInstance(ctx, id, true, true);
  checkEcsName(changes.name, InstanceErrors.nameMalformed);
  checkEcsDescription(changes.description, EniErrors.descriptionMalformed);
  const hostName = changes.hostName === '' ? undefined : changes.hostName;
  if (hostName !== undefined) {
    if (!isValidHostName(hostName, findImage(inst.imageId)?.osType ?? 'linux')) throw InstanceErrors.hostNameMalformed();
    if (inst.effective === 'Pending' || inst.effective === 'Starting') throw InstanceErrors.incorrectStatus(inst.effective);
  }
  if (changes.securityGroupIds !== undefined) await setInstanceSecurityGroups(ctx, inst.id, changes.securityGroupIds);
  await updateInstance(ctx.tx, inst.id, {
    ...(changes.name !== undefined && changes.name !== '' && { name: changes.name }),
    ...(changes.description !== undefined && { description: changes.description }),
    ...(hostName !== undefined && { hostName }),
    ...(changes.deletionProtection !== undefined && { deletionProtection: changes.deletionProtection }),
  });
}

export interface MetadataOptionChanges {
  httpEndpoint?: string;
  httpTokens?: string;
  hopLimit?: number;
  instanceMetadataTags?: string;
}

/**
 * ModifyInstanceMetadataOptions: what is given changes, what is left out stays (the SDK gives
 * defaults only for instance creation). Any settled or transient state is accepted, and the
 * metadata service applies the change from the next request on.
 */
export async function modifyMetadataOptions(ctx: ServiceContext, id: string, changes: MetadataOptionChanges): Promise<void> {
  const inst = await requireInstance(ctx, id, true);
  await updateInstance(ctx.tx, inst.id, {
    ...(changes.httpEndpoint !== undefined && { httpEndpoint: changes.httpEndpoint }),
    ...(changes.httpTokens !== undefined && { httpTokens: changes.httpTokens }),
    ...(changes.hopLimit !== undefined && { httpPutResponseHopLimit: changes.hopLimit }),
    ...(changes.instanceMetadataTags !== undefined && { instanceMetadataTags: changes.instanceMetadataTags }),
  });
}

/**
 * JoinSecurityGroup / LeaveSecurityGroup for an instance (through its primary ENI) or a
 * secondary ENI, with the codes of the cloud's pages for each case.
 */
export async function changeMembership(ctx: ServiceContext, target: { instanceId: string } | { eniId: string }, groupId: string, join: boolean): Promise<void> {
  let eni: Eni;
  const forInstance = 'instanceId' in target;
  if (forInstance) {
    const inst = await requireInstance(ctx, target.instanceId, true, true);
    ctx = { ...ctx, regionId: inst.regionId };
    if (inst.effective !== 'Running' && inst.effective !== 'Stopped') throw InstanceErrors.incorrectStatus(inst.effective);
    eni = await primaryEniOf(ctx, inst.id);
  } else {
    eni = await requireEni(ctx, target.eniId, true);
    if (eni.type === 'Primary') throw EniErrors.eniTypeNotAllowed("The security groups of a primary ENI are its instance's; use InstanceId.");
    if (eni.status !== 'Available' && eni.status !== 'InUse') throw EniErrors.invalidEniState('Available or InUse', eni.status);
  }
  // Leaving locks the group (a DeleteSecurityGroup counting its members waits); joining locks it
  // below with the ENI's other groups, all in ID order: locking the new group first deadlocked
  // against a join going the other way between the same two groups (test/api/lock-order.test.ts).
  const group = await findSecurityGroup(ctx.tx, { accountId: ctx.accountId, regionId: ctx.regionId }, groupId, !join);
  if (!group) throw EniErrors.securityGroupNotFound(groupId);
  const current = (await securityGroupsOf(ctx.tx, [eni.id])).get(eni.id) ?? [];
  if (join) {
    if (group.vpcId !== eni.vpcId) {
      throw forInstance
        ? InstanceErrors.securityGroupMismatch()
        : EniErrors.vpcMismatch(`security group ${groupId} is in ${group.vpcId}, the ENI in ${eni.vpcId}`);
    }
    if (current.includes(groupId)) throw InstanceErrors.alreadyInSecurityGroup();
    if (current.length >= ctx.settings.quotas.securityGroupsPerEni) throw InstanceErrors.securityGroupLimit(ctx.settings.quotas.securityGroupsPerEni);
    const groups = await lockSecurityGroups(ctx, [...current, groupId], eni.vpcId);
    const ipCount = ((await privateIpsOf(ctx.tx, [eni.id])).get(eni.id) ?? []).length;
    await assertSecurityGroupRoom(
      ctx,
      groups.filter((g) => g.id === groupId),
      ipCount,
      InstanceErrors.securityGroupFull,
    );
    await setEniSecurityGroups(ctx.tx, eni.id, [...current, groupId]);
  } else {
    if (!current.includes(groupId)) throw InstanceErrors.notInSecurityGroup(groupId);
    if (current.length === 1) throw InstanceErrors.lastSecurityGroup();
    // Only the one membership goes: rewriting the others would take a foreign-key share lock on
    // each remaining group, and a leave crossing this one (the other ENI leaving our group, which
    // it holds) would deadlock against it on PostgreSQL.
    await removeEniSecurityGroup(ctx.tx, eni.id, groupId);
  }
}

/** DescribeInstances: instances with their ENIs (primary first), addresses, groups, EIPs and tags. */
export async function describeInstances(ctx: ServiceContext, q: Omit<InstanceQuery, 'accountId' | 'regionId'>, window: { offset: number; limit: number }) {
  const { instances, total } = await listInstances(ctx.tx, { ...q, accountId: ctx.accountId, regionId: ctx.regionId }, ctx.now, window);
  const ids = instances.map((i) => i.id);
  const enis = await detailsOf(ctx, await enisOfInstances(ctx.tx, ids, ctx.now));
  const eips = await eipsOfEnis(
    ctx.tx,
    enis.map((d) => d.eni),
    ctx.now,
  );
  const tags = await tagsOf(ctx.tx, ids);
  const views = instances.map((instance) => {
    // The instance's NICs: trunk members are VLAN sub-interfaces of its trunk (DescribeNetworkInterfaces Type=Member lists them).
    const mine = enis
      .filter((e) => e.eni.instanceId === instance.id && e.eni.trunkEniId === null)
      .sort((a, b) => (a.eni.deviceIndex ?? 0) - (b.eni.deviceIndex ?? 0));
    return {
      instance,
      status: instanceStatus(instance, ctx.now),
      enis: mine,
      eips: mine.flatMap((e) => eips.get(e.eni.id) ?? []),
      tags: tags.get(instance.id) ?? [],
    };
  });
  return { views, total };
}

/** DescribeInstanceAttribute: one instance, found in any region (the action takes no RegionId). */
export async function describeInstance(ctx: ServiceContext, id: string) {
  const inst = await requireInstance(ctx, id, false, true);
  const { views } = await describeInstances({ ...ctx, regionId: inst.regionId }, { ids: [inst.id] }, { offset: 0, limit: 1 });
  return views[0]!;
}

/** DescribeInstanceStatus: IDs and statuses, in creation order. */
export async function describeInstanceStatuses(
  ctx: ServiceContext,
  q: { ids?: readonly string[]; zoneId?: string },
  window: { offset: number; limit: number },
) {
  const { instances, total } = await listInstances(ctx.tx, { ...q, accountId: ctx.accountId, regionId: ctx.regionId }, ctx.now, window);
  return { statuses: instances.map((i) => ({ id: i.id, status: instanceStatus(i, ctx.now) })), total };
}
