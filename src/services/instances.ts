import type { ActionContext } from '../api/define-action.ts';
import { MAX_SECURITY_GROUPS_PER_ENI } from '../domain/eni-rules.ts';
import { newResourceId } from '../domain/ids.ts';
import { findImage } from '../domain/images.ts';
import { instanceStatus, instanceTimeline } from '../domain/instance-lifecycle.ts';
import { findInstanceType, type InstanceTypeSpec } from '../domain/instance-types.ts';
import type { Tag } from '../domain/tags.ts';
import { checkEcsDescription, checkEcsName } from '../domain/text-rules.ts';
import { EniErrors } from '../errors/eni.ts';
import { InstanceErrors } from '../errors/instance.ts';
import { eipsOfEnis, enisOfInstance, enisOfInstances, privateIpsOf, securityGroupsOf, setEniSecurityGroups, updateEni, type EniRow } from '../store/repos/enis.ts';
import { deleteInstanceRow, findInstance, insertInstance, listInstances, updateInstance, type InstanceQuery, type InstanceRow } from '../store/repos/instances.ts';
import { unbindEipsOf } from '../store/repos/eips.ts';
import { tagsOf, upsertTags } from '../store/repos/tags.ts';
import { assertSecurityGroupRoom, createEni, destroyEni, detailsOf, eniNow, lockSecurityGroups, requireEni, requireVSwitchForEni } from './enis.ts';

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
  attributes: Record<string, unknown>;
  /** RunInstances ends Running, CreateInstance ends Stopped. */
  start: boolean;
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
export async function requireInstance(ctx: ActionContext, id: string, lock = false, anyRegion = false): Promise<InstanceRow & { effective: string }> {
  const row = await findInstance(ctx.tx, ctx.accountId, id, ctx.now, lock);
  if (!row || (!anyRegion && row.region_id !== ctx.regionId)) throw EniErrors.instanceNotFound(id);
  return { ...row, effective: instanceStatus(row, ctx.now) };
}

/**
 * Creates one instance with its ENIs. The primary ENI is new (from VSwitchId, security groups and
 * PrivateIpAddress, or NetworkInterface.N with InstanceType=Primary) or an existing Available
 * ENI, whose address, MAC and security groups the instance inherits.
 */
export async function runInstance(ctx: ActionContext, input: RunInstanceInput, privateIp: string | undefined): Promise<string> {
  const type = requireInstanceType(input.instanceType);
  if (!findImage(input.imageId)) throw InstanceErrors.imageNotFound(input.imageId);
  checkEcsName(input.name, () => InstanceErrors.mismatch('InstanceName must be 2 to 128 characters and start with a letter'));
  checkEcsDescription(input.description, () => InstanceErrors.mismatch('Description must be 2 to 256 characters and cannot start with http:// or https://'));
  const primarySpec = input.networkInterfaces.find((n) => n.role === 'Primary');
  const secondarySpecs = input.networkInterfaces.filter((n) => n.role === 'Secondary');
  if (input.networkInterfaces.filter((n) => n.role === 'Primary').length > 1) throw InstanceErrors.networkInterfaceParam('at most one ENI can be the primary one.');
  if (primarySpec && (input.vswitchId || input.securityGroupIds?.length || privateIp)) {
    // The console: choosing the instance's security groups creates a new primary ENI, so an existing ENI cannot be the primary one then.
    throw InstanceErrors.networkInterfaceParam('with NetworkInterface.N.InstanceType=Primary, leave out the top-level VSwitchId, SecurityGroupId(s) and PrivateIpAddress.');
  }
  if (1 + secondarySpecs.length > type.eniQuantity) throw EniErrors.eniPerInstance(type.eniQuantity, type.instanceTypeId);
  if (secondarySpecs.length > 0 && !type.hotPlug) throw InstanceErrors.secondaryEniNotSupported(type.instanceTypeId);

  const id = newResourceId('i', ctx.regionId, ctx.random);
  // The primary ENI decides the instance's network placement.
  let primary: EniRow;
  if (primarySpec?.networkInterfaceId) {
    if (primarySpec.vswitchId || primarySpec.securityGroupIds?.length || primarySpec.primaryIp) {
      throw InstanceErrors.networkInterfaceParam('an existing ENI takes no VSwitchId, security groups or addresses.');
    }
    const eni = await requireEni(ctx, primarySpec.networkInterfaceId, true);
    if (eni.status !== 'Available') throw EniErrors.invalidEniState('Available', eni.status);
    primary = eni;
  } else {
    const vswitchId = primarySpec?.vswitchId ?? input.vswitchId;
    const groups = primarySpec?.securityGroupIds ?? input.securityGroupIds;
    if (!vswitchId) throw InstanceErrors.vswitchRequired();
    if (!groups?.length) throw EniErrors.securityGroupNotFound('(none given)');
    const vsw = await requireVSwitchForEni(ctx, vswitchId);
    if (input.zoneId && input.zoneId !== vsw.zone_id) throw InstanceErrors.mismatch(`the vSwitch ${vsw.id} is in ${vsw.zone_id}, not ${input.zoneId}`);
    primary = await createEni(ctx, {
      vswitchId,
      securityGroupIds: groups,
      primaryIp: primarySpec?.primaryIp ?? privateIp,
      secondaryIps: [],
      secondaryCount: primarySpec?.secondaryCount ?? 0,
      tags: [],
      deleteOnRelease: true,
      type: 'Primary',
      instance: { id, deviceIndex: 0 },
      taken: 'duplicated',
    });
  }
  if (input.zoneId && input.zoneId !== primary.zone_id) throw InstanceErrors.mismatch(`the primary ENI is in ${primary.zone_id}, not ${input.zoneId}`);

  const hold = ctx.config.delays.instanceCreate;
  const row: InstanceRow = {
    id,
    account_id: ctx.accountId,
    region_id: ctx.regionId,
    zone_id: primary.zone_id,
    vpc_id: primary.vpc_id,
    vswitch_id: primary.vswitch_id,
    instance_type: type.instanceTypeId,
    image_id: input.imageId,
    name: input.name ?? id,
    host_name: input.hostName ?? `iZ${id.slice(2)}Z`,
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
    attributes: JSON.stringify(input.attributes),
    created_at: ctx.now,
    started_at: input.start ? ctx.now : null,
  };
  await insertInstance(ctx.tx, row);
  if (primarySpec?.networkInterfaceId) {
    await updateEni(ctx.tx, primary.id, { type: 'Primary', status: 'InUse', next_status: null, transition_at: null, instance_id: id, device_index: 0 });
  }
  const instanceGroups = (await securityGroupsOf(ctx.tx, [primary.id])).get(primary.id) ?? [];

  let deviceIndex = 1;
  for (const spec of secondarySpecs) {
    if (spec.networkInterfaceId) {
      const eni = await requireEni(ctx, spec.networkInterfaceId, true);
      if (eni.status !== 'Available') throw EniErrors.invalidEniState('Available', eni.status);
      if (eni.type !== 'Secondary') throw EniErrors.eniTypeNotAllowed('Only a secondary ENI can be attached as one.');
      if (eni.vpc_id !== row.vpc_id) throw EniErrors.vpcMismatch(`the ENI is in ${eni.vpc_id}, the instance in ${row.vpc_id}`);
      if (eni.zone_id !== row.zone_id) throw EniErrors.zoneMismatch(`the ENI is in ${eni.zone_id}, the instance in ${row.zone_id}`);
      await updateEni(ctx.tx, eni.id, { status: 'InUse', next_status: null, transition_at: null, instance_id: id, device_index: deviceIndex++ });
    } else {
      await createEni(ctx, {
        vswitchId: spec.vswitchId ?? row.vswitch_id,
        securityGroupIds: spec.securityGroupIds ?? instanceGroups,
        primaryIp: spec.primaryIp,
        secondaryIps: [],
        secondaryCount: spec.secondaryCount ?? 0,
        name: spec.name,
        description: spec.description,
        tags: [],
        deleteOnRelease: spec.deleteOnRelease ?? true,
        type: 'Secondary',
        instance: { id, deviceIndex: deviceIndex++ },
        taken: 'duplicated',
      });
    }
  }
  await checkAttachedIpCounts(ctx, id, type);
  await upsertTags(ctx.tx, { accountId: ctx.accountId, regionId: ctx.regionId }, 'instance', id, input.tags, ctx.now);
  return id;
}

/** Every ENI of the instance within the type's per-ENI address limit. */
async function checkAttachedIpCounts(ctx: ActionContext, instanceId: string, type: InstanceTypeSpec): Promise<void> {
  const enis = await enisOfInstance(ctx.tx, instanceId, ctx.now);
  const ips = await privateIpsOf(
    ctx.tx,
    enis.map((e) => e.id),
  );
  const limit = Math.min(20, type.eniPrivateIpAddressQuantity);
  for (const e of enis) {
    if ((ips.get(e.id)?.length ?? 0) > limit) throw EniErrors.ipv4CountExceeded(limit, `instance type ${type.instanceTypeId} allows ${limit} per ENI`);
  }
}

function setStatus(ctx: ActionContext, id: string, stages: { status: string; holdMs: number }[]) {
  return updateInstance(ctx.tx, id, instanceTimeline(stages, ctx.now));
}

export async function startInstance(ctx: ActionContext, id: string): Promise<void> {
  const inst = await requireInstance(ctx, id, true, true);
  if (inst.effective !== 'Stopped') throw InstanceErrors.incorrectStatus(inst.effective);
  await setStatus(ctx, id, [
    { status: 'Starting', holdMs: ctx.config.delays.instanceStart },
    { status: 'Running', holdMs: 0 },
  ]);
  await updateInstance(ctx.tx, id, { started_at: ctx.now });
}

export async function stopInstance(ctx: ActionContext, id: string): Promise<void> {
  const inst = await requireInstance(ctx, id, true, true);
  if (inst.effective !== 'Running') throw InstanceErrors.incorrectStatus(inst.effective);
  await setStatus(ctx, id, [
    { status: 'Stopping', holdMs: ctx.config.delays.instanceStop },
    { status: 'Stopped', holdMs: 0 },
  ]);
}

export async function rebootInstance(ctx: ActionContext, id: string): Promise<void> {
  const inst = await requireInstance(ctx, id, true, true);
  if (inst.effective !== 'Running') throw InstanceErrors.incorrectStatus(inst.effective);
  await setStatus(ctx, id, [
    { status: 'Stopping', holdMs: ctx.config.delays.instanceStop },
    { status: 'Starting', holdMs: ctx.config.delays.instanceStart },
    { status: 'Running', holdMs: 0 },
  ]);
  await updateInstance(ctx.tx, id, { started_at: ctx.now });
}

/**
 * DeleteInstance: Stopped, or any settled state with Force. ENIs with DeleteOnRelease go with it;
 * the others stay, Available, a retained primary ENI becoming a secondary one. EIPs stay allocated.
 */
export async function deleteInstance(ctx: ActionContext, id: string, force: boolean): Promise<void> {
  const inst = await requireInstance(ctx, id, true, true);
  // The ENI helpers below work in the instance's region.
  ctx = { ...ctx, regionId: inst.region_id };
  if (inst.deletion_protection === 1) throw InstanceErrors.deletionProtection();
  const settled = inst.effective === 'Stopped' || (force && (inst.effective === 'Running' || inst.effective === 'Stopped'));
  if (!settled) throw InstanceErrors.incorrectStatus(inst.effective);
  for (const raw of await enisOfInstance(ctx.tx, id, ctx.now)) {
    const eni = eniNow(raw, ctx.now);
    await unbindEipsOf(ctx.tx, [eni.id]);
    if (eni.delete_on_release === 1) {
      await destroyEni(ctx, eni, 0);
    } else {
      await updateEni(ctx.tx, eni.id, { type: 'Secondary', status: 'Available', next_status: null, transition_at: null, instance_id: null, device_index: null });
    }
  }
  await unbindEipsOf(ctx.tx, [id]);
  await deleteInstanceRow(ctx.tx, id);
}

/** The instance's security groups are its primary ENI's: replace them (ModifyInstanceAttribute SecurityGroupIds.N). */
export async function setInstanceSecurityGroups(ctx: ActionContext, id: string, groupIds: string[]): Promise<void> {
  const inst = await requireInstance(ctx, id, true);
  const primary = (await enisOfInstance(ctx.tx, inst.id, ctx.now)).find((e) => e.type === 'Primary');
  if (!primary) throw EniErrors.instanceNotFound(id);
  const groups = await lockSecurityGroups(ctx, groupIds, primary.vpc_id);
  const current = new Set((await securityGroupsOf(ctx.tx, [primary.id])).get(primary.id) ?? []);
  const ipCount = ((await privateIpsOf(ctx.tx, [primary.id])).get(primary.id) ?? []).length;
  await assertSecurityGroupRoom(
    ctx,
    groups.filter((g) => !current.has(g)),
    ipCount,
  );
  await setEniSecurityGroups(ctx.tx, primary.id, groups);
}

/** JoinSecurityGroup / LeaveSecurityGroup for an instance (its primary ENI) or an ENI. */
export async function changeMembership(ctx: ActionContext, target: { instanceId?: string; eniId?: string }, groupId: string, join: boolean): Promise<void> {
  let eniId: string;
  if (target.instanceId) {
    const inst = await requireInstance(ctx, target.instanceId, true);
    if (inst.effective !== 'Running' && inst.effective !== 'Stopped') throw InstanceErrors.incorrectStatus(inst.effective);
    const primary = (await enisOfInstance(ctx.tx, inst.id, ctx.now)).find((e) => e.type === 'Primary');
    if (!primary) throw EniErrors.instanceNotFound(target.instanceId);
    eniId = primary.id;
  } else {
    const eni = await requireEni(ctx, target.eniId!, true);
    if (eni.type === 'Primary') throw EniErrors.eniTypeNotAllowed('The security groups of a primary ENI are its instance\'s; use InstanceId.');
    if (eni.status !== 'Available' && eni.status !== 'InUse') throw EniErrors.invalidEniState('Available or InUse', eni.status);
    eniId = eni.id;
  }
  const eni = await requireEni(ctx, eniId);
  const current = (await securityGroupsOf(ctx.tx, [eniId])).get(eniId) ?? [];
  if (join) {
    if (current.includes(groupId)) throw InstanceErrors.alreadyInSecurityGroup(groupId);
    if (current.length >= MAX_SECURITY_GROUPS_PER_ENI) throw InstanceErrors.securityGroupLimit(MAX_SECURITY_GROUPS_PER_ENI);
    await lockSecurityGroups(ctx, [groupId], eni.vpc_id);
    const ipCount = ((await privateIpsOf(ctx.tx, [eniId])).get(eniId) ?? []).length;
    await assertSecurityGroupRoom(ctx, [groupId], ipCount);
    await setEniSecurityGroups(ctx.tx, eniId, [...current, groupId]);
  } else {
    if (!current.includes(groupId)) throw InstanceErrors.notInSecurityGroup(groupId);
    if (current.length === 1) throw InstanceErrors.lastSecurityGroup();
    await setEniSecurityGroups(
      ctx.tx,
      eniId,
      current.filter((g) => g !== groupId),
    );
  }
}

/** DescribeInstances: instances with their ENIs (primary first), addresses, groups, EIPs and tags. */
export async function describeInstances(ctx: ActionContext, q: Omit<InstanceQuery, 'accountId' | 'regionId'>, window: { offset: number; limit: number }) {
  const { rows, total } = await listInstances(ctx.tx, { ...q, accountId: ctx.accountId, regionId: ctx.regionId }, ctx.now, window);
  const ids = rows.map((r) => r.id);
  const enis = await detailsOf(ctx, await enisOfInstances(ctx.tx, ids, ctx.now));
  const eips = await eipsOfEnis(
    ctx.tx,
    enis.map((d) => ({ id: d.row.id, instanceId: d.row.instance_id, type: d.row.type, primaryIp: d.row.primary_ip })),
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
