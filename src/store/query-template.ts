import { isDeepStrictEqual } from 'node:util';
import type { CompiledQuery } from 'kysely';
import type { Tx } from './schema.ts';

/**
 * Queries built by Kysely once per shape instead of once per call. Kysely makes every query an
 * immutable tree (each `.where` copies and freezes nodes) and compiles it to SQL on each run; for
 * the ENI listing that cost about three times what SQLite takes to run it (BENCHMARKS.md, history),
 * and it is most of the CPU of the hot read and write paths.
 *
 * A template is the same Kysely code, built the first time a shape is seen with stand-ins for the
 * values, then run with each call's values put where the stand-ins landed among the compiled
 * parameters. The SQL text is the same string every time, which the SQLite statement cache finds
 * without hashing a new string.
 *
 * The one rule: `build` may branch only on what the shape key holds: what `shape` returns (which
 * optional values are present, how long a list is), the dialect, and the values object's own
 * booleans, which stay real during the build (SQLite binds no booleans, so they are never
 * parameters) and are added to the key. Every other value is a stand-in during the build, so a
 * branch on one (`if (v.name === '')`) would be baked in. On a store opened with checkQueries
 * (tests: the CLI passes ENIPLANE_CHECK_QUERIES=1 on) every run is also built the ordinary way and
 * must give the same SQL and parameters, or it throws.
 */

/**
 * Shapes kept per template. Callers choose some (which filters, how many IDs or tags), so the
 * number is bounded: the oldest shape goes first, to be built again if it comes back.
 */
export const SHAPES_PER_TEMPLATE = 256;

/** Where a value sits in the values object: property names and list indexes. */
class StandIn {
  constructor(readonly path: readonly (string | number)[]) {}
}

function standIns(value: unknown, path: (string | number)[]): unknown {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value.map((item, i) => standIns(item, [...path, i]));
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, standIns(v, [...path, k])]));
  }
  return new StandIn(path);
}

function valueAt(values: unknown, path: readonly (string | number)[]): unknown {
  let v = values as Record<string | number, unknown>;
  for (const step of path) v = v[step] as Record<string | number, unknown>;
  return v;
}

interface Compiled {
  query: CompiledQuery;
  /** For each parameter: a fixed value, or the path of the call's value. */
  slots: readonly { fixed: unknown; path?: readonly (string | number)[] }[];
}

type Buildable<O> = { compile(): CompiledQuery<O> };

export type Template<V, O> = (tx: Tx, values: V) => Promise<O[]>;

export function queryTemplate<V extends object, O>(shape: (values: V) => string, build: (tx: Tx, values: V) => Buildable<O>): Template<V, O> {
  const compiled = new Map<string, Compiled>();
  return async (tx, values) => {
    let key = `${tx.dialect}|${shape(values)}`;
    for (const [k, v] of Object.entries(values)) if (typeof v === 'boolean') key += `|${k}=${v}`;
    let c = compiled.get(key);
    if (!c) {
      // The values object's own booleans stay real: they steer the build and are in the key.
      const stand = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === 'boolean' ? v : standIns(v, [k])]));
      const query = build(tx, stand as V).compile();
      const slots = query.parameters.map((p) => (p instanceof StandIn ? { fixed: undefined, path: p.path } : { fixed: p }));
      c = { query, slots };
      if (compiled.size >= SHAPES_PER_TEMPLATE) compiled.delete(compiled.keys().next().value!);
      compiled.set(key, c);
    }
    const parameters = c.slots.map((s) => (s.path ? valueAt(values, s.path) : s.fixed));
    if (tx.checkQueries) {
      const direct = build(tx, values).compile();
      if (direct.sql !== c.query.sql || !isDeepStrictEqual([...direct.parameters], parameters)) {
        throw new Error(
          `query template out of step with its shape "${key}":\n  template: ${c.query.sql} ${JSON.stringify(parameters)}\n  direct:   ${direct.sql} ${JSON.stringify(direct.parameters)}`,
        );
      }
    }
    const result = await tx.db.executeQuery<O>({ ...c.query, parameters });
    return result.rows;
  };
}

/** A shape key piece: whether a value is there, and for lists their length. */
export function present(v: unknown): string {
  if (v === undefined) return '-';
  if (Array.isArray(v)) return String(v.length);
  return '+';
}
