import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ResourceGroup } from '../../../src/domain/models/resource-group.ts';
import {
  deleteResourceGroup,
  findResourceGroup,
  findResourceGroupByName,
  insertResourceGroup,
  listResourceGroups,
  resourceGroupInUse,
} from '../../../src/store/repos/resource-groups.ts';
import { insertVpc } from '../../../src/store/repos/vpcs.ts';
import { ACCOUNT_ID, OTHER_ACCOUNT_ID, forEachBackend } from './backends.ts';
import { vpcFixture } from './fixtures.ts';

function group(id: string, over: Partial<ResourceGroup> = {}): ResourceGroup {
  return { id, accountId: ACCOUNT_ID, name: id.slice(3), displayName: `group ${id}`, isDefault: false, createdAt: 100, ...over };
}

forEachBackend('store contract: resource groups', ({ write, read }) => {
  test('a stored group comes back as the same model, by ID or by name, for its account only', async () => {
    const def = group('rg-default1', { name: 'default', isDefault: true, createdAt: 1 });
    await write((tx) => insertResourceGroup(tx, def));
    assert.deepEqual(await findResourceGroup(read(), ACCOUNT_ID, 'rg-default1'), def);
    assert.deepEqual(await findResourceGroupByName(read(), ACCOUNT_ID, 'default'), def);
    assert.equal((await findResourceGroup(read(), ACCOUNT_ID, 'rg-default1'))?.isDefault, true);
    assert.equal(await findResourceGroup(read(), OTHER_ACCOUNT_ID, 'rg-default1'), undefined);
    assert.equal(await findResourceGroupByName(read(), OTHER_ACCOUNT_ID, 'default'), undefined);
  });

  test('a name is unique within an account (the database refuses a second), not across accounts', async () => {
    await assert.rejects(() => write((tx) => insertResourceGroup(tx, group('rg-dup', { name: 'default' }))));
    await write((tx) => insertResourceGroup(tx, group('rg-otherdefault', { accountId: OTHER_ACCOUNT_ID, name: 'default', isDefault: true })));
    assert.equal((await findResourceGroupByName(read(), OTHER_ACCOUNT_ID, 'default'))?.id, 'rg-otherdefault');
    await assert.rejects(() => write((tx) => insertResourceGroup(tx, group('rg-default1', { name: 'another' }))));
  });

  test("listing: the account's groups, oldest first (the default leads), by IDs and name", async () => {
    await write(async (tx) => {
      await insertResourceGroup(tx, group('rg-zeta', { createdAt: 5 }));
      await insertResourceGroup(tx, group('rg-alpha', { createdAt: 5 }));
    });
    const ids = async (f: Parameters<typeof listResourceGroups>[2]) => (await listResourceGroups(read(), ACCOUNT_ID, f)).map((g) => g.id);
    assert.deepEqual(await ids({}), ['rg-default1', 'rg-alpha', 'rg-zeta']);
    assert.deepEqual(await ids({ ids: ['rg-zeta', 'rg-otherdefault'] }), ['rg-zeta']);
    assert.deepEqual(await ids({ ids: [] }), []);
    assert.deepEqual(await ids({ name: 'alpha' }), ['rg-alpha']);
    assert.deepEqual((await listResourceGroups(read(), ACCOUNT_ID, { name: 'zeta' }))[0], group('rg-zeta', { createdAt: 5 }));
  });

  test('a group holding a resource is in use; an empty one is deleted', async () => {
    await write((tx) => insertVpc(tx, vpcFixture('vpc-rg', { resourceGroupId: 'rg-alpha' })));
    assert.equal(await resourceGroupInUse(read(), 'rg-alpha'), true);
    assert.equal(await resourceGroupInUse(read(), 'rg-zeta'), false);
    await write((tx) => deleteResourceGroup(tx, 'rg-zeta'));
    assert.equal(await findResourceGroup(read(), ACCOUNT_ID, 'rg-zeta'), undefined);
  });
});
