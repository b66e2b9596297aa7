import type { TSchema } from '@sinclair/typebox';
import { CommonErrors } from '../errors/common.ts';

/**
 * Turns the RPC protocol's flat parameters (`Tag.1.Key`, `SecurityGroupIds.2`,
 * `NetworkInterface.1.SecurityGroupIds.1`, JSON-text lists like `InstanceIds=["i-1"]`) into the
 * object an action's TypeBox schema describes, coercing scalars from their string form. Keys the
 * schema does not know are returned, so strict mode can refuse them by name.
 */

type Raw = Record<string, string>;

interface Walk {
  raw: Raw;
  keys: string[];
  consumed: Set<string>;
  /** The indexes found after each list prefix, built on first use (see listIndices). */
  lists?: Map<string, ListIndexes>;
}

interface ListIndexes {
  indexes: Set<number>;
  /** The first key (in the request's order) whose index under this prefix is below 1. */
  belowOne?: string;
}

function schemaType(schema: TSchema): string | undefined {
  if (typeof schema.type === 'string') return schema.type;
  // Unions of string literals (enums) travel as strings.
  if (Array.isArray(schema.anyOf) && schema.anyOf.every((s: TSchema) => typeof s.const === 'string')) return 'string';
  return undefined;
}

function coerceScalar(schema: TSchema, key: string, value: string): unknown {
  switch (schemaType(schema)) {
    case 'integer':
      if (!/^-?\d+$/.test(value.trim())) throw CommonErrors.invalidParameter(key, 'An integer is expected.');
      return Number(value);
    case 'number':
      if (value.trim() === '' || Number.isNaN(Number(value))) throw CommonErrors.invalidParameter(key, 'A number is expected.');
      return Number(value);
    case 'boolean': {
      const v = value.trim().toLowerCase();
      if (v === 'true') return true;
      if (v === 'false') return false;
      throw CommonErrors.invalidParameter(key, 'A boolean (true or false) is expected.');
    }
    default:
      return value;
  }
}

/**
 * Every `prefix.N` in the request's keys, for every prefix, in one pass: `A.2.B.3` gives `A` → 2 and
 * `A.2.B` → 3. Looking each list's indexes up by scanning every key instead cost a scan per list
 * and per item of an enclosing list (`NetworkInterface.N.SecurityGroupIds.M`): quadratic in the
 * parameters, over a second of CPU for 900 of them (found by test/fuzz).
 */
function indexLists(keys: readonly string[]): Map<string, ListIndexes> {
  const lists = new Map<string, ListIndexes>();
  for (const key of keys) {
    const segments = key.split('.');
    for (let i = 1; i < segments.length; i++) {
      if (!/^\d+$/.test(segments[i]!)) continue;
      const prefix = segments.slice(0, i).join('.');
      let entry = lists.get(prefix);
      if (!entry) lists.set(prefix, (entry = { indexes: new Set() }));
      const n = Number(segments[i]);
      if (n < 1) entry.belowOne ??= key;
      else entry.indexes.add(n);
    }
  }
  return lists;
}

function listIndices(w: Walk, prefix: string): number[] {
  w.lists ??= indexLists(w.keys);
  const entry = w.lists.get(prefix);
  if (!entry) return [];
  if (entry.belowOne !== undefined) throw CommonErrors.invalidParameter(entry.belowOne, 'List indices start at 1.');
  return [...entry.indexes].sort((a, b) => a - b);
}

function decodeValue(schema: TSchema, key: string, w: Walk): unknown {
  const type = schemaType(schema);
  if (type === 'array') {
    const items = schema.items as TSchema;
    if (schema.wire === 'json' || schema.wire === 'comma') {
      const text = w.raw[key];
      if (text === undefined) return undefined;
      w.consumed.add(key);
      let list: unknown;
      if (schema.wire === 'comma') {
        list = text === '' ? [] : text.split(',').map((s) => s.trim());
      } else {
        try {
          list = JSON.parse(text);
        } catch {
          throw CommonErrors.invalidParameter(key, 'A JSON array is expected.');
        }
        if (!Array.isArray(list)) throw CommonErrors.invalidParameter(key, 'A JSON array is expected.');
      }
      return (list as unknown[]).map((v) => (typeof v === 'string' ? coerceScalar(items, key, v) : v));
    }
    const indices = listIndices(w, key);
    if (indices.length === 0) return undefined;
    return indices.map((i) => decodeValue(items, `${key}.${i}`, w) ?? (schemaType(items) === 'object' ? {} : undefined));
  }
  if (type === 'object') {
    const out: Record<string, unknown> = {};
    let any = false;
    for (const [name, prop] of Object.entries(schema.properties as Record<string, TSchema>)) {
      const v = decodeValue(prop, `${key}.${name}`, w);
      if (v !== undefined) {
        out[name] = v;
        any = true;
      }
    }
    return any ? out : undefined;
  }
  const value = w.raw[key];
  if (value === undefined) return undefined;
  w.consumed.add(key);
  // An empty value for a non-string parameter is treated as absent, as the cloud does.
  if (value === '' && type !== 'string' && type !== undefined) return undefined;
  return coerceScalar(schema, key, value);
}

export interface DecodedParams {
  value: Record<string, unknown>;
  /** Parameter names present on the wire that the schema does not declare. */
  unknown: string[];
}

export function decodeFlatParams(schema: TSchema, raw: Raw, ignore: ReadonlySet<string>): DecodedParams {
  const w: Walk = { raw, keys: Object.keys(raw), consumed: new Set() };
  const value: Record<string, unknown> = {};
  for (const [name, prop] of Object.entries(schema.properties as Record<string, TSchema>)) {
    const v = decodeValue(prop, name, w);
    if (v !== undefined) value[name] = v;
  }
  const unknown = w.keys.filter((k) => !w.consumed.has(k) && !ignore.has(k));
  return { value, unknown };
}
