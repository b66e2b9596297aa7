/** Every other declared action's parameters, fuzzed (action-params.ts): the second half. */
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { fuzzActionParams } from './action-params.ts';

test('every action, parameters generated from its declaration: a success or a 4xx envelope, and a refusal changes nothing (odd actions)', (t) =>
  fuzzActionParams(fileURLToPath(import.meta.url), 1, t));
