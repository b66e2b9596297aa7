import { throttleRateCatalog } from '../catalog/index.ts';
import { parseThrottleSpec, realisticRules, THROTTLED_PRODUCTS, type ThrottlePolicy, type ThrottledProduct } from '../domain/throttle.ts';
import { allActions } from './registry.ts';

/** The actions eniplane serves in each throttled product, the names a rule may use. */
function servedActions(): Record<ThrottledProduct, string[]> {
  const served = Object.fromEntries(THROTTLED_PRODUCTS.map((p) => [p, [] as string[]])) as Record<ThrottledProduct, string[]>;
  for (const { def } of allActions()) if (def.product in served) served[def.product as ThrottledProduct].push(def.name);
  return served;
}

/**
 * `serve --throttle SPEC` read against the registry (rules may name only served actions) and the
 * realistic table (src/catalog/throttle-rates.json). Throws an Error naming a bad rule.
 */
export function throttlePolicyOf(spec: string): ThrottlePolicy | undefined {
  return parseThrottleSpec(spec, { actions: servedActions(), realistic: realisticRules(throttleRateCatalog) });
}
