import { randomBytes, randomInt, randomUUID } from 'node:crypto';

/**
 * Randomness source for IDs, MACs and address picks. Injected so that a seeded server
 * (ENIPLANE_SEED) produces the same IDs run after run.
 */
export interface Random {
  /** Uniform integer in [0, max). */
  int(max: number): number;
  /** A string of `length` characters drawn from `alphabet`. */
  chars(alphabet: string, length: number): string;
  /** 16 random bytes formatted as an upper-case UUID v4 (RequestIds). */
  uuid(): string;
}

function formatUuid(b: Uint8Array): string {
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = Buffer.from(b).toString('hex').toUpperCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export const cryptoRandom: Random = {
  int: (max) => randomInt(max),
  chars(alphabet, length) {
    const bytes = randomBytes(length);
    let s = '';
    for (let i = 0; i < length; i++) s += alphabet[bytes[i]! % alphabet.length];
    return s;
  },
  uuid: () => randomUUID().toUpperCase(),
};

/** Deterministic generator (sfc32) for tests and seeded servers. Not for secrets. */
export function seededRandom(seed: number | string): Random {
  let h = 1779033703 ^ String(seed).length;
  for (const ch of String(seed)) {
    h = Math.imul(h ^ ch.charCodeAt(0), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  let a = h >>> 0,
    b = (h * 31) >>> 0,
    c = (h * 17) >>> 0,
    d = (h ^ 0x9e3779b9) >>> 0;
  const next = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    const r = (t + d) | 0;
    c = (c + r) | 0;
    return (r >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  const int = (max: number): number => Math.floor(next() * max);
  return {
    int,
    chars(alphabet, length) {
      let s = '';
      for (let i = 0; i < length; i++) s += alphabet[int(alphabet.length)];
      return s;
    },
    uuid() {
      const b = new Uint8Array(16);
      for (let i = 0; i < 16; i++) b[i] = int(256);
      return formatUuid(b);
    },
  };
}
