/**
 * The invariants a store must keep, checked after the fact against what the database holds (a
 * Snapshot, snapshot.ts), and, when given, what a server answers (an ApiView) and what clients were
 * told (Acks). `eniplane db check` runs it on the database alone (after `db copy`, `db restore`, or
 * at any time); the replica and crash tests (test/replicas, test/crash) with the API and the
 * acknowledgements too. A pure function: the unit test feeds it corrupt snapshots to prove it
 * reports each kind of violation (test/unit/replica-invariants.test.ts).
 *
 * The limits are written out here from the specification (the seed document and design.md), not
 * imported from the code under test, so a wrong rule in the code cannot agree with itself. Only
 * the quotas, which `serve --quotas` may change, can be given (CheckInput.quotas).
 */
import { checkIpv6Invariants, type Ipv6Snapshot } from './ipv6-invariants.ts';

export const LIMITS = {
  /** An unattached ENI holds at most 10 private IPs; any ENI at most 20. */
  ipsAvailableEni: 10,
  ipsAnyEni: 20,
  /** An IPv4 prefix is an aligned /28 and counts as one address per ENI; an unattached ENI holds at most 50 addresses and prefixes ("IP prefixes"). */
  prefixSize: 16,
  entriesAvailableEni: 50,
  /** A basic security group's ENIs hold at most 2,000 private IPs; an advanced one 65,536. */
  ipsPerBasicGroup: 2000,
  ipsPerAdvancedGroup: 65536,
  secondaryEnisPerRegion: 100,
  vpcsPerRegion: 10,
  securityGroupsPerRegion: 100,
};

/** Statuses in which an ENI belongs to an instance. */
const ATTACHED = new Set(['Attaching', 'InUse', 'Detaching']);

export interface Snapshot {
  accounts: { id: string; name: string }[];
  vswitches: { id: string; cidr: string; capacity: number; used: number }[];
  freeRanges: { vswitchId: string; first: number; last: number }[];
  privateIps: { vswitchId: string; addressInt: number; address: string; eniId: string }[];
  /** IPv4 prefixes (/28) of ENIs: 16 addresses each, taken from the free ranges like single addresses. */
  ipv4Prefixes?: { vswitchId: string; firstInt: number; prefix: string; eniId: string }[];
  /**
   * ENIs whose deletion is done at the snapshot's time but whose rows (and addresses) the next
   * allocation in their vSwitch has not yet purged: their addresses are still taken, and free to
   * every reader (AvailableIpAddressCount).
   */
  releasing?: { eniId: string; vswitchId: string }[];
  /** IPv6 /64s, addresses, /80 prefixes and free /80 ranges (ipv6-invariants.ts); absent: not read. */
  ipv6?: Ipv6Snapshot;
  /** Live ENIs, status as shown at the snapshot's time; instanceId null once a detach is done. */
  enis: {
    id: string;
    accountId: string;
    /** Quotas count per account and region; absent: one region. */
    regionId?: string;
    mac: string;
    type: string;
    status: string;
    instanceId: string | null;
    vswitchId: string;
    name: string;
    /** The trunk of a member while attached (null once its detach is done); absent: no trunks read. */
    trunkEniId?: string | null;
    /** Its device index on the instance, or a member's VLAN ID on its trunk. */
    deviceIndex?: number | null;
  }[];
  instances: { id: string; instanceType: string }[];
  eniGroups: { eniId: string; groupId: string }[];
  groups: { id: string; accountId: string; type: string; regionId?: string }[];
  vpcs: { id: string; accountId: string; regionId?: string }[];
  /** accountId: the token's account (a token is per account and action); absent: one account. */
  clientTokens: { accountId?: string; action: string; token: string; response: string }[];
}

export interface ApiView {
  /** trunkId: Attachment.TrunkNetworkInterfaceId (a member, which DescribeInstances does not list); absent or '': none. */
  enis: {
    id: string;
    status: string;
    instanceId: string;
    ips: string[];
    mac: string;
    prefixes?: string[];
    trunkId?: string;
    ipv6?: string[];
    ipv6Prefixes?: string[];
  }[];
  instances: { id: string; eniIds: string[] }[];
  vswitches: { id: string; available: number }[];
}

/** What the clients were told, and how every call ended. */
export interface Acks {
  createdEnis: { eniId: string; ips: string[] }[];
  assignedIps: { eniId: string; ips: string[] }[];
  /** IPv4 prefixes acknowledged to clients (CreateNetworkInterface / AssignPrivateIpAddresses Ipv4PrefixCount). */
  assignedPrefixes?: { eniId: string; prefixes: string[] }[];
  /** IPv6 addresses and /80 prefixes acknowledged to clients and not unassigned since (an unassign with no answer drops them too). */
  assignedIpv6?: { eniId: string; addresses: string[]; prefixes: string[] }[];
  attached: { eniId: string; instanceId: string }[];
  createdVpcs: string[];
  createdGroups: string[];
  /** Every answer of the calls sharing one ClientToken: the ENI ID, or the error code. */
  tokenCalls: { token: string; name: string; variant: string; eniId?: string; code?: string }[];
  /** One signed request sent several times to several replicas: each copy's HTTP status and code. */
  nonceTrials: { nonce: string; answers: { status: number; code: string }[] }[];
  /** Answers with HTTP 5xx (never allowed) and calls with no answer at all, by replica. */
  serverErrors: { label: string; status: number; code: string }[];
  unknown: { label: string; replica: number; error: string }[];
  killedReplicas: number[];
}

export interface InstanceTypeLimits {
  eniQuantity: number;
  ipsPerEni: number;
  /** Every ENI, trunk members included (EniTotalQuantity); absent: eniQuantity. */
  eniTotalQuantity?: number;
  /** Whether a trunk ENI may be attached (EniTrunkSupported); absent: no. */
  trunkSupported?: boolean;
  /** IPv6 addresses and prefixes per ENI (EniIpv6AddressQuantity); absent: not checked. */
  ipv6PerEni?: number;
}

function ipv4ToInt(text: string): number {
  const [a, b, c, d] = text.split('.').map(Number) as [number, number, number, number];
  return ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
}

/** The usable span of a vSwitch CIDR: the cloud reserves the first and the last three addresses. */
function usable(cidr: string): { first: number; last: number; count: number } {
  const [base, bits] = cidr.split('/') as [string, string];
  const size = 2 ** (32 - Number(bits));
  const net = ipv4ToInt(base);
  return { first: net + 1, last: net + size - 4, count: size - 4 };
}

function intToIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/**
 * The last of `sorted` (by first, not overlapping) that starts at or before `hi`, if it reaches
 * `lo`: the one range that can overlap [lo, hi]. A binary search, so checking every address of a
 * vSwitch against its free ranges stays O(n log n) when allocation has fragmented them.
 */
function overlapping<T extends { first: number; last: number }>(sorted: readonly T[], lo: number, hi: number): T | undefined {
  let a = 0;
  let b = sorted.length - 1;
  let found = -1;
  while (a <= b) {
    const mid = (a + b) >> 1;
    if (sorted[mid]!.first <= hi) {
      found = mid;
      a = mid + 1;
    } else b = mid - 1;
  }
  const r = found >= 0 ? sorted[found] : undefined;
  return r && r.last >= lo ? r : undefined;
}

function countBy<T>(items: readonly T[], key: (t: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const i of items) m.set(key(i), (m.get(key(i)) ?? 0) + 1);
  return m;
}

/** The quotas the checker holds the store to: the cloud's defaults unless given (a server run with `--quotas`). */
export type QuotaLimits = Pick<typeof LIMITS, 'secondaryEnisPerRegion' | 'vpcsPerRegion' | 'securityGroupsPerRegion' | 'ipsPerBasicGroup'>;

export interface CheckInput {
  snapshot: Snapshot;
  /** What a server answers; absent: only the database is checked. */
  api?: ApiView;
  /** What clients were told; absent: nothing to hold the store to. */
  acks?: Acks;
  types: ReadonlyMap<string, InstanceTypeLimits>;
  quotas?: Partial<QuotaLimits>;
}

/** Groups items by a key, keeping their order. */
function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const i of items) {
    const k = key(i);
    const list = m.get(k);
    if (list) list.push(i);
    else m.set(k, [i]);
  }
  return m;
}

export function checkInvariants(input: CheckInput): string[] {
  const { snapshot: db, api, acks, types } = input;
  const limits = { ...LIMITS, ...input.quotas };
  const out: string[] = [];
  const enis = new Map(db.enis.map((e) => [e.id, e]));
  const instances = new Map(db.instances.map((i) => [i.id, i]));
  const ipsByEni = new Map<string, string[]>();
  for (const ip of db.privateIps) ipsByEni.set(ip.eniId, [...(ipsByEni.get(ip.eniId) ?? []), ip.address]);

  const prefixes = db.ipv4Prefixes ?? [];
  const prefixesByEni = new Map<string, string[]>();
  for (const p of prefixes) prefixesByEni.set(p.eniId, [...(prefixesByEni.get(p.eniId) ?? []), p.prefix]);
  const releasing = new Map((db.releasing ?? []).map((r) => [r.eniId, r.vswitchId]));
  // No private IP twice in a vSwitch; every address inside its vSwitch, on a live ENI of it (or
  // one whose deletion is done, until the next allocation in the vSwitch gives its addresses back).
  for (const [key, n] of countBy(db.privateIps, (ip) => `${ip.vswitchId} ${ip.address}`)) if (n > 1) out.push(`address given ${n} times: ${key}`);
  const vswitches = new Map(db.vswitches.map((v) => [v.id, v]));
  for (const ip of db.privateIps) {
    const vsw = vswitches.get(ip.vswitchId);
    const eni = enis.get(ip.eniId);
    if (!vsw) out.push(`address ${ip.address} in unknown vSwitch ${ip.vswitchId}`);
    else {
      const span = usable(vsw.cidr);
      if (ip.addressInt < span.first || ip.addressInt > span.last) out.push(`address ${ip.address} outside the usable span of ${vsw.id} (${vsw.cidr})`);
    }
    if (!eni && releasing.get(ip.eniId) !== ip.vswitchId) out.push(`address ${ip.address} held by ENI ${ip.eniId}, which does not exist`);
    else if (eni && eni.vswitchId !== ip.vswitchId) out.push(`address ${ip.address} of ${ip.vswitchId} on ENI ${eni.id} of ${eni.vswitchId}`);
  }

  // Every prefix an aligned /28 inside the usable span of its vSwitch, on a live ENI of it; no two
  // prefixes share an address, and no address is inside a prefix.
  const size = limits.prefixSize;
  for (const p of prefixes) {
    const vsw = vswitches.get(p.vswitchId);
    const eni = enis.get(p.eniId);
    if (p.firstInt % size !== 0 || p.prefix !== `${intToIpv4(p.firstInt)}/28`) out.push(`prefix ${p.prefix} (${p.firstInt}) is not an aligned /28`);
    if (!vsw) out.push(`prefix ${p.prefix} in unknown vSwitch ${p.vswitchId}`);
    else {
      const span = usable(vsw.cidr);
      if (p.firstInt < span.first || p.firstInt + size - 1 > span.last) out.push(`prefix ${p.prefix} outside the usable span of ${vsw.id} (${vsw.cidr})`);
    }
    if (!eni && releasing.get(p.eniId) !== p.vswitchId) out.push(`prefix ${p.prefix} held by ENI ${p.eniId}, which does not exist`);
    else if (eni && eni.vswitchId !== p.vswitchId) out.push(`prefix ${p.prefix} of ${p.vswitchId} on ENI ${eni.id} of ${eni.vswitchId}`);
  }
  const ipsByVSwitch = groupBy(db.privateIps, (ip) => ip.vswitchId);
  const prefixesByVSwitch = groupBy(prefixes, (p) => p.vswitchId);
  for (const [vswId, list] of prefixesByVSwitch) {
    const mine = [...list].sort((a, b) => a.firstInt - b.firstInt);
    for (let i = 1; i < mine.length; i++)
      if (mine[i]!.firstInt <= mine[i - 1]!.firstInt + size - 1) out.push(`prefixes ${mine[i - 1]!.prefix} and ${mine[i]!.prefix} of ${vswId} overlap`);
    const spans = mine.map((p) => ({ first: p.firstInt, last: p.firstInt + size - 1, prefix: p.prefix }));
    for (const ip of ipsByVSwitch.get(vswId) ?? []) {
      const inside = overlapping(spans, ip.addressInt, ip.addressInt);
      if (inside) out.push(`address ${ip.address} of ${vswId} is inside prefix ${inside.prefix}`);
    }
  }

  // The free ranges, the allocated addresses and prefixes and the counters agree, and so does the API.
  const rangesByVSwitch = groupBy(db.freeRanges, (r) => r.vswitchId);
  const shownVSwitches = new Map((api?.vswitches ?? []).map((v) => [v.id, v]));
  for (const vsw of db.vswitches) {
    const allocated = ipsByVSwitch.get(vsw.id) ?? [];
    const carved = prefixesByVSwitch.get(vsw.id) ?? [];
    const inPrefixes = carved.length * size;
    const ranges = [...(rangesByVSwitch.get(vsw.id) ?? [])].sort((a, b) => a.first - b.first);
    const free = ranges.reduce((n, r) => n + (r.last - r.first + 1), 0);
    for (let i = 1; i < ranges.length; i++) if (ranges[i]!.first <= ranges[i - 1]!.last) out.push(`free ranges of ${vsw.id} overlap at ${ranges[i]!.first}`);
    for (const ip of allocated)
      if (overlapping(ranges, ip.addressInt, ip.addressInt)) out.push(`address ${ip.address} of ${vsw.id} is both allocated and free`);
    for (const p of carved) if (overlapping(ranges, p.firstInt, p.firstInt + size - 1)) out.push(`prefix ${p.prefix} of ${vsw.id} is both carved and free`);
    if (vsw.capacity !== usable(vsw.cidr).count)
      out.push(`${vsw.id}: capacity ${vsw.capacity}, but ${vsw.cidr} has ${usable(vsw.cidr).count} usable addresses`);
    if (vsw.used !== allocated.length + inPrefixes)
      out.push(
        `${vsw.id}: used counter ${vsw.used}, but ${allocated.length} addresses are allocated${carved.length ? ` and ${carved.length} prefixes (${inPrefixes} addresses)` : ''}`,
      );
    if (free + allocated.length + inPrefixes !== vsw.capacity)
      out.push(`${vsw.id}: ${free} free + ${allocated.length} allocated${carved.length ? ` + ${inPrefixes} in prefixes` : ''} != capacity ${vsw.capacity}`);
    if (!api) continue;
    const shown = shownVSwitches.get(vsw.id);
    if (!shown) out.push(`${vsw.id} missing from DescribeVSwitches`);
    else {
      const held = allocated.filter((ip) => !releasing.has(ip.eniId)).length + carved.filter((p) => !releasing.has(p.eniId)).length * size;
      if (shown.available !== vsw.capacity - held)
        out.push(`${vsw.id}: AvailableIpAddressCount ${shown.available}, but ${vsw.capacity - held} addresses are free`);
    }
  }

  // No MAC twice.
  for (const [mac, n] of countBy(db.enis, (e) => e.mac)) if (n > 1) out.push(`MAC ${mac} on ${n} ENIs`);

  // No instance holds more ENIs than its type allows; no ENI more addresses than its limit.
  const attachedTo = new Map<string, string[]>();
  for (const e of db.enis) {
    if (e.instanceId === null || !ATTACHED.has(e.status)) continue;
    if (!instances.has(e.instanceId)) out.push(`ENI ${e.id} is ${e.status} on ${e.instanceId}, which does not exist`);
    attachedTo.set(e.instanceId, [...(attachedTo.get(e.instanceId) ?? []), e.id]);
  }
  for (const inst of db.instances) {
    const type = types.get(inst.instanceType);
    const held = (attachedTo.get(inst.id) ?? []).map((id) => enis.get(id)!);
    // Trunk members count towards EniTotalQuantity only; the instance's own ENIs (the trunk among them) towards EniQuantity too.
    const own = held.filter((e) => !e.trunkEniId);
    const trunks = own.filter((e) => e.type === 'Trunk');
    if (!type) out.push(`instance ${inst.id} has unknown type ${inst.instanceType}`);
    else {
      if (own.length > type.eniQuantity) out.push(`instance ${inst.id} (${inst.instanceType}) holds ${own.length} ENIs, its type allows ${type.eniQuantity}`);
      const total = type.eniTotalQuantity ?? type.eniQuantity;
      if (held.length > total) out.push(`instance ${inst.id} (${inst.instanceType}) holds ${held.length} ENIs with trunk members, its type allows ${total}`);
      if (trunks.length > 0 && !type.trunkSupported) out.push(`instance ${inst.id} (${inst.instanceType}) holds a trunk ENI, its type supports none`);
    }
    if (trunks.length > 1) out.push(`instance ${inst.id} holds ${trunks.length} trunk ENIs`);
  }
  // Every attached member hangs on an attached trunk of its own instance, with a VLAN ID no other member of that trunk has.
  for (const e of db.enis) {
    if (!e.trunkEniId || e.instanceId === null || !ATTACHED.has(e.status)) continue;
    const trunk = enis.get(e.trunkEniId);
    if (!trunk || trunk.type !== 'Trunk' || trunk.instanceId !== e.instanceId || !ATTACHED.has(trunk.status))
      out.push(`member ${e.id} on ${e.instanceId} names trunk ${e.trunkEniId}, which is no trunk attached there`);
  }
  const vlans = db.enis.filter((e) => e.trunkEniId && e.instanceId !== null && ATTACHED.has(e.status));
  for (const [key, n] of countBy(vlans, (e) => `${e.trunkEniId} VLAN ${e.deviceIndex}`)) if (n > 1) out.push(`${n} members of ${key}`);
  for (const e of db.enis) {
    const n = ipsByEni.get(e.id)?.length ?? 0;
    let limit = limits.ipsAnyEni;
    if (e.status === 'Available') limit = limits.ipsAvailableEni;
    else if (e.instanceId !== null && ATTACHED.has(e.status)) {
      const type = types.get(instances.get(e.instanceId)?.instanceType ?? '');
      if (type) limit = Math.min(limit, type.ipsPerEni);
    }
    if (n > limit) out.push(`ENI ${e.id} (${e.status}) holds ${n} addresses, its limit is ${limit}`);
    // Each prefix counts as one address: toward the type's figure when attached, toward 50 when not.
    const entries = n + (prefixesByEni.get(e.id)?.length ?? 0);
    const entryLimit = e.status === 'Available' ? limits.entriesAvailableEni : limit;
    if (entries > n && entries > entryLimit) out.push(`ENI ${e.id} (${e.status}) holds ${entries} addresses and prefixes, its limit is ${entryLimit}`);
    // A Deleting ENI keeps its addresses until it is gone.
    if (n === 0) out.push(`ENI ${e.id} (${e.status}) holds no address (a primary address is mandatory)`);
  }

  // No security group holds more addresses than its type allows.
  const groupType = new Map(db.groups.map((g) => [g.id, g.type]));
  const perGroup = new Map<string, number>();
  for (const m of db.eniGroups) perGroup.set(m.groupId, (perGroup.get(m.groupId) ?? 0) + (ipsByEni.get(m.eniId)?.length ?? 0));
  for (const [groupId, n] of perGroup) {
    const limit = groupType.get(groupId) === 'enterprise' ? limits.ipsPerAdvancedGroup : limits.ipsPerBasicGroup;
    if (n > limit) out.push(`security group ${groupId} holds ${n} addresses, its limit is ${limit}`);
  }

  // One account per name: replicas starting together on a fresh database create one root account.
  for (const [name, n] of countBy(db.accounts, (a) => a.name)) if (n > 1) out.push(`${n} accounts named ${name}`);

  // Quotas of an account in a region.
  const perRegion = (accountId: string, regionId: string | undefined) => `${accountId}${regionId ? ` in ${regionId}` : ''}`;
  for (const [account, n] of countBy(
    db.enis.filter((e) => e.type === 'Secondary'),
    (e) => perRegion(e.accountId, e.regionId),
  )) {
    if (n > limits.secondaryEnisPerRegion) out.push(`account ${account} has ${n} secondary ENIs, the quota is ${limits.secondaryEnisPerRegion}`);
  }
  for (const [account, n] of countBy(db.vpcs, (v) => perRegion(v.accountId, v.regionId)))
    if (n > limits.vpcsPerRegion) out.push(`account ${account} has ${n} VPCs, the quota is ${limits.vpcsPerRegion}`);
  for (const [account, n] of countBy(db.groups, (g) => perRegion(g.accountId, g.regionId))) {
    if (n > limits.securityGroupsPerRegion) out.push(`account ${account} has ${n} security groups, the quota is ${limits.securityGroupsPerRegion}`);
  }

  // A ClientToken is recorded once per action.
  for (const [key, n] of countBy(db.clientTokens, (t) => `${t.accountId ?? ''} ${t.action} ${t.token}`.trim()))
    if (n > 1) out.push(`ClientToken recorded ${n} times: ${key}`);

  const state: StoredState = { db, enis, ipsByEni, prefixesByEni, groupType };
  if (api) out.push(...checkApiView(state, api));
  if (acks) out.push(...checkAcks(state, acks));
  if (db.ipv6) {
    out.push(
      ...checkIpv6Invariants({
        ipv6: db.ipv6,
        enis: db.enis,
        releasing,
        limitOf: (eniId) => types.get(instances.get(enis.get(eniId)?.instanceId ?? '')?.instanceType ?? '')?.ipv6PerEni,
        api: api?.enis ?? [],
        acks: acks?.assignedIpv6 ?? [],
      }),
    );
  }
  return out;
}

/** The snapshot with the lookups checkInvariants built, for the API and acknowledgement checks. */
interface StoredState {
  db: Snapshot;
  enis: ReadonlyMap<string, Snapshot['enis'][number]>;
  ipsByEni: ReadonlyMap<string, string[]>;
  prefixesByEni: ReadonlyMap<string, string[]>;
  groupType: ReadonlyMap<string, string>;
}

/** The API shows what the database holds. */
function checkApiView({ db, enis, ipsByEni, prefixesByEni }: StoredState, api: ApiView): string[] {
  const out: string[] = [];
  // Each ENI on at most one instance, and the instances' view (DescribeInstances) is the ENIs' view.
  const apiEnis = new Map(api.enis.map((e) => [e.id, e]));
  for (const e of db.enis) {
    const shown = apiEnis.get(e.id);
    if (!shown) {
      out.push(`ENI ${e.id} is in the database but not in DescribeNetworkInterfaces`);
      continue;
    }
    if (shown.status !== e.status) out.push(`ENI ${e.id}: the API shows ${shown.status}, the database ${e.status}`);
    const dbInstance = e.instanceId !== null && ATTACHED.has(e.status) ? e.instanceId : '';
    if (shown.instanceId !== dbInstance) out.push(`ENI ${e.id}: the API shows instance "${shown.instanceId}", the database "${dbInstance}"`);
    if (shown.mac !== e.mac) out.push(`ENI ${e.id}: the API shows MAC ${shown.mac}, the database ${e.mac}`);
    const dbIps = [...(ipsByEni.get(e.id) ?? [])].sort().join(',');
    if ([...shown.ips].sort().join(',') !== dbIps) out.push(`ENI ${e.id}: the API shows addresses ${shown.ips.join(',')}, the database ${dbIps}`);
    const dbPrefixes = [...(prefixesByEni.get(e.id) ?? [])].sort().join(',');
    if (shown.prefixes && [...shown.prefixes].sort().join(',') !== dbPrefixes)
      out.push(`ENI ${e.id}: the API shows prefixes ${shown.prefixes.join(',')}, the database ${dbPrefixes}`);
  }
  for (const e of api.enis) if (!enis.has(e.id)) out.push(`ENI ${e.id} is listed by the API but not in the database`);
  // No address shown on two ENIs, Deleting ones included.
  const shownOn = new Map<string, string[]>();
  for (const e of api.enis) for (const ip of new Set(e.ips)) shownOn.set(ip, [...(shownOn.get(ip) ?? []), e.id]);
  for (const [ip, ids] of shownOn) if (ids.length > 1) out.push(`address ${ip} is listed on ${ids.length} ENIs: ${ids.join(', ')}`);
  const prefixShownOn = new Map<string, string[]>();
  for (const e of api.enis) for (const p of new Set(e.prefixes ?? [])) prefixShownOn.set(p, [...(prefixShownOn.get(p) ?? []), e.id]);
  for (const [p, ids] of prefixShownOn) if (ids.length > 1) out.push(`prefix ${p} is listed on ${ids.length} ENIs: ${ids.join(', ')}`);
  const claimedBy = new Map<string, string[]>();
  for (const inst of api.instances) for (const id of inst.eniIds) claimedBy.set(id, [...(claimedBy.get(id) ?? []), inst.id]);
  for (const [eniId, owners] of claimedBy) {
    if (owners.length > 1) out.push(`ENI ${eniId} is listed on ${owners.length} instances: ${owners.join(', ')}`);
    const shown = apiEnis.get(eniId);
    if (shown && shown.instanceId !== owners[0]) out.push(`instance ${owners[0]} lists ENI ${eniId}, whose InstanceId is "${shown.instanceId}"`);
  }
  for (const e of api.enis) {
    // A trunk member names its trunk's instance, which lists its own NICs only.
    if (e.instanceId && !e.trunkId && !(claimedBy.get(e.id) ?? []).includes(e.instanceId))
      out.push(`ENI ${e.id} says instance ${e.instanceId}, which does not list it`);
  }

  return out;
}

/** What clients were told holds. */
function checkAcks({ db, enis, ipsByEni, prefixesByEni, groupType }: StoredState, acks: Acks): string[] {
  const out: string[] = [];
  // A ClientToken never creates two resources; its answers all name the one it created.
  const families = new Map<string, Acks['tokenCalls']>();
  for (const c of acks.tokenCalls) families.set(c.token, [...(families.get(c.token) ?? []), c]);
  for (const [token, calls] of families) {
    const name = calls[0]!.name;
    const created = db.enis.filter((e) => e.name === name);
    if (created.length > 1) out.push(`ClientToken ${token} created ${created.length} ENIs: ${created.map((e) => e.id).join(', ')}`);
    const answered = new Set(calls.flatMap((c) => (c.eniId ? [c.eniId] : [])));
    if (answered.size > 1) out.push(`ClientToken ${token} answered with different ENIs: ${[...answered].join(', ')}`);
    const winners = new Set(calls.filter((c) => c.eniId).map((c) => c.variant));
    if (winners.size > 1) out.push(`ClientToken ${token} succeeded with different parameters (${[...winners].join(', ')})`);
    for (const c of calls) {
      if (c.code !== undefined && c.code !== 'IdempotentParameterMismatch') out.push(`ClientToken ${token}: a call answered ${c.code}`);
      if (c.code === 'IdempotentParameterMismatch' && winners.has(c.variant))
        out.push(`ClientToken ${token}: the winning parameters were also refused as a mismatch`);
    }
    const stored = db.clientTokens.filter((t) => t.token === token);
    if (answered.size === 1) {
      const id = [...answered][0]!;
      if (created.length !== 1 || created[0]!.id !== id)
        out.push(`ClientToken ${token} answered ${id}, but the ENIs it created are ${created.map((e) => e.id).join(', ') || 'none'}`);
      if (stored.length !== 1 || !stored[0]!.response.includes(id)) out.push(`ClientToken ${token}: the stored record does not name ${id}`);
    }
  }
  // A replayed SignatureNonce is refused on every replica: one copy accepted, the others refused.
  for (const trial of acks.nonceTrials) {
    const accepted = trial.answers.filter((a) => a.status === 200).length;
    if (accepted !== 1) out.push(`nonce ${trial.nonce}: ${accepted} copies accepted, expected exactly 1`);
    for (const a of trial.answers)
      if (a.status !== 200 && a.code !== 'SignatureNonceUsed') out.push(`nonce ${trial.nonce}: a copy answered ${a.status} ${a.code}`);
  }

  // Every acknowledged write is there.
  for (const c of acks.createdEnis) {
    if (!enis.has(c.eniId)) out.push(`acknowledged ENI ${c.eniId} does not exist`);
    for (const ip of c.ips) if (!(ipsByEni.get(c.eniId) ?? []).includes(ip)) out.push(`acknowledged address ${ip} of new ENI ${c.eniId} is not on it`);
  }
  for (const a of acks.assignedIps)
    for (const ip of a.ips) if (!(ipsByEni.get(a.eniId) ?? []).includes(ip)) out.push(`acknowledged assignment of ${ip} to ${a.eniId} is not there`);
  for (const a of acks.assignedPrefixes ?? [])
    for (const p of a.prefixes) if (!(prefixesByEni.get(a.eniId) ?? []).includes(p)) out.push(`acknowledged prefix ${p} of ${a.eniId} is not there`);
  for (const a of acks.attached) {
    const e = enis.get(a.eniId);
    if (!e || e.instanceId !== a.instanceId || e.status !== 'InUse') {
      out.push(`acknowledged attachment of ${a.eniId} to ${a.instanceId} does not hold (${e ? `${e.status} on ${e.instanceId ?? 'nothing'}` : 'no such ENI'})`);
    }
  }
  const vpcs = new Set(db.vpcs.map((v) => v.id));
  for (const id of acks.createdVpcs) if (!vpcs.has(id)) out.push(`acknowledged VPC ${id} does not exist`);
  for (const id of acks.createdGroups) if (!groupType.has(id)) out.push(`acknowledged security group ${id} does not exist`);

  // Every answer was a success or a 4xx with a code; only a killed replica may leave a call unanswered.
  for (const e of acks.serverErrors) out.push(`${e.label} answered HTTP ${e.status} ${e.code}`);
  for (const u of acks.unknown) if (!acks.killedReplicas.includes(u.replica)) out.push(`${u.label} on live replica ${u.replica} got no answer: ${u.error}`);
  return out;
}
