/**
 * Server settings. Every flag of `eniplane serve` maps to one field here and has an ENIPLANE_*
 * environment variable (cli/serve.ts).
 */
export interface Delays {
  /** CreateVpc: Pending → Available. */
  vpcCreate: number;
  /** CreateVSwitch: Pending → Available. */
  vswitchCreate: number;
  /** DeleteVpc / DeleteVSwitch: the resource lingers in its deleting state this long. */
  vpcDelete: number;
  vswitchDelete: number;
}

export const DELAY_PROFILES: Record<'realistic' | 'none', Delays> = {
  // Observed orders of magnitude on the real cloud, shortened so interactive use stays pleasant.
  realistic: { vpcCreate: 1000, vswitchCreate: 1000, vpcDelete: 1000, vswitchDelete: 1000 },
  none: { vpcCreate: 0, vswitchCreate: 0, vpcDelete: 0, vswitchDelete: 0 },
};

/** Parses `realistic`, `none`, or overrides like `realistic,vpcCreate=200,vswitchCreate=0`. */
export function parseDelays(spec: string): Delays {
  const parts = spec.split(',').map((s) => s.trim()).filter(Boolean);
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

export interface ServerConfig {
  /** Region used when a request names none. */
  defaultRegion: string;
  /** Strict: unknown or unimplemented parameters are refused by name. Loose: ignored, with a log line. */
  strict: boolean;
  delays: Delays;
  /** Accepted clock skew for Timestamp / x-acs-date (the cloud allows 15 minutes). */
  timestampWindowMs: number;
  /** Check every result against its declared schema (tests turn this on). */
  checkResults: boolean;
}

export const defaultServerConfig: ServerConfig = {
  defaultRegion: 'cn-hangzhou',
  strict: true,
  delays: DELAY_PROFILES.realistic,
  timestampWindowMs: 15 * 60 * 1000,
  checkResults: false,
};
