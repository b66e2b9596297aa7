import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseIpv4Cidr, type Ipv4Net } from '../../src/domain/cidr.ts';
import { assertIpv4EntryCount } from '../../src/domain/eni-rules.ts';
import { findInstanceType } from '../../src/domain/instance-types.ts';
import {
  alignUp,
  checkRequestedPrefix,
  firstBlockIn,
  ipv4PrefixText,
  randomBlockPoint,
  releaseBlockIntoRanges,
  takeBlockFromRange,
  usableSpan,
} from '../../src/domain/ipam.ts';
import { seededRandom } from '../../src/lib/random.ts';

const net = parseIpv4Cidr('192.168.1.0/24') as Ipv4Net;
const ip = (last: number) => net.first + last;

test('ipv4 prefixes: a requested prefix is a standard /28 inside the usable part of the vSwitch', () => {
  assert.equal(checkRequestedPrefix('192.168.1.16/28', net), ip(16));
  assert.equal(checkRequestedPrefix('192.168.1.224/28', net), ip(224));
  assert.equal(checkRequestedPrefix('192.168.1.17/28', net), 'unaligned');
  assert.equal(checkRequestedPrefix('192.168.1.16/27', net), 'length');
  assert.equal(checkRequestedPrefix('192.168.1.16/29', net), 'length');
  for (const bad of ['192.168.1.16', '192.168.1.16/', 'a.b.c.d/28', '192.168.1.256/28', ' 192.168.1.16/28', '192.168.1.16/28 ']) {
    assert.equal(checkRequestedPrefix(bad, net), 'malformed', bad);
  }
  assert.equal(checkRequestedPrefix('192.168.2.16/28', net), 'outside');
  // The network address (.0) and the last three (.253-.255) are reserved: the blocks holding them are refused.
  assert.equal(checkRequestedPrefix('192.168.1.0/28', net), 'reserved');
  assert.equal(checkRequestedPrefix('192.168.1.240/28', net), 'reserved');
  // A /28 vSwitch has no room for a prefix at all.
  assert.equal(checkRequestedPrefix('10.0.0.0/28', parseIpv4Cidr('10.0.0.0/28') as Ipv4Net), 'reserved');
  assert.equal(ipv4PrefixText(ip(32)), '192.168.1.32/28');
});

test('ipv4 prefixes: the first whole aligned /28 of a free range (the block_start column), or null', () => {
  assert.equal(alignUp(ip(1)), ip(16));
  assert.equal(alignUp(ip(16)), ip(16));
  assert.equal(firstBlockIn(usableSpan(net)), ip(16));
  assert.equal(firstBlockIn({ first: ip(16), last: ip(31) }), ip(16));
  assert.equal(firstBlockIn({ first: ip(17), last: ip(47) }), ip(32));
  assert.equal(firstBlockIn({ first: ip(17), last: ip(46) }), null);
  assert.equal(firstBlockIn({ first: ip(20), last: ip(20) }), null);
  // From a point inside the range: the first block at or after it.
  assert.equal(firstBlockIn({ first: ip(1), last: ip(252) }, ip(100)), ip(112));
  assert.equal(firstBlockIn({ first: ip(1), last: ip(252) }, ip(230)), null);
});

test('ipv4 prefixes: carving a block shrinks, splits or removes its free range', () => {
  const r = { first: ip(1), last: ip(252) };
  assert.deepEqual(takeBlockFromRange(r, ip(16), ip(31)), [
    { kind: 'update', first: ip(1), to: { first: ip(1), last: ip(15) } },
    { kind: 'insert', range: { first: ip(32), last: ip(252) } },
  ]);
  assert.deepEqual(takeBlockFromRange({ first: ip(16), last: ip(100) }, ip(16), ip(31)), [
    { kind: 'update', first: ip(16), to: { first: ip(32), last: ip(100) } },
  ]);
  assert.deepEqual(takeBlockFromRange({ first: ip(5), last: ip(31) }, ip(16), ip(31)), [{ kind: 'update', first: ip(5), to: { first: ip(5), last: ip(15) } }]);
  assert.deepEqual(takeBlockFromRange({ first: ip(16), last: ip(31) }, ip(16), ip(31)), [{ kind: 'delete', first: ip(16) }]);
  assert.throws(() => takeBlockFromRange({ first: ip(17), last: ip(40) }, ip(16), ip(31)));
});

test('ipv4 prefixes: releasing a block merges it with the free ranges around it', () => {
  assert.deepEqual(releaseBlockIntoRanges(ip(16), ip(31), { first: ip(1), last: ip(15) }, { first: ip(32), last: ip(252) }), [
    { kind: 'delete', first: ip(32) },
    { kind: 'update', first: ip(1), to: { first: ip(1), last: ip(252) } },
  ]);
  assert.deepEqual(releaseBlockIntoRanges(ip(16), ip(31), { first: ip(1), last: ip(15) }, { first: ip(40), last: ip(50) }), [
    { kind: 'update', first: ip(1), to: { first: ip(1), last: ip(31) } },
  ]);
  assert.deepEqual(releaseBlockIntoRanges(ip(16), ip(31), undefined, { first: ip(32), last: ip(50) }), [
    { kind: 'update', first: ip(32), to: { first: ip(16), last: ip(50) } },
  ]);
  assert.deepEqual(releaseBlockIntoRanges(ip(16), ip(31), { first: ip(1), last: ip(5) }, undefined), [
    { kind: 'insert', range: { first: ip(16), last: ip(31) } },
  ]);
});

test('ipv4 prefixes: a random pick point is an aligned block start of the usable span, each one reachable', () => {
  const random = seededRandom('prefix-points');
  const span = usableSpan(net);
  const seen = new Set<number>();
  for (let i = 0; i < 2000; i++) {
    const p = randomBlockPoint(span, random);
    assert.equal(p % 16, 0);
    assert.ok(p >= ip(16) && p + 15 <= span.last, `${p} starts a whole block of the span`);
    seen.add(p);
  }
  // 16, 32, ..., 224: 14 blocks fit between .1 and .252.
  assert.equal(seen.size, 14);
  // A span with no whole block answers its first aligned point (the pick then finds nothing).
  assert.equal(randomBlockPoint(usableSpan(parseIpv4Cidr('10.0.0.0/28') as Ipv4Net), random) % 16, 0);
});

test("assertIpv4EntryCount: each prefix counts as one address; an unattached ENI holds 10 addresses and 50 entries, an attached one its type's figure", () => {
  const g7large = findInstanceType('ecs.g7.large')!; // 6 per ENI
  const code = (f: () => void) => {
    try {
      f();
    } catch (e) {
      return (e as { code: string }).code;
    }
    return 'none';
  };
  assert.equal(
    code(() => assertIpv4EntryCount(1, 49, 'Available', undefined)),
    'none',
  );
  assert.equal(
    code(() => assertIpv4EntryCount(1, 50, 'Available', undefined)),
    'InvalidOperation.Ipv4CountExceeded',
  );
  assert.equal(
    code(() => assertIpv4EntryCount(10, 40, 'Available', undefined)),
    'none',
  );
  assert.equal(
    code(() => assertIpv4EntryCount(11, 0, 'Available', undefined)),
    'InvalidOperation.Ipv4CountExceeded',
  );
  // "An ecs.g7.large instance supports up to six private IPv4 addresses per ENI ... up to five IPv4 prefixes."
  assert.equal(
    code(() => assertIpv4EntryCount(1, 5, 'InUse', g7large)),
    'none',
  );
  assert.equal(
    code(() => assertIpv4EntryCount(1, 6, 'InUse', g7large)),
    'InvalidOperation.Ipv4CountExceeded',
  );
  assert.equal(
    code(() => assertIpv4EntryCount(2, 5, 'InUse', g7large)),
    'InvalidOperation.Ipv4CountExceeded',
  );
  assert.equal(
    code(() => assertIpv4EntryCount(6, 0, 'InUse', g7large)),
    'none',
  );
});
