import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import type { TSchema } from '@sinclair/typebox';
import { ecsActions } from './ecs/index.ts';
import { vpcActions } from './vpc/index.ts';
import { resourceManagerActions } from './resourcemanager/index.ts';
import { eniplaneActions } from './eniplane/index.ts';
import { PRODUCTS, PRODUCT_VERSION, type ActionDefinition, type Product } from './define-action.ts';
import { PureResults } from './pure-results.ts';
import { cloudActionCatalog } from '../catalog/index.ts';

export interface RegisteredAction {
  def: ActionDefinition;
  checkParams: TypeCheck<TSchema>;
  checkResult: TypeCheck<TSchema>;
  /** Pure actions only: their results so far, by call. */
  pureResults?: PureResults;
}

// eniplane's own product is no cloud's: every action it has is implemented, none is missing.
const cloudActions: Record<Product, string[]> = { ...cloudActionCatalog, Eniplane: [] };

function compile(defs: ActionDefinition[]): Map<string, RegisteredAction> {
  const map = new Map<string, RegisteredAction>();
  for (const def of defs) {
    if (map.has(def.name)) throw new Error(`action ${def.product}:${def.name} declared twice`);
    if (def.pure && (!def.readOnly || def.idempotent)) throw new Error(`action ${def.product}:${def.name} is pure: it must be readOnly and not idempotent`);
    map.set(def.name, {
      def,
      checkParams: TypeCompiler.Compile(def.params),
      checkResult: TypeCompiler.Compile(def.result),
      ...(def.pure && { pureResults: new PureResults() }),
    });
  }
  return map;
}

const byProduct: Record<Product, Map<string, RegisteredAction>> = {
  Ecs: compile(ecsActions as ActionDefinition[]),
  Vpc: compile(vpcActions as ActionDefinition[]),
  ResourceManager: compile(resourceManagerActions as ActionDefinition[]),
  Eniplane: compile(eniplaneActions as ActionDefinition[]),
};

export type Resolution = { kind: 'found'; action: RegisteredAction } | { kind: 'not-implemented'; product: Product } | { kind: 'unknown' };

/**
 * A product's own version string selects that product only (the VPC endpoint does not answer
 * ECS's UntagResources). Any other version string is never refused: the action is looked up in
 * every product, so clients newer or older than our declarations still work.
 */
const ONLY: Record<Product, readonly Product[]> = { Ecs: ['Ecs'], Vpc: ['Vpc'], ResourceManager: ['ResourceManager'], Eniplane: ['Eniplane'] };

/** The product a version string names, if it names one. */
export function productOfVersion(version: string | undefined): Product | undefined {
  return PRODUCTS.find((p) => PRODUCT_VERSION[p] === version);
}

export function resolveAction(name: string, version: string): Resolution {
  const own = productOfVersion(version);
  const products = own ? ONLY[own] : PRODUCTS;
  for (const p of products) {
    const action = byProduct[p].get(name);
    if (action) return { kind: 'found', action };
  }
  for (const p of products) {
    if (cloudActions[p].includes(name)) return { kind: 'not-implemented', product: p };
  }
  return { kind: 'unknown' };
}

/** An action of one named product (api/invoke.ts: a surface that knows what it calls). */
export function resolveProductAction(product: Product, name: string): Resolution {
  const action = byProduct[product].get(name);
  if (action) return { kind: 'found', action };
  if (cloudActions[product].includes(name)) return { kind: 'not-implemented', product };
  return { kind: 'unknown' };
}

export function allActions(): RegisteredAction[] {
  return PRODUCTS.flatMap((p) => [...byProduct[p].values()]);
}

export function cloudActionNames(product: Product): readonly string[] {
  return cloudActions[product];
}
