import type { ServiceContext } from './context.ts';
import { isWellFormedRoleName } from '../domain/sts-credentials.ts';
import { EniErrors } from '../errors/ecs/enis.ts';
import { RamErrors } from '../errors/ecs/ram-roles.ts';
import { findInstance } from '../store/repos/instances.ts';
import { deleteRamRole, insertRamRole, listRamRoles, ramRoleOf } from '../store/repos/ram-roles.ts';

/**
 * Instance RAM roles. eniplane has no RAM service, so a role "exists" when RAM could hold its
 * name (DIVERGENCE, docs/divergences.md): Terraform and Terway name a role created elsewhere,
 * and any such name works with default settings.
 */
export function requireRoleName(name: string): string {
  if (!isWellFormedRoleName(name)) throw RamErrors.roleNotFound();
  return name;
}

/** InstanceIds as the RAM role actions take it: a JSON array of 1 to 100 IDs. */
export function parseInstanceIds(raw: string): string[] {
  let ids: unknown;
  try {
    ids = JSON.parse(raw);
  } catch {
    throw RamErrors.instanceIdsMalformed();
  }
  if (!Array.isArray(ids) || ids.length === 0 || ids.length > 100 || !ids.every((id) => typeof id === 'string' && id !== ''))
    throw RamErrors.instanceIdsMalformed();
  return [...new Set(ids as string[])];
}

/** One instance's outcome in Attach/DetachInstanceRamRole: the cloud answers per instance. */
export interface RoleOutcome {
  instanceId: string;
  success: boolean;
  code: string;
  message: string;
  /** Detach: the role the instance had. */
  detached?: string;
}

const OK = { success: true, code: '200', message: 'success' } as const;

async function requireInstances(ctx: ServiceContext, ids: readonly string[]) {
  for (const id of ids) {
    const inst = await findInstance(ctx.tx, ctx.accountId, id, ctx.now, true);
    if (!inst || inst.regionId !== ctx.regionId) throw EniErrors.instanceNotFound(id);
  }
}

/** Called by RunInstances/CreateInstance for a new instance (RamRoleName). */
export async function attachRoleToNewInstance(ctx: ServiceContext, instanceId: string, roleName: string): Promise<void> {
  await insertRamRole(ctx.tx, { instanceId, accountId: ctx.accountId, regionId: ctx.regionId, roleName, attachedAt: ctx.now });
}

/**
 * AttachInstanceRamRole: an instance takes one role; one that already has a different role fails
 * on its own line ("If an instance already has an instance RAM role, an error is returned"), the
 * same role again succeeds (a retried call changes nothing).
 */
export async function attachRamRole(ctx: ServiceContext, ids: readonly string[], roleName: string): Promise<RoleOutcome[]> {
  requireRoleName(roleName);
  await requireInstances(ctx, ids);
  const out: RoleOutcome[] = [];
  for (const id of ids) {
    const current = await ramRoleOf(ctx.tx, id);
    if (current && current.roleName !== roleName) {
      out.push({
        instanceId: id,
        success: false,
        code: 'InvalidInstance.RamRoleAttached',
        message: `The instance already has the RAM role "${current.roleName}"; detach it first.`,
      });
      continue;
    }
    if (!current) await insertRamRole(ctx.tx, { instanceId: id, accountId: ctx.accountId, regionId: ctx.regionId, roleName, attachedAt: ctx.now });
    out.push({ instanceId: id, ...OK });
  }
  return out;
}

/**
 * DetachInstanceRamRole: RamRoleName, when given, must be the instance's role; an instance without
 * that role fails on its own line. Credentials issued for the detached role stop working at once.
 */
export async function detachRamRole(ctx: ServiceContext, ids: readonly string[], roleName: string | undefined): Promise<RoleOutcome[]> {
  if (roleName !== undefined) requireRoleName(roleName);
  await requireInstances(ctx, ids);
  const out: RoleOutcome[] = [];
  for (const id of ids) {
    const current = await ramRoleOf(ctx.tx, id);
    if (!current || (roleName !== undefined && current.roleName !== roleName)) {
      out.push({
        instanceId: id,
        success: false,
        code: 'InvalidRamRole.NotAttached',
        message: `The instance has no RAM role${roleName !== undefined ? ` "${roleName}"` : ''} attached.`,
      });
      continue;
    }
    await deleteRamRole(ctx.tx, id);
    out.push({ instanceId: id, ...OK, detached: current.roleName });
  }
  return out;
}

/** DescribeInstanceRamRole: by instance IDs and/or role name; instances without a role are not listed. */
export async function describeRamRoles(
  ctx: ServiceContext,
  q: { instanceIds?: readonly string[]; roleName?: string },
  window: { offset: number; limit: number },
) {
  if (q.roleName !== undefined) requireRoleName(q.roleName);
  return listRamRoles(ctx.tx, { accountId: ctx.accountId, regionId: ctx.regionId, ...q }, window);
}
