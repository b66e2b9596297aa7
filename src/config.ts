import type { Delays, ServiceSettings } from './services/context.ts';
import { DEFAULT_QUOTAS } from './domain/quotas.ts';
import type { ThrottlePolicy } from './domain/throttle.ts';

export type { Delays };

export const DELAY_PROFILES: Record<'realistic' | 'none', Delays> = {
  // Observed orders of magnitude on the real cloud, shortened so interactive use stays pleasant.
  realistic: {
    vpcCreate: 1000,
    vswitchCreate: 1000,
    vpcDelete: 1000,
    vswitchDelete: 1000,
    eniAttach: 2000,
    eniDetach: 2000,
    eniDelete: 1000,
    instanceCreate: 3000,
    instanceStart: 3000,
    instanceStop: 3000,
    eipAssociate: 1000,
  },
  none: {
    vpcCreate: 0,
    vswitchCreate: 0,
    vpcDelete: 0,
    vswitchDelete: 0,
    eniAttach: 0,
    eniDetach: 0,
    eniDelete: 0,
    instanceCreate: 0,
    instanceStart: 0,
    instanceStop: 0,
    eipAssociate: 0,
  },
};

/** Parses `realistic`, `none`, or overrides like `realistic,vpcCreate=200,vswitchCreate=0`. */
export function parseDelays(spec: string): Delays {
  const parts = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  let delays: Delays = { ...DELAY_PROFILES.realistic };
  for (const part of parts) {
    if (part === 'realistic' || part === 'none') {
      delays = { ...DELAY_PROFILES[part] };
      continue;
    }
    const m = /^(\w+)=(\d+)$/.exec(part);
    if (!m || !(m[1]! in delays)) {
      throw new Error(`bad delay "${part}": use realistic, none, or NAME=MILLISECONDS with NAME one of ${Object.keys(delays).join(', ')}`);
    }
    delays[m[1] as keyof Delays] = Number(m[2]);
  }
  return delays;
}

/**
 * Server settings. Every flag of `eniplane serve` maps to one field here and has an ENIPLANE_*
 * environment variable (cli/serve.ts).
 */
export interface ServerConfig extends ServiceSettings {
  /** Region used when a request names none. */
  defaultRegion: string;
  /** Strict: unknown or unimplemented parameters are refused by name. Loose: ignored, with a log line. */
  strict: boolean;
  /** Accepted clock skew for Timestamp / x-acs-date (the cloud allows 15 minutes). */
  timestampWindowMs: number;
  /** Check every result against its declared schema (tests turn this on). */
  checkResults: boolean;
  /** API flow control per account, region and action (`--throttle`); absent: none. */
  throttle?: ThrottlePolicy | undefined;
}

export const defaultServerConfig: ServerConfig = {
  defaultRegion: 'cn-hangzhou',
  strict: true,
  delays: DELAY_PROFILES.realistic,
  timestampWindowMs: 15 * 60 * 1000,
  checkResults: false,
  attachLocality: 'zone',
  eipPool: '203.0.113.0/24',
  ipv6Pool: '2001:db8::/32',
  quotas: DEFAULT_QUOTAS,
};
