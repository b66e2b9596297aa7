import type { Static, TObject, TSchema } from '@sinclair/typebox';
import type { ErrorSpec } from '../errors/api-error.ts';
import type { ServiceContext } from '../services/context.ts';

/** The cloud's products eniplane serves, and `Eniplane`: eniplane's own API (faults, reset), not the cloud's. */
export type Product = 'Ecs' | 'Vpc' | 'ResourceManager' | 'Eniplane';

export const PRODUCT_VERSION: Record<Product, string> = { Ecs: '2014-05-26', Vpc: '2016-04-28', ResourceManager: '2020-03-31', Eniplane: '2026-12-01' };

/** Every product, in the order docs list them. */
export const PRODUCTS: readonly Product[] = ['Ecs', 'Vpc', 'ResourceManager', 'Eniplane'];

/** Whether a product is eniplane's own API rather than one of the cloud's (docs present it apart). */
export function isOwnProduct(product: Product): boolean {
  return product === 'Eniplane';
}

/**
 * What a handler gets besides its parameters: the service context (one open transaction, the
 * caller's account and region, the instant, randomness, settings). Handlers only translate
 * parameters into service calls and models into responses, so they need nothing more.
 */
export type ActionContext = ServiceContext;

export interface ActionDefinition<P extends TObject = TObject, R extends TSchema = TSchema> {
  product: Product;
  name: string;
  /** One line for docs/coverage.md, the CLI and the console. */
  summary: string;
  params: P;
  result: R;
  /** Codes this action answers with besides the gateway's common ones (docs/errors.md). */
  errors: readonly ErrorSpec<never[]>[] | readonly ErrorSpec<any[]>[];
  /** Takes ClientToken: the same token and parameters return the first result. */
  idempotent?: boolean;
  /** Changes nothing: no ClientToken bookkeeping, no DryRun rollback needed. */
  readOnly?: boolean;
  /**
   * The answer depends on the region and the parameters alone (catalog data): never on the
   * caller, the store, the clock, randomness or the server's settings. invoke (api/invoke.ts) then
   * reuses one result per distinct call and the wire layer its encoding (src/api/pure-results.ts).
   * Implies readOnly; never idempotent (there is nothing to replay).
   */
  pure?: boolean;
  handler(params: Static<P>, ctx: ActionContext): Promise<Static<R>>;
}

export function defineAction<P extends TObject, R extends TSchema>(def: ActionDefinition<P, R>): ActionDefinition<P, R> {
  return def;
}
