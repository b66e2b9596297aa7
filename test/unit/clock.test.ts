import assert from 'node:assert/strict';
import { test } from 'node:test';
import { systemClock } from '../../src/lib/clock.ts';

test('systemClock follows the wall clock forward and holds still while it steps back', (t) => {
  const start = Date.now() + 60_000;
  let wall = start;
  t.mock.method(Date, 'now', () => wall);
  assert.equal(systemClock.now(), start);
  wall = start - 5_000; // NTP steps the clock back
  assert.equal(systemClock.now(), start);
  wall = start + 7;
  assert.equal(systemClock.now(), start + 7);
});
