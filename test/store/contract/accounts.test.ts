import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  countAccounts,
  findAccessKey,
  findAccountByName,
  insertAccessKey,
  insertAccount,
  listAccounts,
  upsertAccessKey,
} from '../../../src/store/repos/accounts.ts';
import { ACCOUNT_ID, forEachBackend } from './backends.ts';

forEachBackend('store contract: accounts and access keys', ({ write, read }) => {
  test('an account comes back as its model, by name; names are unique (the database refuses a second)', async () => {
    const before = await countAccounts(read());
    await write((tx) => insertAccount(tx, { id: '1000000000000003', name: 'team', createdAt: 1_700_000_000_000 }));
    assert.equal(await countAccounts(read()), before + 1);
    assert.deepEqual(await findAccountByName(read(), 'team'), { id: '1000000000000003', name: 'team', createdAt: 1_700_000_000_000 });
    assert.equal(await findAccountByName(read(), 'nobody'), undefined);
    await assert.rejects(() => write((tx) => insertAccount(tx, { id: '1000000000000004', name: 'team', createdAt: 1 })));
  });

  test('keys: found by AccessKeyId; an upsert replaces the secret; a key of no account is refused', async () => {
    await write((tx) => insertAccessKey(tx, { accountId: ACCOUNT_ID, accessKeyId: 'AK-1', secret: 's1' }, 5));
    assert.deepEqual(await findAccessKey(read(), 'AK-1'), { accountId: ACCOUNT_ID, accessKeyId: 'AK-1', secret: 's1' });
    await assert.rejects(() => write((tx) => insertAccessKey(tx, { accountId: ACCOUNT_ID, accessKeyId: 'AK-1', secret: 'again' }, 6)));
    await write((tx) => upsertAccessKey(tx, { accountId: ACCOUNT_ID, accessKeyId: 'AK-1', secret: 's2' }, 7));
    await write((tx) => upsertAccessKey(tx, { accountId: ACCOUNT_ID, accessKeyId: 'AK-2', secret: 's3' }, 7));
    assert.equal((await findAccessKey(read(), 'AK-1'))?.secret, 's2');
    assert.equal((await findAccessKey(read(), 'AK-2'))?.secret, 's3');
    assert.equal(await findAccessKey(read(), 'AK-none'), undefined);
    await assert.rejects(() => write((tx) => insertAccessKey(tx, { accountId: '9999999999999999', accessKeyId: 'AK-orphan', secret: 's' }, 1)));
  });

  test('the listing: one entry per key, an account without keys once with none, oldest account first', async () => {
    const listed = await listAccounts(read());
    const mine = listed.filter((a) => a.id === ACCOUNT_ID).map((a) => a.accessKeyId);
    assert.deepEqual(mine.sort(), ['AK-1', 'AK-2']);
    assert.deepEqual(
      listed.find((a) => a.id === '1000000000000003'),
      { id: '1000000000000003', name: 'team', createdAt: 1_700_000_000_000, accessKeyId: null },
    );
    assert.equal(listed[listed.length - 1]?.id, '1000000000000003');
  });
});
