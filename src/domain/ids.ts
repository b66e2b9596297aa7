import type { Random } from '../lib/random.ts';
import { findRegion } from './regions.ts';

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Resource ID body lengths observed on real IDs (limits-and-rules.md §7): `eni-`/`i-`/`sg-`
 * carry 20 characters, `vpc-`/`vsw-` 21. The body starts with the region's prefix (bp1 for
 * cn-hangzhou), as real IDs do.
 */
const BODY_LENGTH: Record<string, number> = {
  vpc: 21,
  vsw: 21,
  vrt: 20,
  vtb: 20,
  rte: 20,
  sg: 20,
  sgr: 20,
  eni: 20,
  i: 20,
  eip: 20,
  rg: 20,
};

export type IdKind = keyof typeof BODY_LENGTH;

export function newResourceId(kind: IdKind, regionId: string, random: Random): string {
  const prefix = findRegion(regionId)?.idPrefix ?? '';
  const length = BODY_LENGTH[kind] ?? 20;
  return `${kind}-${prefix}${random.chars(ALNUM, length - prefix.length)}`;
}

/** Account IDs look like the cloud's 16-digit numeric UIDs. */
export function newAccountId(random: Random): string {
  return `1${random.chars('0123456789', 15)}`;
}

/** AccessKey IDs look like `LTAI` + 20 characters; secrets are 30 characters. */
export function newAccessKeyPair(random: Random): { accessKeyId: string; accessKeySecret: string } {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return { accessKeyId: `LTAI${random.chars(chars, 20)}`, accessKeySecret: random.chars(chars, 30) };
}
