/**
 * API flow control as the cloud does it. ECS's "API throttling" page: every call is counted per
 * Alibaba Cloud account, per region and per API, each API on its own (the console, RAM users and
 * Terraform all count), and "if an API is throttled in minute T, it can be called again in minute
 * T+1": fixed windows. VPC and ResourceManager publish their figures per API as N/60(s) or
 * N/1(s) with the dimension "regionId, API, ParentUid" (src/catalog/throttle-rates.json).
 *
 * Here: the rules (`serve --throttle`) and the decision, as pure functions; the counting is the
 * store's (store/repos/throttle.ts), the answer the service's (services/throttle.ts).
 */

/** The cloud products whose actions are throttled. Anything else (eniplane's own admin actions) never is. */
export const THROTTLED_PRODUCTS = ['Ecs', 'Vpc', 'ResourceManager'] as const;
export type ThrottledProduct = (typeof THROTTLED_PRODUCTS)[number];

export function isThrottledProduct(product: string): product is ThrottledProduct {
  return (THROTTLED_PRODUCTS as readonly string[]).includes(product);
}

/** At most `limit` calls in each fixed window of `windowMs`. */
export interface Rate {
  limit: number;
  windowMs: number;
}

/** A rate for one action of one product; '*' stands for any product, or any action (each still counted on its own). */
export interface ThrottleRule extends Rate {
  product: ThrottledProduct | '*';
  action: string;
}

/** The rules in force, keyed `Product:Action` ('*' for any); rateFor picks the most specific. */
export interface ThrottlePolicy {
  rules: ReadonlyMap<string, Rate>;
}

const ruleKey = (product: string, action: string) => `${product}:${action}`;

/**
 * The rate an action is held to, or undefined when it is not throttled. The most specific rule
 * wins: `Product:Action`, then `Action` (any product), then `Product:*`, then `*`.
 */
export function rateFor(policy: ThrottlePolicy, product: string, action: string): Rate | undefined {
  if (!isThrottledProduct(product)) return undefined;
  const rules = policy.rules;
  return rules.get(ruleKey(product, action)) ?? rules.get(ruleKey('*', action)) ?? rules.get(ruleKey(product, '*')) ?? rules.get(ruleKey('*', '*'));
}

const UNIT_MS = { s: 1000, min: 60_000, h: 3_600_000 } as const;
const MAX_WINDOW_MS = 86_400_000;
const MAX_LIMIT = 1_000_000_000;

/**
 * A rate as the cloud writes it (`300/60(s)`, `100/1(s)`) or shorter: `100/min`, `20/s`,
 * `5/10s`, `1000/h`. Throws an Error saying what is wrong.
 */
export function parseRate(text: string): Rate {
  const m = /^(\d{1,10})\/(?:(\d{1,6})\(s\)|(\d{0,6})(s|min|h))$/.exec(text);
  if (!m) throw new Error(`"${text}" is not a rate: write N/s, N/min, N/h, N/<seconds>s or the cloud's N/<seconds>(s)`);
  const limit = Number(m[1]);
  const windowMs = m[2] !== undefined ? Number(m[2]) * 1000 : Number(m[3] || '1') * UNIT_MS[m[4] as keyof typeof UNIT_MS];
  if (limit > MAX_LIMIT) throw new Error(`"${text}": at most ${MAX_LIMIT} calls per window`);
  if (windowMs < 1000 || windowMs > MAX_WINDOW_MS) throw new Error(`"${text}": the window must be 1 second to 1 day`);
  return { limit, windowMs };
}

/** A rate back in the short notation (`300/60s`, `2/s`), for messages. */
export function formatRate(rate: Rate): string {
  const seconds = rate.windowMs / 1000;
  return `${rate.limit}/${seconds === 1 ? '' : seconds}s`;
}

/** The realistic table (src/catalog/throttle-rates.json): per-product defaults and per-action rates. */
export interface RateCatalog {
  defaults: readonly { product: string; rate: string }[];
  rates: readonly { product: string; action: string; rate: string }[];
}

function catalogProduct(product: string): ThrottledProduct {
  if (!isThrottledProduct(product)) throw new Error(`throttle rate table: "${product}" is not a throttled product`);
  return product;
}

/** The rules of `--throttle realistic`: a `Product:*` rule per default, a `Product:Action` rule per listed rate. */
export function realisticRules(catalog: RateCatalog): ThrottleRule[] {
  return [
    ...catalog.defaults.map((d) => ({ product: catalogProduct(d.product), action: '*', ...parseRate(d.rate) })),
    ...catalog.rates.map((r) => ({ product: catalogProduct(r.product), action: r.action, ...parseRate(r.rate) })),
  ];
}

/** What parsing a spec checks names against. */
export interface ThrottleSpecContext {
  /** The actions eniplane serves, per throttled product: a rule naming any other is refused. */
  actions: Readonly<Record<ThrottledProduct, readonly string[]>>;
  /** The rules `realistic` stands for (realisticRules). */
  realistic: readonly ThrottleRule[];
}

export const THROTTLE_SPEC_HELP =
  'none, realistic, or rules like CreateNetworkInterface=100/min,Ecs:DescribeNetworkInterfaces=20/s,*=1000/min (realistic,RULE... overrides single rates)';

class ThrottleSpecError extends Error {
  constructor(item: string, why: string) {
    super(`bad throttle rule "${item}": ${why}. --throttle takes ${THROTTLE_SPEC_HELP}`);
  }
}

function parseRule(item: string, ctx: ThrottleSpecContext): ThrottleRule {
  const m = /^(?:([A-Za-z]+):)?([A-Za-z][A-Za-z0-9]*|\*)=(.*)$/.exec(item);
  if (!m) throw new ThrottleSpecError(item, 'a rule is [Product:]Action=RATE, with Action a name or *');
  const [, productName, action, rateText] = m as unknown as [string, string | undefined, string, string];
  if (productName !== undefined && !isThrottledProduct(productName)) {
    throw new ThrottleSpecError(item, `"${productName}" is not a throttled product (${THROTTLED_PRODUCTS.join(', ')})`);
  }
  const product: ThrottledProduct | '*' = productName ?? '*';
  if (action !== '*') {
    const servedBy = THROTTLED_PRODUCTS.filter((p) => ctx.actions[p].includes(action));
    if (product === '*' ? servedBy.length === 0 : !servedBy.includes(product)) {
      const where = product === '*' ? THROTTLED_PRODUCTS.join(', ') : product;
      throw new ThrottleSpecError(item, `"${action}" is not an action eniplane serves in ${where}`);
    }
  }
  let rate: Rate;
  try {
    rate = parseRate(rateText);
  } catch (err) {
    throw new ThrottleSpecError(item, (err as Error).message);
  }
  return { product, action, ...rate };
}

/**
 * `serve --throttle` (ENIPLANE_THROTTLE): `none` (or empty) is no throttling (undefined);
 * `realistic` the cloud's published rates; otherwise a comma list of `[Product:]Action=RATE`
 * rules, after `realistic` if it is given (then they replace its rates). Strict: a malformed
 * rule, an unknown product or action, a rule given twice, or `none` beside anything refuses the
 * whole spec with an Error naming the rule.
 */
export function parseThrottleSpec(spec: string, ctx: ThrottleSpecContext): ThrottlePolicy | undefined {
  const items = spec.split(',').map((s) => s.trim());
  if (items.length === 1 && (items[0] === '' || items[0] === 'none')) return undefined;
  const rules = new Map<string, Rate>();
  const given = new Set<string>();
  items.forEach((item, i) => {
    if (item === '') throw new ThrottleSpecError(item, 'an empty rule (a doubled comma, or one at either end)');
    if (item === 'none') throw new ThrottleSpecError(item, 'none stands alone');
    if (item === 'realistic') {
      if (i !== 0) throw new ThrottleSpecError(item, 'realistic comes first, so that the rules after it replace its rates');
      for (const r of ctx.realistic) rules.set(ruleKey(r.product, r.action), { limit: r.limit, windowMs: r.windowMs });
      return;
    }
    const rule = parseRule(item, ctx);
    const key = ruleKey(rule.product, rule.action);
    if (given.has(key)) throw new ThrottleSpecError(item, `${item.slice(0, item.indexOf('='))} has a rule already`);
    given.add(key);
    rules.set(key, { limit: rule.limit, windowMs: rule.windowMs });
  });
  return { rules };
}

/** A fixed window: [start, end) in epoch milliseconds. */
export interface ThrottleWindow {
  start: number;
  end: number;
}

/**
 * The window `now` falls in: windows are aligned to multiples of their size since the epoch, so
 * a minute window is a clock minute (the cloud's "minute T"), and every replica computes the same
 * window for the same instant.
 */
export function windowAt(now: number, windowMs: number): ThrottleWindow {
  const start = now - (now % windowMs);
  return { start, end: start + windowMs };
}

export type ThrottleVerdict = { throttled: false } | { throttled: true; retryAfterMs: number };

/**
 * `count` calls (this one included) have been counted in `window`: the call passes while the
 * count is within the limit; past it, the caller may retry when the window ends.
 */
export function verdict(count: number, rate: Rate, window: ThrottleWindow, now: number): ThrottleVerdict {
  if (count <= rate.limit) return { throttled: false };
  return { throttled: true, retryAfterMs: Math.max(1, window.end - now) };
}
