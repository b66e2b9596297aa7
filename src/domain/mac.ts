import type { Random } from '../lib/random.ts';

/**
 * MACs as the cloud hands them out: lower-case, colon-separated, in Alibaba's 00:16:3e OUI.
 * Uniqueness is the database's job (a unique index); a collision is retried.
 */
export function newMacAddress(random: Random): string {
  const octets = [0x00, 0x16, 0x3e, random.int(256), random.int(256), random.int(256)];
  return octets.map((o) => o.toString(16).padStart(2, '0')).join(':');
}
