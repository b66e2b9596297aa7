import type { Static, TObject, TSchema } from '@sinclair/typebox';
import type { ServerConfig } from '../config.ts';
import type { ErrorSpec } from '../errors/api-error.ts';
import type { Logger } from '../lib/logger.ts';
import type { Random } from '../lib/random.ts';
import type { Tx } from '../store/schema.ts';

export type Product = 'Ecs' | 'Vpc' | 'ResourceManager';

export const PRODUCT_VERSION: Record<Product, string> = { Ecs: '2014-05-26', Vpc: '2016-04-28', ResourceManager: '2020-03-31' };

/** Every product, in the order docs list them. */
export const PRODUCTS: readonly Product[] = ['Ecs', 'Vpc', 'ResourceManager'];

/** What a handler gets besides its parameters: one open transaction and the caller's identity. */
export interface ActionContext {
  tx: Tx;
  accountId: string;
  /** The request's RegionId, or the server's default region when the action takes none. */
  regionId: string;
  requestId: string;
  /** The time of the request, read once, so one call sees one instant. */
  now: number;
  random: Random;
  config: ServerConfig;
  log: Logger;
}

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
   * caller, the store, the clock, randomness or the server's settings. The dispatcher then
   * reuses one result per distinct call and the wire layer its encoding (src/api/pure-results.ts).
   * Implies readOnly; never idempotent (there is nothing to replay).
   */
  pure?: boolean;
  handler(params: Static<P>, ctx: ActionContext): Promise<Static<R>>;
}

export function defineAction<P extends TObject, R extends TSchema>(def: ActionDefinition<P, R>): ActionDefinition<P, R> {
  return def;
}
