import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageSpec } from '../domain/images.ts';
import type { InstanceTypeSpec } from '../domain/instance-types.ts';
import type { Region } from '../domain/regions.ts';
import type { RateCatalog } from '../domain/throttle.ts';
import { PROJECT_ROOT } from '../lib/project-root.ts';

/**
 * The catalogs are data (the JSON files beside this one in src/catalog, also when the server runs
 * compiled from dist/), read once when the process loads them.
 * This is the only place that reads them, so domain/ stays free of I/O: it gets plain arrays.
 */
function readCatalog<T>(file: string): T {
  return JSON.parse(readFileSync(join(PROJECT_ROOT, 'src', 'catalog', file), 'utf8')) as T;
}

export const regionCatalog: readonly Region[] = readCatalog<{ regions: Region[] }>('regions.json').regions;
export const instanceTypeCatalog: readonly InstanceTypeSpec[] = readCatalog<{ instanceTypes: InstanceTypeSpec[] }>('instance-types.json').instanceTypes;
export const imageCatalog: readonly ImageSpec[] = readCatalog<{ images: ImageSpec[] }>('images.json').images;
/** Every action name each product's real API has (from the official SDKs), so "not implemented" can be told from "no such action". */
export const cloudActionCatalog: Record<'Ecs' | 'Vpc' | 'ResourceManager', string[]> = readCatalog('cloud-actions.json');
/** The rates of `serve --throttle realistic`, with their sources (domain/throttle.ts). */
export const throttleRateCatalog: RateCatalog = readCatalog<RateCatalog>('throttle-rates.json');
