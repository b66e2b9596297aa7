import type { TagKind, TagOwner, TagResource } from '../../domain/models/tag.ts';
import type { Tag, TagCursor, TagFilter } from '../../domain/tags.ts';
import type { Tx } from '../schema.ts';
import { liveTargetIds } from './tag-targets.ts';
import { present, queryTemplate } from '../query-template.ts';
import { rowCount } from './common.ts';

/** Adds or overwrites tags on one resource (TagResources semantics: same key, new value). */
export async function upsertTags(
  tx: Tx,
  owner: { accountId: string; regionId: string },
  resourceType: string,
  resourceId: string,
  tags: readonly Tag[],
  now: number,
): Promise<void> {
  for (const t of tags) {
    await tx.db
      .insertInto('tags')
      .values({
        account_id: owner.accountId,
        region_id: owner.regionId,
        resource_type: resourceType,
        resource_id: resourceId,
        tag_key: t.key,
        tag_value: t.value,
        created_at: now,
      })
      .onConflict((oc) => oc.columns(['resource_id', 'tag_key']).doUpdateSet({ tag_value: t.value }))
      .execute();
  }
}

export async function countTags(tx: Tx, resourceId: string): Promise<number> {
  const row = await tx.db
    .selectFrom('tags')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('resource_id', '=', resourceId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function removeTags(tx: Tx, resourceId: string, keys: readonly string[] | 'all'): Promise<void> {
  let q = tx.db.deleteFrom('tags').where('resource_id', '=', resourceId);
  if (keys !== 'all') {
    if (keys.length === 0) return;
    q = q.where('tag_key', 'in', keys);
  }
  await q.execute();
}

const tagsTemplate = queryTemplate(
  (v: { resourceIds: readonly string[] }) => present(v.resourceIds),
  (tx, v) =>
    tx.db.selectFrom('tags').select(['resource_id', 'tag_key', 'tag_value']).where('resource_id', 'in', v.resourceIds).orderBy('created_at').orderBy('tag_key'),
);

/** Tags of many resources at once, in the order they were first set. */
export async function tagsOf(tx: Tx, resourceIds: readonly string[]): Promise<Map<string, Tag[]>> {
  const map = new Map<string, Tag[]>();
  if (resourceIds.length === 0) return map;
  const rows = await tagsTemplate(tx, { resourceIds });
  for (const r of rows) {
    const list = map.get(r.resource_id) ?? [];
    list.push({ key: r.tag_key, value: r.tag_value });
    map.set(r.resource_id, list);
  }
  return map;
}

export interface TagListQuery {
  owner: TagOwner;
  kind: TagKind;
  /** Only these resources (ResourceId.N). */
  resourceIds?: readonly string[];
  /**
   * Tag.N: a resource is listed only if it carries every filter (a filter without a value
   * matches any value of its key), and only its tags that match one of the filters are listed.
   */
  filters?: readonly TagFilter[];
  /** Resume after this row (NextToken). */
  after?: TagCursor;
}

/**
 * ListTagResources: one row per (resource, tag) of the owner's live resources of one kind, in
 * (resource ID, tag key) order. Returns up to `limit + 1` rows, so the caller knows whether
 * another page follows.
 */
export async function listTagResources(tx: Tx, q: TagListQuery, now: number, limit: number): Promise<TagResource[]> {
  let query = tx.db
    .selectFrom('tags')
    .select(['resource_id', 'tag_key', 'tag_value'])
    .where('account_id', '=', q.owner.accountId)
    .where('region_id', '=', q.owner.regionId)
    .where('resource_type', '=', q.kind)
    // Tags of a resource whose deletion has completed (but whose row lingers) are not listed.
    .where('resource_id', 'in', liveTargetIds(tx, q.kind, q.owner, now));
  if (q.resourceIds) query = query.where('resource_id', 'in', q.resourceIds.length ? q.resourceIds : ['']);
  const filters = q.filters ?? [];
  for (const f of filters) {
    query = query.where('resource_id', 'in', (eb) => {
      let sub = eb.selectFrom('tags as f').select('f.resource_id').where('f.account_id', '=', q.owner.accountId).where('f.tag_key', '=', f.key);
      if (f.value !== undefined) sub = sub.where('f.tag_value', '=', f.value);
      return sub;
    });
  }
  if (filters.length > 0) {
    query = query.where((eb) =>
      eb.or(filters.map((f) => (f.value === undefined ? eb('tag_key', '=', f.key) : eb.and([eb('tag_key', '=', f.key), eb('tag_value', '=', f.value)])))),
    );
  }
  if (q.after) {
    const { resourceId, key } = q.after;
    query = query.where((eb) => eb.or([eb('resource_id', '>', resourceId), eb.and([eb('resource_id', '=', resourceId), eb('tag_key', '>', key)])]));
  }
  const rows = await query
    .orderBy('resource_id')
    .orderBy('tag_key')
    .limit(rowCount(limit + 1))
    .execute();
  return rows.map((r) => ({ resourceId: r.resource_id, key: r.tag_key, value: r.tag_value }));
}
