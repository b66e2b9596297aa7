import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findClientToken, insertClientToken } from '../../../src/store/repos/client-tokens.ts';
import { ACCOUNT_ID, OTHER_ACCOUNT_ID, forEachBackend } from './backends.ts';

forEachBackend('store contract: client tokens', ({ write, read }) => {
  const token = { action: 'CreateNetworkInterface', token: 'tok-1', paramsHash: 'h1', response: '{"NetworkInterfaceId":"eni-1"}', createdAt: 5 };

  test('a recorded token is found by account, action and token, and by nothing else', async () => {
    await write((tx) => insertClientToken(tx, { accountId: ACCOUNT_ID, ...token }));
    assert.deepEqual(await findClientToken(read(), ACCOUNT_ID, token.action, token.token), { params_hash: 'h1', response: token.response });
    assert.equal(await findClientToken(read(), OTHER_ACCOUNT_ID, token.action, token.token), undefined);
    assert.equal(await findClientToken(read(), ACCOUNT_ID, 'DeleteNetworkInterface', token.token), undefined);
  });

  test('the same token twice for one account and action is refused by the database', async () => {
    await assert.rejects(() => write((tx) => insertClientToken(tx, { accountId: ACCOUNT_ID, ...token, paramsHash: 'h2' })));
    // Another account may use the same token.
    await write((tx) => insertClientToken(tx, { accountId: OTHER_ACCOUNT_ID, ...token }));
  });

  test('a token written in a transaction that rolls back is not kept', async () => {
    await assert.rejects(() =>
      write(async (tx) => {
        await insertClientToken(tx, { accountId: ACCOUNT_ID, ...token, token: 'tok-rolled-back' });
        throw new Error('the action failed after recording its token');
      }),
    );
    assert.equal(await findClientToken(read(), ACCOUNT_ID, token.action, 'tok-rolled-back'), undefined);
  });
});
