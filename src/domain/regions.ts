import { regionCatalog } from '../catalog/index.ts';

export interface Zone {
  zoneId: string;
  localName: Record<string, string>;
}
export interface Region {
  regionId: string;
  localName: Record<string, string>;
  idPrefix: string;
  centralEndpoint: boolean;
  zones: Zone[];
}

/** The region catalog is data (src/catalog/regions.json), read once. */
export const regions: readonly Region[] = regionCatalog;

const byId = new Map(regions.map((r) => [r.regionId, r]));

export function findRegion(regionId: string): Region | undefined {
  return byId.get(regionId);
}

export function findZone(regionId: string, zoneId: string): Zone | undefined {
  return byId.get(regionId)?.zones.find((z) => z.zoneId === zoneId);
}

/** AcceptLanguage picks the name; the cloud answers in Chinese unless asked otherwise. */
export function localName(names: Record<string, string>, acceptLanguage: string | undefined): string {
  const lang = acceptLanguage?.toLowerCase().startsWith('en') ? 'en-US' : 'zh-CN';
  return names[lang] ?? names['zh-CN'] ?? '';
}
