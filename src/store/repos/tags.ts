import type { Tag } from '../../domain/tags.ts';
import type { Tx } from '../schema.ts';

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
  const row = await tx.db.selectFrom('tags').select((eb) => eb.fn.countAll<number>().as('n')).where('resource_id', '=', resourceId).executeTakeFirst();
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

/** Tags of many resources at once, in the order they were first set. */
export async function tagsOf(tx: Tx, resourceIds: readonly string[]): Promise<Map<string, Tag[]>> {
  const map = new Map<string, Tag[]>();
  if (resourceIds.length === 0) return map;
  const rows = await tx.db
    .selectFrom('tags')
    .select(['resource_id', 'tag_key', 'tag_value'])
    .where('resource_id', 'in', resourceIds)
    .orderBy('created_at')
    .orderBy('tag_key')
    .execute();
  for (const r of rows) {
    const list = map.get(r.resource_id) ?? [];
    list.push({ key: r.tag_key, value: r.tag_value });
    map.set(r.resource_id, list);
  }
  return map;
}

export interface TagResourceRow {
  resourceId: string;
  resourceType: string;
  key: string;
  value: string;
}

/** ListTagResources: by resource IDs and/or tag filters, in a stable order. */
export async function listTagResources(
  tx: Tx,
  q: { accountId: string; regionId: string; resourceType: string; resourceIds?: readonly string[]; tags?: readonly { key: string; value?: string }[] },
  window: { offset: number; limit: number },
): Promise<TagResourceRow[]> {
  let query = tx.db
    .selectFrom('tags')
    .select(['resource_id', 'resource_type', 'tag_key', 'tag_value'])
    .where('account_id', '=', q.accountId)
    .where('region_id', '=', q.regionId)
    .where('resource_type', '=', q.resourceType);
  if (q.resourceIds?.length) query = query.where('resource_id', 'in', q.resourceIds);
  if (q.tags?.length) {
    query = query.where((eb) =>
      eb.or(q.tags!.map((t) => (t.value === undefined ? eb('tag_key', '=', t.key) : eb.and([eb('tag_key', '=', t.key), eb('tag_value', '=', t.value)])))),
    );
  }
  const rows = await query.orderBy('resource_id').orderBy('tag_key').offset(window.offset).limit(window.limit + 1).execute();
  return rows.map((r) => ({ resourceId: r.resource_id, resourceType: r.resource_type, key: r.tag_key, value: r.tag_value }));
}
