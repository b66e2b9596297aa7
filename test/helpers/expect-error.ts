import assert from 'node:assert/strict';

/** What a rejected SDK call carried: the code, the HTTP status and the error body. */
export interface SdkError {
  code: string;
  statusCode?: number;
  data?: Record<string, unknown>;
  message: string;
}

/** Awaits a call that must fail with `code` (and `status`, when given); returns the error. */
export async function expectApiError(call: Promise<unknown>, code: string, status?: number): Promise<SdkError> {
  try {
    await call;
  } catch (err) {
    const e = err as SdkError & { data?: { Code?: string } };
    const actual = e.code ?? e.data?.Code;
    assert.equal(actual, code, `expected ${code}, got ${actual}: ${e.message}`);
    if (status !== undefined) assert.equal(e.statusCode, status, `expected HTTP ${status} for ${code}`);
    return e;
  }
  assert.fail(`expected ${code}, but the call succeeded`);
}
