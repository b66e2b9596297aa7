import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseIpv4Cidr, type Ipv4Net } from '../../src/domain/cidr.ts';
import { checkRequestedAddress, releaseIntoRanges, takeFromRange, usableSpan } from '../../src/domain/ipam.ts';

const net = parseIpv4Cidr('192.168.1.0/24') as Ipv4Net;
const ip = (last: number) => net.first + last;

test('ipam: a /24 offers .1 to .252; the network address and the last three are reserved', () => {
  assert.deepEqual(usableSpan(net), { first: ip(1), last: ip(252) });
  assert.equal(checkRequestedAddress('192.168.1.1', net), ip(1));
  assert.equal(checkRequestedAddress('192.168.1.252', net), ip(252));
  for (const reserved of ['192.168.1.0', '192.168.1.253', '192.168.1.254', '192.168.1.255']) assert.equal(checkRequestedAddress(reserved, net), 'reserved');
  assert.equal(checkRequestedAddress('192.168.2.1', net), 'outside');
  assert.equal(checkRequestedAddress('192.168.1.300', net), 'malformed');
});

test('ipam: taking an address shrinks, splits or removes its free range', () => {
  const r = { first: ip(1), last: ip(252) };
  assert.deepEqual(takeFromRange(r, ip(1)), [{ kind: 'update', first: ip(1), to: { first: ip(2), last: ip(252) } }]);
  assert.deepEqual(takeFromRange(r, ip(252)), [{ kind: 'update', first: ip(1), to: { first: ip(1), last: ip(251) } }]);
  assert.deepEqual(takeFromRange(r, ip(100)), [
    { kind: 'update', first: ip(1), to: { first: ip(1), last: ip(99) } },
    { kind: 'insert', range: { first: ip(101), last: ip(252) } },
  ]);
  assert.deepEqual(takeFromRange({ first: ip(7), last: ip(7) }, ip(7)), [{ kind: 'delete', first: ip(7) }]);
  assert.throws(() => takeFromRange(r, ip(253)));
});

test('ipam: releasing an address merges it with its neighbouring free ranges', () => {
  const before = { first: ip(1), last: ip(9) };
  const after = { first: ip(11), last: ip(20) };
  assert.deepEqual(releaseIntoRanges(ip(10), before, after), [
    { kind: 'delete', first: ip(11) },
    { kind: 'update', first: ip(1), to: { first: ip(1), last: ip(20) } },
  ]);
  assert.deepEqual(releaseIntoRanges(ip(10), before, { first: ip(30), last: ip(40) }), [{ kind: 'update', first: ip(1), to: { first: ip(1), last: ip(10) } }]);
  assert.deepEqual(releaseIntoRanges(ip(10), undefined, after), [{ kind: 'update', first: ip(11), to: { first: ip(10), last: ip(20) } }]);
  assert.deepEqual(releaseIntoRanges(ip(10), { first: ip(1), last: ip(5) }, { first: ip(15), last: ip(20) }), [
    { kind: 'insert', range: { first: ip(10), last: ip(10) } },
  ]);
});
