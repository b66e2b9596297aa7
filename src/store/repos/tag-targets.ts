import type { SelectQueryBuilder } from 'kysely';
import type { TagKind, TagOwner } from '../../domain/models/tag.ts';
import type { Schema, Tx } from '../schema.ts';
import { GONE } from '../../domain/async-state.ts';
import { effectiveStatusSql, instanceStatusSql } from './async-sql.ts';
import { forUpdate, notGone } from './common.ts';

/** The IDs of the owner's live resources of one kind, as a subquery (`select id from ...`). */
type LiveIds = (tx: Tx, owner: TagOwner, now: number) => SelectQueryBuilder<Schema, keyof Schema, { id: string }>;

/**
 * The kinds eniplane can tag, and where their resources live. Another account's resource, one in
 * another region, and one whose deletion has completed are all as absent as a missing one.
 * Making a kind taggable (instance, eni, eip) is one entry here; TagResources, UntagResources and
 * ListTagResources of both products pick it up from this table.
 */
const TARGETS: Partial<Record<TagKind, LiveIds>> = {
  vpc: (tx, o, now) => tx.db.selectFrom('vpcs').select('id').where('account_id', '=', o.accountId).where('region_id', '=', o.regionId).where(notGone(now)),
  vswitch: (tx, o, now) =>
    tx.db.selectFrom('vswitches').select('id').where('account_id', '=', o.accountId).where('region_id', '=', o.regionId).where(notGone(now)),
  securitygroup: (tx, o) => tx.db.selectFrom('security_groups').select('id').where('account_id', '=', o.accountId).where('region_id', '=', o.regionId),
  instance: (tx, o, now) =>
    tx.db
      .selectFrom('instances')
      .select('id')
      .where('account_id', '=', o.accountId)
      .where('region_id', '=', o.regionId)
      .where(instanceStatusSql(now), '!=', GONE),
  // Primary ENIs too: the cloud tags any ENI ([ECS-SDK] TagResourcesRequest.resourceType eni).
  eni: (tx, o, now) =>
    tx.db
      .selectFrom('network_interfaces')
      .select('id')
      .where('account_id', '=', o.accountId)
      .where('region_id', '=', o.regionId)
      .where(effectiveStatusSql(now), '!=', GONE),
  eip: (tx, o, now) =>
    tx.db.selectFrom('eips').select('id').where('account_id', '=', o.accountId).where('region_id', '=', o.regionId).where(effectiveStatusSql(now), '!=', GONE),
};

export function isTaggable(kind: TagKind): boolean {
  return TARGETS[kind] !== undefined;
}

export function taggableKinds(): TagKind[] {
  return Object.keys(TARGETS) as TagKind[];
}

function targetOf(kind: TagKind): LiveIds {
  const target = TARGETS[kind];
  if (!target) throw new Error(`resource kind ${kind} cannot carry tags in eniplane`);
  return target;
}

/** Subquery of the owner's live resource IDs of `kind`, for `where resource_id in (...)`. */
export function liveTargetIds(tx: Tx, kind: TagKind, owner: TagOwner, now: number): SelectQueryBuilder<Schema, keyof Schema, { id: string }> {
  return targetOf(kind)(tx, owner, now);
}

/**
 * Which of `ids` are the owner's live resources of `kind`. With `lock`, their rows stay locked
 * until the transaction ends (PostgreSQL), so concurrent tag writes to one resource serialise
 * and the 20-tag limit holds across replicas.
 */
export async function existingTargets(tx: Tx, kind: TagKind, owner: TagOwner, ids: readonly string[], now: number, lock = false): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const q = targetOf(kind)(tx, owner, now).where('id', 'in', ids);
  const rows = await (lock ? forUpdate(tx, q) : q).execute();
  return new Set(rows.map((r) => r.id));
}
