import type { TObject, TSchema } from '@sinclair/typebox';
import fc from 'fast-check';
import type { Fixture } from './target.ts';
import { booleanText, hostileText, numberText, oddIndex } from './wire-values.ts';

/**
 * Wire parameters for an action, generated from its declaration (src/api/**: the TypeBox schema
 * every action is declared with), never from a list written here: a new action or parameter is
 * fuzzed as soon as it is declared. Each parameter is absent, plausible (the fixture's IDs and
 * addresses, enum members, numbers in range), or wrong (another type, out of range, hostile text);
 * lists get ordered, odd or duplicate indexes and too many items; JSON and comma lists get broken
 * text.
 */

export type Entry = [key: string, value: string];

/** Plausible values for a parameter, chosen by its name: what the fixture holds, and near misses. */
function plausibleByName(name: string, fixture: Fixture): fc.Arbitrary<string> | undefined {
  const { main, other } = fixture;
  const mainIds = [main.vpcId, main.vswitchId, main.securityGroupId, main.instanceId, ...main.eniIds, main.eipId, main.resourceGroupId];
  const anyId = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...mainIds) },
    { weight: 1, arbitrary: fc.constantFrom(...fixture.ids) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('i-bp1doesnotexist000', 'eni-', 'vpc-bp1', 'sg-' + 'x'.repeat(300), `${main.instanceId} `, main.vpcId.toUpperCase()),
    },
  );
  const idOf = (...ids: string[]) => fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...ids) }, { weight: 2, arbitrary: anyId });
  if (/RegionId$/.test(name))
    return fc.oneof(
      { weight: 12, arbitrary: fc.constant(fixture.regionId) },
      { weight: 1, arbitrary: fc.constantFrom('cn-beijing', 'us-west-1', 'cn-nowhere', 'CN-HANGZHOU') },
    );
  if (/ZoneId$/.test(name)) return fc.constantFrom(fixture.zoneId, 'cn-hangzhou-i', 'cn-beijing-a', 'cn-hangzhou-z');
  if (/^VpcId$/.test(name)) return idOf(main.vpcId, other.vpcId);
  if (/VSwitchId$/.test(name)) return idOf(main.vswitchId, other.vswitchId);
  if (/(SecurityGroupId|GroupId)$/.test(name)) return idOf(main.securityGroupId, other.securityGroupId);
  if (/^(InstanceId|AssociatedInstanceId|TrunkNetworkInstanceId)$/.test(name)) return idOf(main.instanceId, main.eniIds[0]!, main.eipId, other.instanceId);
  if (/NetworkInterfaceId$/.test(name)) return idOf(...main.eniIds, other.eniIds[1]!);
  if (/AllocationId$/.test(name)) return idOf(main.eipId, other.eipId);
  if (/ResourceGroupId$/.test(name)) return idOf(main.resourceGroupId, other.resourceGroupId);
  if (/^InstanceIds$/.test(name))
    return fc.oneof(
      fc.constant(JSON.stringify([main.instanceId])),
      fc.constant(JSON.stringify([main.instanceId, other.instanceId])),
      fc.constantFrom('[]', '[1]', 'i-1', '["i-1",', JSON.stringify(Array.from({ length: 101 }, (_, i) => `i-${i}`))),
    );
  if (/Id$/.test(name)) return anyId;
  if (/Cidr/.test(name))
    return fc.constantFrom(
      '192.168.0.0/16',
      '192.168.2.0/24',
      '192.168.1.0/24',
      '10.0.0.0/8',
      '172.16.0.0/12',
      '0.0.0.0/0',
      '::/0',
      '2001:db8::/64',
      '192.168.1.1/33',
      '300.1.1.0/24',
      '192.168.0.0',
      '/24',
    );
  if (/Ipv6(Address|Prefix)/.test(name)) return fc.constantFrom('2001:db8::1', '::1', '2001:db8::/80', 'fe80::1%eth0', '::ffff:1.2.3.4');
  if (/(IpAddress|PrivateIp|Ipv4Prefix|EipAddress)/.test(name))
    return fc.oneof(
      fc.constantFrom(...fixture.addresses),
      fc.constantFrom('192.168.1.200', '192.168.1.0', '192.168.1.255', '192.168.1.16/28', '::1', '1.2.3'),
      fc.ipV4(),
    );
  if (/InstanceType$/.test(name)) return fc.constantFrom('ecs.g7.large', 'ecs.ebmg5.24xlarge', 'ecs.t6-c1m1.large', 'ecs.nope', 'ECS.G7.LARGE');
  if (/ImageId$/.test(name)) return fc.constantFrom('aliyun_3_x64_20G_alibase_20240819.vhd', 'ubuntu_22_04_x64_20G_alibase_20240926.vhd', 'm-nope');
  if (/MacAddress/.test(name)) return fc.constantFrom(...fixture.macs);
  if (/ClientToken$/.test(name)) return fc.constantFrom('fuzz-token-1', 'fuzz-token-2', 'fuzz-token-3');
  if (/ResourceType$/.test(name))
    return fc.constantFrom('eni', 'instance', 'securitygroup', 'vpc', 'VPC', 'vswitch', 'eip', 'EIP', 'routetable', 'ResourceGroup', 'disk');
  if (/^(Key|TagKey)$/.test(name)) return fc.constantFrom('fuzz', 'env', 'aliyun-reserved', 'acs:x', 'k'.repeat(129), 'http://x');
  if (/^Value$/.test(name)) return fc.constantFrom('yes', '', 'v'.repeat(129), 'https://x');
  if (/RamRoleName$/.test(name)) return fc.constantFrom('FuzzRole', 'OtherRole', 'bad role');
  if (/Name$/.test(name)) return fc.constantFrom('fuzz-name', 'a', 'n'.repeat(128), 'n'.repeat(129), 'http://x', 'aliyun-name', '-lead', '中文名');
  if (/PortRange$/.test(name)) return fc.constantFrom('22/22', '-1/-1', '1/65535', '80/22', '0/0', '22');
  if (/IpProtocol$/.test(name)) return fc.constantFrom('tcp', 'udp', 'icmp', 'all', 'TCP', 'gre');
  if (/Policy$/.test(name)) return fc.constantFrom('accept', 'drop', 'Accept');
  // NextToken: ours are base64url of `AAAA<offset>` (domain/paging.ts); a huge offset, and other shapes.
  if (/NextToken$/.test(name)) return fc.constantFrom('', 'abc', 'eni-bp1', '1', 'QUFBQTEw', 'QUFBQTk5OTk5OTk5OTk5OTk5OQ', 'QUFBQTk5OTk5OTk5OTk5OTk5OTk5OTk5');
  return undefined;
}

function schemaKind(schema: TSchema): string {
  if (typeof schema.type === 'string') return schema.type;
  if (Array.isArray(schema.anyOf) && schema.anyOf.every((s: TSchema) => typeof s.const === 'string')) return 'enum';
  return 'unknown';
}

function stringValue(name: string, fixture: Fixture): fc.Arbitrary<string> {
  const plausible = plausibleByName(name, fixture) ?? fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 12 });
  // The region decides whether a call goes further than the region check: mostly the fixture's.
  return fc.oneof({ weight: name === 'RegionId' ? 30 : 6, arbitrary: plausible }, { weight: 3, arbitrary: hostileText });
}

function integerValue(schema: TSchema): fc.Arbitrary<string> {
  const min = typeof schema.minimum === 'number' ? schema.minimum : 0;
  const max = typeof schema.maximum === 'number' ? schema.maximum : Math.max(min + 100, 100);
  const edges = [min - 1, min, max, max + 1].map(String);
  return fc.oneof(
    { weight: 5, arbitrary: fc.integer({ min, max: Math.min(max, min + 50) }).map(String) },
    { weight: 2, arbitrary: fc.constantFrom(...edges) },
    { weight: 2, arbitrary: numberText },
  );
}

/** One scalar's text for its schema. */
export function scalarValue(schema: TSchema, name: string, fixture: Fixture): fc.Arbitrary<string> {
  switch (schemaKind(schema)) {
    case 'enum': {
      const values = (schema.anyOf as TSchema[]).map((s) => String(s.const));
      return fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...values) },
        { weight: 1, arbitrary: fc.mixedCase(fc.constantFrom(...values)) },
        { weight: 1, arbitrary: hostileText },
      );
    }
    case 'integer':
      return integerValue(schema);
    case 'number':
      return fc.oneof({ weight: 3, arbitrary: fc.constantFrom('0.5', '1', '2', '4', '16') }, { weight: 2, arbitrary: numberText });
    case 'boolean':
      return fc.oneof({ weight: 5, arbitrary: fc.constantFrom('true', 'false') }, { weight: 1, arbitrary: booleanText });
    default:
      return stringValue(name, fixture);
  }
}

/** A scalar as an element of a JSON list: mostly of the item's type, sometimes not. */
function jsonElement(items: TSchema, name: string, fixture: Fixture): fc.Arbitrary<unknown> {
  const kind = schemaKind(items);
  const typed: fc.Arbitrary<unknown> =
    kind === 'integer' || kind === 'number' ? integerValue(items).map((t) => (Number.isNaN(Number(t)) ? t : Number(t))) : scalarValue(items, name, fixture);
  return fc.oneof({ weight: 6, arbitrary: typed }, { weight: 1, arbitrary: fc.constantFrom<unknown>(1, null, true, {}, [], [1], { a: 'b' }, 1e308, -0) });
}

/** How many items a list gets: mostly a few, sometimes exactly the limit or past it. */
function listLength(maxItems: number | undefined): fc.Arbitrary<number> {
  const limit = maxItems ?? 25;
  return fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: 0, max: Math.min(3, limit) }) },
    { weight: 1, arbitrary: fc.constantFrom(limit, limit + 1, limit + 5) },
  );
}

/** The indexes of `n` items: 1..n mostly; otherwise one odd index, a repeated one, or a gap. */
function indexes(n: number): fc.Arbitrary<string[]> {
  const ordered = Array.from({ length: n }, (_, i) => String(i + 1));
  if (n === 0) return fc.constant([]);
  return fc.oneof(
    { weight: 8, arbitrary: fc.constant(ordered) },
    { weight: 1, arbitrary: fc.tuple(fc.nat(n - 1), oddIndex).map(([i, odd]) => ordered.map((x, j) => (j === i ? odd : x))) },
    { weight: 1, arbitrary: fc.constant(ordered.map((x) => String(Number(x) * 7))) },
  );
}

/** Entries for one property (name → wire keys under `key`). */
function propertyEntries(schema: TSchema, key: string, name: string, fixture: Fixture, depth: number): fc.Arbitrary<Entry[]> {
  const kind = schemaKind(schema);
  if (kind === 'object') return objectEntries(schema as TObject, `${key}.`, fixture, depth + 1, 0.6);
  if (kind !== 'array') return scalarValue(schema, name, fixture).map((v): Entry[] => [[key, v]]);
  const items = schema.items as TSchema;
  const maxItems = typeof schema.maxItems === 'number' ? schema.maxItems : undefined;
  if (schema.wire === 'json') {
    // Arbitraries are built once, outside chain(): building one per generated value (fast-check's
    // string arbitraries index their whole alphabet) was most of the fuzzer's own cost.
    const element = jsonElement(items, name, fixture);
    const list = listLength(maxItems).chain((n) => fc.array(element, { minLength: n, maxLength: n }));
    const text = fc.oneof(
      { weight: 6, arbitrary: list.map((l) => JSON.stringify(l)) },
      { weight: 1, arbitrary: fc.constantFrom('', '[', '{}', '"x"', '1', 'null', 'true', '[[]]', '[,]', `[${'1,'.repeat(1000)}1]`, '["a"] trailing') },
      { weight: 1, arbitrary: hostileText },
    );
    return text.map((t): Entry[] => [[key, t]]);
  }
  if (schema.wire === 'comma') {
    const element = scalarValue(items, name, fixture);
    const list = listLength(maxItems).chain((n) => fc.array(element, { minLength: n, maxLength: n }));
    const text = fc.oneof(
      { weight: 6, arbitrary: list.map((l) => l.join(',')) },
      { weight: 1, arbitrary: fc.constantFrom(',', ',,,', ' , ', 'a,,b') },
      { weight: 1, arbitrary: hostileText },
    );
    return text.map((t): Entry[] => [[key, t]]);
  }
  // A repeated parameter: Name.N, or Name.N.Field for a list of objects.
  // Each item's entries are generated with keys relative to the item (`''`, `.Field`), then placed at its index.
  const item = propertyEntries(items, '', name, fixture, depth + 1);
  return listLength(maxItems)
    .chain((n) => fc.tuple(fc.array(item, { minLength: n, maxLength: n }), indexes(n)))
    .map(([parts, ids]) => parts.flatMap((entries, j) => entries.map(([k, v]): Entry => [`${key}.${ids[j]}${k}`, v])));
}

/** Entries for an object's properties under `prefix`: required ones mostly present, optional ones sometimes. */
function objectEntries(schema: TObject, prefix: string, fixture: Fixture, depth: number, optionalPresence: number): fc.Arbitrary<Entry[]> {
  const required = new Set(schema.required ?? []);
  const parts = Object.entries(schema.properties).map(([name, prop]) => {
    const present = required.has(name) ? 0.92 : depth > 0 ? optionalPresence : 0.3;
    const weightPresent = Math.round(present * 100);
    return fc.oneof(
      { weight: 100 - weightPresent, arbitrary: fc.constant<Entry[]>([]) },
      { weight: weightPresent, arbitrary: propertyEntries(prop, `${prefix}${name}`, name, fixture, depth) },
    );
  });
  return parts.length === 0 ? fc.constant([]) : fc.tuple(...parts).map((p) => p.flat());
}

/** The wire parameters of one call to an action with this parameter schema. */
export function actionParams(schema: TObject, fixture: Fixture): fc.Arbitrary<Entry[]> {
  return objectEntries(schema, '', fixture, 0, 0.3);
}
