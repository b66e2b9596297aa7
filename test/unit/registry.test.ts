import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveAction } from '../../src/api/registry.ts';

test("registry: a product's own version selects that product only", () => {
  assert.equal(resolveAction('UntagResources', '2014-05-26').kind, 'found');
  // The VPC product spells it UnTagResources; ECS's spelling is not a VPC action.
  assert.equal(resolveAction('UntagResources', '2016-04-28').kind, 'unknown');
  const vpc = resolveAction('UnTagResources', '2016-04-28');
  assert.equal(vpc.kind === 'found' && vpc.action.def.product, 'Vpc');
});

test('registry: an unknown version string looks in both products', () => {
  const r = resolveAction('DescribeVpcs', '2099-01-01');
  assert.equal(r.kind === 'found' && r.action.def.product, 'Vpc');
  const ecs = resolveAction('DescribeRegions', '2099-01-01');
  assert.equal(ecs.kind === 'found' && ecs.action.def.product, 'Ecs');
});

test('registry: real actions not implemented are told apart from unknown names', () => {
  assert.equal(resolveAction('DescribeSnapshots', '2014-05-26').kind, 'not-implemented');
  assert.equal(resolveAction('DescribeUnicorns', '2014-05-26').kind, 'unknown');
});
