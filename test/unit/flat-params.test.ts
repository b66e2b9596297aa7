import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Type } from '@sinclair/typebox';
import { wireName } from '../../src/api/validate-params.ts';
import { decodeFlatParams } from '../../src/wire/flat-params.ts';
import { CommaList, JsonList, RepeatList } from '../../src/api/params.ts';
import { ApiError } from '../../src/errors/api-error.ts';

const schema = Type.Object({
  RegionId: Type.String(),
  Count: Type.Optional(Type.Integer()),
  Flag: Type.Optional(Type.Boolean()),
  Ids: Type.Optional(RepeatList(Type.String(), 10)),
  Tag: Type.Optional(RepeatList(Type.Object({ Key: Type.Optional(Type.String()), Value: Type.Optional(Type.String()) }), 20)),
  NetworkInterface: Type.Optional(
    RepeatList(Type.Object({ VSwitchId: Type.Optional(Type.String()), SecurityGroupIds: Type.Optional(RepeatList(Type.String(), 5)) }), 8),
  ),
  InstanceIds: Type.Optional(JsonList(Type.String(), 100)),
  VpcId: Type.Optional(CommaList(Type.String(), 20)),
  SystemDisk: Type.Optional(Type.Object({ Category: Type.Optional(Type.String()), Size: Type.Optional(Type.Integer()) })),
});

test('flat params: repeat lists, lists of objects, nested lists, JSON and comma lists, nested objects', () => {
  const { value, unknown } = decodeFlatParams(
    schema,
    {
      RegionId: 'cn-hangzhou',
      Count: '3',
      Flag: 'TRUE',
      'Ids.2': 'b',
      'Ids.1': 'a',
      'Ids.10': 'c',
      'Tag.1.Key': 'env',
      'Tag.1.Value': 'dev',
      'Tag.2.Key': 'team',
      'NetworkInterface.1.VSwitchId': 'vsw-1',
      'NetworkInterface.1.SecurityGroupIds.1': 'sg-a',
      'NetworkInterface.1.SecurityGroupIds.2': 'sg-b',
      InstanceIds: '["i-1","i-2"]',
      VpcId: 'vpc-1, vpc-2',
      'SystemDisk.Size': '40',
      Action: 'X',
      Bogus: '1',
    },
    new Set(['Action']),
  );
  assert.deepEqual(value, {
    RegionId: 'cn-hangzhou',
    Count: 3,
    Flag: true,
    Ids: ['a', 'b', 'c'],
    Tag: [{ Key: 'env', Value: 'dev' }, { Key: 'team' }],
    NetworkInterface: [{ VSwitchId: 'vsw-1', SecurityGroupIds: ['sg-a', 'sg-b'] }],
    InstanceIds: ['i-1', 'i-2'],
    VpcId: ['vpc-1', 'vpc-2'],
    SystemDisk: { Size: 40 },
  });
  assert.deepEqual(unknown, ['Bogus']);
});

test('flat params: a non-integer, a non-boolean or bad JSON is an InvalidParameter naming the wire key', () => {
  for (const [raw, key] of [
    [{ RegionId: 'r', Count: 'three' }, 'Count'],
    [{ RegionId: 'r', Flag: 'yes' }, 'Flag'],
    [{ RegionId: 'r', InstanceIds: '[i-1' }, 'InstanceIds'],
    [{ RegionId: 'r', 'SystemDisk.Size': '4.5' }, 'SystemDisk.Size'],
  ] as const) {
    assert.throws(
      () => decodeFlatParams(schema, raw as Record<string, string>, new Set()),
      (e: unknown) => e instanceof ApiError && e.code === 'InvalidParameter' && e.httpStatus === 400 && e.message.includes(`"${key}"`),
    );
  }
});

test('flat params: an empty value for a number is treated as absent', () => {
  assert.deepEqual(decodeFlatParams(schema, { RegionId: 'r', Count: '' }, new Set()).value, { RegionId: 'r' });
});

test('flat params: validation paths map back to wire names', () => {
  assert.equal(wireName('/Tag/0/Key'), 'Tag.1.Key');
  assert.equal(wireName('/NetworkInterface/1/SecurityGroupIds/4'), 'NetworkInterface.2.SecurityGroupIds.5');
});
