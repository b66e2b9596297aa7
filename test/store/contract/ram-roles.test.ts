import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deleteRamRole, insertRamRole, listRamRoles, ramRoleOf } from '../../../src/store/repos/ram-roles.ts';
import { ACCOUNT_ID, OTHER_ACCOUNT_ID, REGION_ID, forEachBackend } from './backends.ts';

forEachBackend('store contract: instance RAM roles', ({ write, read }) => {
  const attach = (instanceId: string, roleName: string, attachedAt = 1_700_000_000_000, accountId = ACCOUNT_ID) =>
    write((tx) => insertRamRole(tx, { instanceId, accountId, regionId: REGION_ID, roleName, attachedAt }));

  test("an instance's role comes back with its attachment time as a number; none for an instance without one", async () => {
    await attach('i-r-1', 'EcsRole', 1_700_000_000_123);
    const role = await ramRoleOf(read(), 'i-r-1');
    assert.deepEqual(role, { instanceId: 'i-r-1', roleName: 'EcsRole', attachedAt: 1_700_000_000_123 });
    assert.equal(typeof role!.attachedAt, 'number');
    assert.equal(await ramRoleOf(read(), 'i-none'), undefined);
  });

  test('an instance holds one role: a second attachment is refused by the database until the first is removed', async () => {
    await attach('i-r-2', 'First');
    await assert.rejects(() => attach('i-r-2', 'Second'));
    assert.equal((await ramRoleOf(read(), 'i-r-2'))!.roleName, 'First');
    await write((tx) => deleteRamRole(tx, 'i-r-2'));
    assert.equal(await ramRoleOf(read(), 'i-r-2'), undefined);
    await attach('i-r-2', 'Second', 1_700_000_000_999);
    assert.deepEqual(await ramRoleOf(read(), 'i-r-2'), { instanceId: 'i-r-2', roleName: 'Second', attachedAt: 1_700_000_000_999 });
  });

  test('listing: by instance IDs and/or role name, in instance ID order, one page with the total, one account', async () => {
    for (const [id, role] of [
      ['i-l-c', 'Reader'],
      ['i-l-a', 'Reader'],
      ['i-l-b', 'Writer'],
    ] as const) {
      await attach(id, role);
    }
    await attach('i-l-other', 'Reader', 1, OTHER_ACCOUNT_ID);
    const q = { accountId: ACCOUNT_ID, regionId: REGION_ID };
    const ids = async (filter: { instanceIds?: string[]; roleName?: string }, window = { offset: 0, limit: 50 }) =>
      (await listRamRoles(read(), { ...q, ...filter }, window)).roles.map((r) => r.instanceId);
    assert.deepEqual(await ids({ roleName: 'Reader' }), ['i-l-a', 'i-l-c']);
    assert.deepEqual(await ids({ instanceIds: ['i-l-b', 'i-l-c', 'i-l-other'] }), ['i-l-b', 'i-l-c']);
    assert.deepEqual(await ids({ instanceIds: ['i-l-b', 'i-l-c'], roleName: 'Reader' }), ['i-l-c']);
    assert.deepEqual(await ids({ instanceIds: [] }), []);
    const page = await listRamRoles(read(), { ...q, roleName: 'Reader' }, { offset: 1, limit: 1 });
    assert.deepEqual(page, { roles: [{ instanceId: 'i-l-c', roleName: 'Reader', attachedAt: 1_700_000_000_000 }], total: 2 });
    assert.equal((await listRamRoles(read(), { accountId: OTHER_ACCOUNT_ID, regionId: REGION_ID }, { offset: 0, limit: 5 })).total, 1);
  });
});
