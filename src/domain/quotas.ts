/**
 * The account quotas eniplane enforces, per account. Each has a name: the cloud's
 * DescribeAccountAttributes attribute name where the cloud has one (max-elastic-network-interfaces,
 * max-security-groups: ECS-SDK DescribeAccountAttributesRequest.AttributeName), otherwise an
 * eniplane name in the same style (README "Quotas"). Defaults are the cloud's defaults; `serve
 * --quotas NAME=N,...` (ENIPLANE_QUOTAS) sets any of them, e.g. 20,000 ENIs for a simulated
 * 1,000-node cluster. Services read the values in force from ServerConfig.quotas; domain rules
 * take them as arguments.
 */
export interface Quotas {
  /** Secondary ENIs per account and region (historical default 100: limits-and-rules.md §5). */
  enisPerRegion: number;
  /**
   * Security groups per account and region: "You can create a minimum of 100 security groups" per
   * region (SDK CreateSecurityGroup note); "在指定地域下，您最多可以创建100个安全组" (CreateSecurityGroup
   * page, QuotaExceed.SecurityGroup).
   */
  securityGroupsPerRegion: number;
  /** VPCs per account and region (10: limits-and-rules.md §6). */
  vpcsPerRegion: number;
  /** vSwitches per VPC (150: VPC-SDK CreateVSwitch note). */
  vswitchesPerVpc: number;
  /** EIPs per account and region (20). */
  eipsPerRegion: number;
  /** Inbound plus outbound rules per security group (200: limits-and-rules.md §4). */
  rulesPerSecurityGroup: number;
  /** Private IPs held by the ENIs of one basic security group (2,000: limits-and-rules.md §4). */
  privateIpsPerSecurityGroup: number;
  /** Security groups per ENI (5: limits-and-rules.md §4; raisable by ticket on the cloud). */
  securityGroupsPerEni: number;
}

export interface QuotaSpec {
  key: keyof Quotas;
  /** The name in --quotas and DescribeAccountAttributes. */
  name: string;
  /** Whether the cloud's DescribeAccountAttributes knows this name. */
  cloudAttribute: boolean;
  default: number;
  description: string;
}

export const QUOTA_SPECS: readonly QuotaSpec[] = [
  {
    key: 'enisPerRegion',
    name: 'max-elastic-network-interfaces',
    cloudAttribute: true,
    default: 100,
    description: 'secondary and trunk ENIs per account and region',
  },
  { key: 'securityGroupsPerRegion', name: 'max-security-groups', cloudAttribute: true, default: 100, description: 'security groups per account and region' },
  { key: 'vpcsPerRegion', name: 'max-vpcs', cloudAttribute: false, default: 10, description: 'VPCs per account and region' },
  { key: 'vswitchesPerVpc', name: 'max-vswitches-per-vpc', cloudAttribute: false, default: 150, description: 'vSwitches per VPC' },
  { key: 'eipsPerRegion', name: 'max-eips', cloudAttribute: false, default: 20, description: 'EIPs per account and region' },
  {
    key: 'rulesPerSecurityGroup',
    name: 'max-rules-per-security-group',
    cloudAttribute: false,
    default: 200,
    description: 'inbound plus outbound rules per security group',
  },
  {
    key: 'privateIpsPerSecurityGroup',
    name: 'max-private-ips-per-security-group',
    cloudAttribute: false,
    default: 2000,
    description: 'private IPs of the ENIs in one basic security group (advanced groups: 65,536, fixed)',
  },
  { key: 'securityGroupsPerEni', name: 'max-security-groups-per-eni', cloudAttribute: false, default: 5, description: 'security groups per ENI' },
];

export const DEFAULT_QUOTAS: Quotas = Object.fromEntries(QUOTA_SPECS.map((s) => [s.key, s.default])) as unknown as Quotas;

/** Large enough for any simulation, small enough that counts stay exact integers everywhere. */
const MAX_QUOTA = 10_000_000;

export function quotaSpecByName(name: string): QuotaSpec | undefined {
  return QUOTA_SPECS.find((s) => s.name === name);
}

/**
 * Parses `NAME=N,NAME=N` (empty: every default). Unknown names, values that are not whole
 * numbers from 1 to 10,000,000 and repeated names are refused with a message naming them.
 */
export function parseQuotas(spec: string): Quotas {
  const quotas: Quotas = { ...DEFAULT_QUOTAS };
  const seen = new Set<string>();
  for (const part of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([a-z0-9-]+)=(\d+)$/.exec(part);
    const quota = m ? quotaSpecByName(m[1]!) : undefined;
    if (!m || !quota) {
      throw new Error(`bad quota "${part}": use NAME=N with NAME one of ${QUOTA_SPECS.map((s) => s.name).join(', ')}`);
    }
    const value = Number(m[2]);
    if (!Number.isSafeInteger(value) || value < 1 || value > MAX_QUOTA)
      throw new Error(`bad quota "${part}": the value must be a whole number from 1 to ${MAX_QUOTA}`);
    if (seen.has(quota.name)) throw new Error(`bad quota "${part}": ${quota.name} is given twice`);
    seen.add(quota.name);
    quotas[quota.key] = value;
  }
  return quotas;
}
