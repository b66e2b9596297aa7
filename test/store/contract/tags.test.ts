import assert from 'node:assert/strict';
import { test } from 'node:test';
import { existingTargets, isTaggable, taggableKinds } from '../../../src/store/repos/tag-targets.ts';
import { countTags, listTagResources, removeTags, tagsOf, upsertTags } from '../../../src/store/repos/tags.ts';
import { insertVpc } from '../../../src/store/repos/vpcs.ts';
import { ACCOUNT_ID, OTHER_ACCOUNT_ID, REGION_ID, forEachBackend } from './backends.ts';
import { vpcFixture } from './fixtures.ts';

const owner = { accountId: ACCOUNT_ID, regionId: REGION_ID };

forEachBackend('store contract: tags', ({ write, read }) => {
  test('tags are added, a key set again takes the new value, and they list in the order first set', async () => {
    await write((tx) => insertVpc(tx, vpcFixture('vpc-t1')));
    await write((tx) =>
      upsertTags(
        tx,
        owner,
        'vpc',
        'vpc-t1',
        [
          { key: 'b', value: '1' },
          { key: 'a', value: '2' },
        ],
        10,
      ),
    );
    await write((tx) =>
      upsertTags(
        tx,
        owner,
        'vpc',
        'vpc-t1',
        [
          { key: 'b', value: 'changed' },
          { key: 'c', value: '' },
        ],
        20,
      ),
    );
    assert.deepEqual((await tagsOf(read(), ['vpc-t1', 'vpc-untagged'])).get('vpc-t1'), [
      { key: 'a', value: '2' },
      { key: 'b', value: 'changed' },
      { key: 'c', value: '' },
    ]);
    assert.equal((await tagsOf(read(), ['vpc-untagged'])).has('vpc-untagged'), false);
    assert.equal((await tagsOf(read(), [])).size, 0);
    assert.equal(await countTags(read(), 'vpc-t1'), 3);
  });

  test('one key per resource: a second row for it is refused by the database', async () => {
    await assert.rejects(() =>
      write((tx) =>
        tx.db
          .insertInto('tags')
          .values({ account_id: ACCOUNT_ID, region_id: REGION_ID, resource_type: 'vpc', resource_id: 'vpc-t1', tag_key: 'a', tag_value: 'x', created_at: 1 })
          .execute(),
      ),
    );
  });

  test('removing named keys (absent ones are no error), then all', async () => {
    await write((tx) => removeTags(tx, 'vpc-t1', ['b', 'missing']));
    assert.deepEqual(
      (await tagsOf(read(), ['vpc-t1'])).get('vpc-t1')?.map((t) => t.key),
      ['a', 'c'],
    );
    await write((tx) => removeTags(tx, 'vpc-t1', []));
    assert.equal(await countTags(read(), 'vpc-t1'), 2);
    await write((tx) => removeTags(tx, 'vpc-t1', 'all'));
    assert.equal(await countTags(read(), 'vpc-t1'), 0);
  });

  test("listing: the owner's live resources of one kind, by ID and tag filters, in (resource, key) order, resumable", async () => {
    await write(async (tx) => {
      await insertVpc(tx, vpcFixture('vpc-t2'));
      await insertVpc(tx, vpcFixture('vpc-t3'));
      await insertVpc(tx, vpcFixture('vpc-t4', { status: 'Deleting', nextStatus: 'Gone', transitionAt: 50 }));
      await upsertTags(
        tx,
        owner,
        'vpc',
        'vpc-t2',
        [
          { key: 'env', value: 'prod' },
          { key: 'app', value: 'web' },
        ],
        1,
      );
      await upsertTags(tx, owner, 'vpc', 'vpc-t3', [{ key: 'env', value: 'test' }], 1);
      await upsertTags(tx, owner, 'vpc', 'vpc-t4', [{ key: 'env', value: 'prod' }], 1);
      // Same IDs under another owner or kind are not listed.
      await upsertTags(tx, { accountId: OTHER_ACCOUNT_ID, regionId: REGION_ID }, 'vpc', 'vpc-other', [{ key: 'env', value: 'prod' }], 1);
    });
    const list = (q: Omit<Parameters<typeof listTagResources>[1], 'owner' | 'kind'>, now = 0, limit = 10) =>
      listTagResources(read(), { owner, kind: 'vpc', ...q }, now, limit);
    assert.deepEqual(await list({ resourceIds: ['vpc-t2', 'vpc-t3', 'vpc-t4', 'vpc-other'] }), [
      { resourceId: 'vpc-t2', key: 'app', value: 'web' },
      { resourceId: 'vpc-t2', key: 'env', value: 'prod' },
      { resourceId: 'vpc-t3', key: 'env', value: 'test' },
      { resourceId: 'vpc-t4', key: 'env', value: 'prod' },
    ]);
    // A resource whose deletion is due is no longer listed.
    assert.deepEqual(
      (await list({ resourceIds: ['vpc-t4'] }, 50)).map((r) => r.resourceId),
      [],
    );
    // Tag filters: resources carrying every filter, only their matching tags.
    assert.deepEqual(await list({ filters: [{ key: 'env', value: 'prod' }] }, 50), [{ resourceId: 'vpc-t2', key: 'env', value: 'prod' }]);
    assert.deepEqual(
      (await list({ filters: [{ key: 'env' }] }, 50)).map((r) => r.resourceId),
      ['vpc-t2', 'vpc-t3'],
    );
    // A page of 1 returns 2 rows (one more tells another page follows); the cursor resumes after a row.
    assert.equal((await list({ resourceIds: ['vpc-t2', 'vpc-t3'] }, 0, 1)).length, 2);
    assert.deepEqual(await list({ resourceIds: ['vpc-t2', 'vpc-t3'], after: { resourceId: 'vpc-t2', key: 'app' } }), [
      { resourceId: 'vpc-t2', key: 'env', value: 'prod' },
      { resourceId: 'vpc-t3', key: 'env', value: 'test' },
    ]);
    assert.deepEqual(await listTagResources(read(), { owner, kind: 'vswitch', resourceIds: ['vpc-t2'] }, 0, 10), []);
  });

  test("tag targets: which IDs are the owner's live resources of a kind", async () => {
    assert.deepEqual([...(await existingTargets(read(), 'vpc', owner, ['vpc-t2', 'vpc-t4', 'vpc-none'], 0))].sort(), ['vpc-t2', 'vpc-t4']);
    assert.deepEqual([...(await existingTargets(read(), 'vpc', owner, ['vpc-t2', 'vpc-t4'], 50))], ['vpc-t2']);
    assert.deepEqual([...(await existingTargets(read(), 'vpc', { accountId: OTHER_ACCOUNT_ID, regionId: REGION_ID }, ['vpc-t2'], 0))], []);
    assert.deepEqual([...(await write((tx) => existingTargets(tx, 'vpc', owner, ['vpc-t3'], 0, true)))], ['vpc-t3']);
    assert.equal((await existingTargets(read(), 'vpc', owner, [], 0)).size, 0);
    assert.deepEqual(taggableKinds().sort(), ['eip', 'eni', 'instance', 'securitygroup', 'vpc', 'vswitch']);
    assert.equal(isTaggable('vswitch'), true);
  });
});
