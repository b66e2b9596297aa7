import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkEipDescription, checkEipName, maxEipBandwidth, parseEipBandwidth } from '../../src/domain/eip-rules.ts';
import { ApiError } from '../../src/errors/api-error.ts';

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ApiError, `expected an ApiError, got ${String(err)}`);
    return `${err.httpStatus} ${err.code}`;
  }
  assert.fail('expected an error');
}

test('EIP bandwidth: a whole number of Mbit/s, 1 to 500 by bandwidth and 1 to 200 by traffic', () => {
  assert.equal(maxEipBandwidth('PayByBandwidth'), 500);
  assert.equal(maxEipBandwidth('PayByTraffic'), 200);
  assert.equal(parseEipBandwidth('1', 'PayByTraffic'), 1);
  assert.equal(parseEipBandwidth('200', 'PayByTraffic'), 200);
  assert.equal(parseEipBandwidth('500', 'PayByBandwidth'), 500);
  assert.equal(parseEipBandwidth('007', 'PayByBandwidth'), 7);
  for (const [text, type] of [
    ['201', 'PayByTraffic'],
    ['501', 'PayByBandwidth'],
    ['0', 'PayByBandwidth'],
    ['-1', 'PayByBandwidth'],
    ['1.5', 'PayByBandwidth'],
    ['ten', 'PayByBandwidth'],
    ['', 'PayByBandwidth'],
  ] as const) {
    assert.equal(
      code(() => parseEipBandwidth(text, type)),
      '400 InvalidParameter',
      `${text} with ${type}`,
    );
  }
});

test('EIP name and description: up to 128 and 256 characters, empty allowed, never a URL start', () => {
  for (const ok of [undefined, '', 'web', 'n'.repeat(128), '中文名']) assert.doesNotThrow(() => checkEipName(ok));
  for (const bad of ['n'.repeat(129), 'http://x', 'HTTPS://x']) {
    assert.equal(
      code(() => checkEipName(bad)),
      '400 InvalidParameter',
    );
  }
  for (const ok of [undefined, '', 'd'.repeat(256)]) assert.doesNotThrow(() => checkEipDescription(ok));
  for (const bad of ['d'.repeat(257), 'https://x']) {
    assert.equal(
      code(() => checkEipDescription(bad)),
      '400 InvalidParameter',
    );
  }
});
