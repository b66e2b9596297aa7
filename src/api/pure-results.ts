import { canonicalJson } from './canonical-json.ts';

/**
 * Results of `pure` actions (define-action.ts), kept per distinct call. Such an answer depends
 * on the region and the decoded parameters alone, so computing it again (and, in the wire
 * layer, encoding it again: src/wire/encode-response.ts) would give the same bytes.
 *
 * Results are frozen, deeply: one object now serves many requests, and a caller that changed it
 * would change every later answer. Bounded, because parameters come from clients: past the
 * limit the oldest entry goes (the handful of catalog calls real clients repeat stay in).
 */
export const PURE_RESULTS_PER_ACTION = 64;

export type PureResult = Readonly<Record<string, unknown>>;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export class PureResults {
  private readonly byCall = new Map<string, PureResult>();

  constructor(private readonly capacity = PURE_RESULTS_PER_ACTION) {}

  /** The decoded parameters' canonical text: the same call gives the same key, whatever order its parameters came in. */
  static keyOf(regionId: string, params: Record<string, unknown>): string {
    return `${regionId}\n${canonicalJson(params)}`;
  }

  get(key: string): PureResult | undefined {
    return this.byCall.get(key);
  }

  /**
   * Keeps a frozen copy of `result` and returns that copy. A copy, because a handler may answer
   * with parts of the catalog itself, which freezing in place would freeze as well.
   */
  remember(key: string, result: Record<string, unknown>): PureResult {
    if (this.byCall.size >= this.capacity) this.byCall.delete(this.byCall.keys().next().value!);
    const kept = deepFreeze(structuredClone(result));
    this.byCall.set(key, kept);
    return kept;
  }

  get size(): number {
    return this.byCall.size;
  }
}
