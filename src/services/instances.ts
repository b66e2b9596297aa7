import type { ServiceContext } from './context.ts';
import { MAX_IPS_PER_ENI, assertPlacement, assertTrafficFitsType, type TrafficMode } from '../domain/eni-rules.ts';
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
  type EniRow,
} from '../store/repos/enis.ts';
import {
  deleteInstanceRow,
  findInstance,
  insertInstance,
  listInstances,
  updateInstance,
  type InstanceQuery,
  type InstanceRow,
} from '../store/repos/instances.ts';
import { unbindEipsOf } from '../store/repos/eips.ts';
import { releasePublicAddressesOf } from '../store/repos/public-addresses.ts';
import { findSecurityGroup } from '../store/repos/security-groups.ts';
import { tagsOf, upsertTags } from '../store/repos/tags.ts';
import { deleteRamRole } from '../store/repos/ram-roles.ts';
import { attachRoleToNewInstance, requireRoleName } from './ram-roles.ts';
import {
  assertSecurityGroupRoom,
  createEni,
  destroyEni,
  detailsOf,
  eniNow,
  lockSecurityGroups,
  requireEni,
  requireVSwitchForEni,
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
}

export interface RunInstanceInput {
  instanceType: string;
  imageId: string;
  zoneId?: string;
  vswitchId?: string;
  securityGroupIds?: string[];
  privateIp?: string;
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
export async function requireInstance(ctx: ServiceContext, id: string, lock = false, anyRegion = false): Promise<InstanceRow & { effective: string }> {
  const row = await findInstance(ctx.tx, ctx.accountId, id, ctx.now, lock);
  if (!row || (!anyRegion && row.region_id !== ctx.regionId)) throw EniErrors.instanceNotFound(id);
  return { ...row, effective: instanceStatus(row, ctx.now) };
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
  if (1 + secondarySpecs.length > type.eniQuantity) throw EniErrors.eniPerInstance(type.eniQuantity, type.instanceTypeId);
  if (secondarySpecs.length > 0 && !type.hotPlug) throw InstanceErrors.secondaryEniNotSupported(type.instanceTypeId);
  return { type, primarySpec, secondarySpecs };
}

/**
 * Creates one instance with its ENIs. The primary ENI is new (from VSwitchId, security groups and
 * PrivateIpAddress, or NetworkInterface.N with InstanceType=Primary) or an existing Available
 * ENI, whose address, MAC and security groups the instance inherits. Secondary ENIs, new or
 * existing, must sit where an attached ENI may (same VPC and zone; vSwitch with --attach-locality
 * vswitch) and fit the type's queues and eRDMA support.
 */
export async function runInstance(ctx: ServiceContext, input: RunInstanceInput, privateIp: string | undefined): Promise<string> {
  const { type, primarySpec, secondarySpecs } = checkRunInput(input, privateIp);

  const resourceGroupId = await resourceGroupForNew(ctx, input.resourceGroupId, EcsResourceGroupErrors.notFound);
  const id = newResourceId('i', ctx.regionId, ctx.random);
  // Addresses the secondary ENIs ask for by name: the ENIs created before them must not pick them.
  const named = new Set(secondarySpecs.filter((n) => !n.networkInterfaceId && n.primaryIp).map((n) => n.primaryIp!));
  // The primary ENI decides the instance's network placement.
  let primary: EniRow;
  if (primarySpec?.networkInterfaceId) {
    const eni = await requireEni(ctx, primarySpec.networkInterfaceId, true);
    if (eni.status !== 'Available') throw EniErrors.invalidEniState('Available', eni.status);
    assertTrafficFitsType({ queueNumber: eni.queue_number, trafficMode: eni.traffic_mode }, type);
    primary = eni;
  } else {
    const vswitchId = primarySpec?.vswitchId ?? input.vswitchId;
    const groups = primarySpec?.securityGroupIds ?? input.securityGroupIds;
    if (!vswitchId) throw InstanceErrors.vswitchRequired();
    if (!groups?.length) throw CommonErrors.missingParameter('SecurityGroupId');
    const vsw = await requireVSwitchForEni(ctx, vswitchId);
    if (input.zoneId && input.zoneId !== vsw.zoneId) throw InstanceErrors.mismatch(`the vSwitch ${vsw.id} is in ${vsw.zoneId}, not ${input.zoneId}`);
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
      instance: { id, deviceIndex: 0, type },
      codes: 'instance',
      groupErrors: INSTANCE_GROUP_ERRORS,
      resourceGroupId,
    });
    primary = created.row;
  }
  if (input.zoneId && input.zoneId !== primary.zone_id) throw InstanceErrors.mismatch(`the primary ENI is in ${primary.zone_id}, not ${input.zoneId}`);

  const hold = ctx.settings.delays.instanceCreate;
  const row: InstanceRow = {
    id,
    account_id: ctx.accountId,
    region_id: ctx.regionId,
    zone_id: primary.zone_id,
    vpc_id: primary.vpc_id,
    vswitch_id: primary.vswitch_id,
    instance_type: type.instanceTypeId,
    image_id: input.imageId,
    name: input.name || id,
    host_name: input.hostName || defaultHostName(id),
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
    deletion_protection: input.deletionProtection ? 1 : 0,
    http_endpoint: input.metadata.httpEndpoint,
    http_tokens: input.metadata.httpTokens,
    http_put_response_hop_limit: input.metadata.hopLimit,
    // RunInstances has no such parameter; ModifyInstanceMetadataOptions turns it on.
    instance_metadata_tags: 'disabled',
    attributes: JSON.stringify(input.attributes),
    created_at: ctx.now,
    started_at: input.start ? ctx.now : null,
    public_ip: null,
    resource_group_id: resourceGroupId,
  };
  await insertInstance(ctx.tx, row);
  if (input.ramRoleName !== undefined) await attachRoleToNewInstance(ctx, id, input.ramRoleName);
  if (primarySpec?.networkInterfaceId) {
    // An existing ENI becomes the primary one: its address, MAC and groups are the instance's now.
    await updateEni(ctx.tx, primary.id, { type: 'Primary', status: 'InUse', next_status: null, transition_at: null, instance_id: id, device_index: 0 });
  }
  const instanceGroups = (await securityGroupsOf(ctx.tx, [primary.id])).get(primary.id) ?? [];
  const placement = { vpcId: row.vpc_id, vswitchId: row.vswitch_id, zoneId: row.zone_id };

  let deviceIndex = 1;
  for (const spec of secondarySpecs) {
    if (spec.networkInterfaceId) {
      const eni = await requireEni(ctx, spec.networkInterfaceId, true);
      if (eni.status !== 'Available') throw EniErrors.invalidEniState('Available', eni.status);
      if (eni.type !== 'Secondary') throw EniErrors.eniTypeNotAllowed('Only a secondary ENI can be attached as one.');
      assertPlacement({ vpcId: eni.vpc_id, vswitchId: eni.vswitch_id, zoneId: eni.zone_id }, placement, ctx.settings.attachLocality);
      assertTrafficFitsType({ queueNumber: eni.queue_number, trafficMode: eni.traffic_mode }, type);
      await updateEni(ctx.tx, eni.id, { status: 'InUse', next_status: null, transition_at: null, instance_id: id, device_index: deviceIndex++ });
    } else {
      if (spec.vswitchId) {
        const vsw = await requireVSwitchForEni(ctx, spec.vswitchId);
        assertPlacement({ vpcId: vsw.vpcId, vswitchId: vsw.id, zoneId: vsw.zoneId }, placement, ctx.settings.attachLocality);
      }
      if (spec.primaryIp) named.delete(spec.primaryIp);
      await createEni(ctx, {
        reservedForLater: named,
        vswitchId: spec.vswitchId ?? row.vswitch_id,
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
        instance: { id, deviceIndex: deviceIndex++, type },
        codes: 'instance',
        groupErrors: INSTANCE_GROUP_ERRORS,
        resourceGroupId,
      });
    }
  }
  await checkAttachedIpCounts(ctx, id, type);
  await upsertTags(ctx.tx, { accountId: ctx.accountId, regionId: ctx.regionId }, 'instance', id, input.tags, ctx.now);
  return id;
}

/** Every ENI of the instance within the type's per-ENI address limit. */
async function checkAttachedIpCounts(ctx: ServiceContext, instanceId: string, type: InstanceTypeSpec): Promise<void> {
  const enis = await enisOfInstance(ctx.tx, instanceId, ctx.now);
  const ips = await privateIpsOf(
    ctx.tx,
    enis.map((e) => e.id),
  );
  const limit = Math.min(MAX_IPS_PER_ENI, type.eniPrivateIpAddressQuantity);
  for (const e of enis) {
    if ((ips.get(e.id)?.length ?? 0) > limit) throw EniErrors.ipv4CountExceeded(limit, `instance type ${type.instanceTypeId} allows ${limit} per ENI`);
  }
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
  await updateInstance(ctx.tx, id, { started_at: ctx.now });
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
  await updateInstance(ctx.tx, id, { started_at: ctx.now });
}

/**
 * DeleteInstance: Stopped, or any settled state with Force. ENIs with DeleteOnRelease go with it;
 * the others stay, Available, a retained primary ENI becoming a secondary one. EIPs stay allocated.
 */
export async function deleteInstance(ctx: ServiceContext, id: string, force: boolean): Promise<void> {
  const inst = await requireInstance(ctx, id, true, true);
  // The ENI helpers below work in the instance's region.
  ctx = { ...ctx, regionId: inst.region_id };
  if (inst.deletion_protection === 1) throw InstanceErrors.deletionProtection();
  const settled = inst.effective === 'Stopped' || (force && (inst.effective === 'Running' || inst.effective === 'Stopped'));
  if (!settled) throw InstanceErrors.incorrectStatus(inst.effective);
  for (const raw of await enisOfInstance(ctx.tx, id, ctx.now)) {
    const eni = eniNow(raw, ctx.now);
    if (eni.delete_on_release === 1) {
      await unbindEipsOf(ctx.tx, [eni.id]);
      await destroyEni(ctx, eni, 0);
    } else {
      // A retained ENI keeps the EIPs associated with it ("Set the release behavior of an ENI").
      await updateEni(ctx.tx, eni.id, {
        type: 'Secondary',
        status: 'Available',
        next_status: null,
        transition_at: null,
        instance_id: null,
        device_index: null,
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

async function primaryEniOf(ctx: ServiceContext, instanceId: string): Promise<EniRow> {
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
  ctx = { ...ctx, regionId: inst.region_id };
  const primary = await primaryEniOf(ctx, inst.id);
  const groups = await lockSecurityGroups(ctx, groupIds, primary.vpc_id, {
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
    if (!isValidHostName(hostName, findImage(inst.image_id)?.osType ?? 'linux')) throw InstanceErrors.hostNameMalformed();
    if (inst.effective === 'Pending' || inst.effective === 'Starting') throw InstanceErrors.incorrectStatus(inst.effective);
  }
  if (changes.securityGroupIds !== undefined) await setInstanceSecurityGroups(ctx, inst.id, changes.securityGroupIds);
  await updateInstance(ctx.tx, inst.id, {
    ...(changes.name !== undefined && changes.name !== '' && { name: changes.name }),
    ...(changes.description !== undefined && { description: changes.description }),
    ...(hostName !== undefined && { host_name: hostName }),
    ...(changes.deletionProtection !== undefined && { deletion_protection: changes.deletionProtection ? 1 : 0 }),
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
    ...(changes.httpEndpoint !== undefined && { http_endpoint: changes.httpEndpoint }),
    ...(changes.httpTokens !== undefined && { http_tokens: changes.httpTokens }),
    ...(changes.hopLimit !== undefined && { http_put_response_hop_limit: changes.hopLimit }),
    ...(changes.instanceMetadataTags !== undefined && { instance_metadata_tags: changes.instanceMetadataTags }),
  });
}

/**
 * JoinSecurityGroup / LeaveSecurityGroup for an instance (through its primary ENI) or a
 * secondary ENI, with the codes of the cloud's pages for each case.
 */
export async function changeMembership(ctx: ServiceContext, target: { instanceId: string } | { eniId: string }, groupId: string, join: boolean): Promise<void> {
  let eni: EniRow;
  const forInstance = 'instanceId' in target;
  if (forInstance) {
    const inst = await requireInstance(ctx, target.instanceId, true, true);
    ctx = { ...ctx, regionId: inst.region_id };
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
    if (group.vpcId !== eni.vpc_id) {
      throw forInstance
        ? InstanceErrors.securityGroupMismatch()
        : EniErrors.vpcMismatch(`security group ${groupId} is in ${group.vpcId}, the ENI in ${eni.vpc_id}`);
    }
    if (current.includes(groupId)) throw InstanceErrors.alreadyInSecurityGroup();
    if (current.length >= ctx.settings.quotas.securityGroupsPerEni) throw InstanceErrors.securityGroupLimit(ctx.settings.quotas.securityGroupsPerEni);
    const groups = await lockSecurityGroups(ctx, [...current, groupId], eni.vpc_id);
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
  const { rows, total } = await listInstances(ctx.tx, { ...q, accountId: ctx.accountId, regionId: ctx.regionId }, ctx.now, window);
  const ids = rows.map((r) => r.id);
  const enis = await detailsOf(ctx, await enisOfInstances(ctx.tx, ids, ctx.now));
  const eips = await eipsOfEnis(
    ctx.tx,
    enis.map((d) => ({ id: d.row.id, instanceId: d.row.instance_id, type: d.row.type, primaryIp: d.row.primary_ip })),
    ctx.now,
  );
  const tags = await tagsOf(ctx.tx, ids);
  const views = rows.map((row) => {
    const mine = enis.filter((e) => e.row.instance_id === row.id).sort((a, b) => (a.row.device_index ?? 0) - (b.row.device_index ?? 0));
    return {
      row,
      status: instanceStatus(row, ctx.now),
      enis: mine,
      eips: mine.flatMap((e) => eips.get(e.row.id) ?? []),
      tags: tags.get(row.id) ?? [],
    };
  });
  return { views, total };
}

/** DescribeInstanceAttribute: one instance, found in any region (the action takes no RegionId). */
export async function describeInstance(ctx: ServiceContext, id: string) {
  const inst = await requireInstance(ctx, id, false, true);
  const { views } = await describeInstances({ ...ctx, regionId: inst.region_id }, { ids: [inst.id] }, { offset: 0, limit: 1 });
  return views[0]!;
}

/** DescribeInstanceStatus: IDs and statuses, in creation order. */
export async function describeInstanceStatuses(
  ctx: ServiceContext,
  q: { ids?: readonly string[]; zoneId?: string },
  window: { offset: number; limit: number },
) {
  const { rows, total } = await listInstances(ctx.tx, { ...q, accountId: ctx.accountId, regionId: ctx.regionId }, ctx.now, window);
  return { statuses: rows.map((r) => ({ id: r.id, status: instanceStatus(r, ctx.now) })), total };
}
