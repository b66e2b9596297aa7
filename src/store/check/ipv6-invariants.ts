/**
 * The IPv6 invariants several replicas must keep (checked by invariants.ts checkInvariants): no
 * IPv6 address on two ENIs, none inside an /80 prefix, prefixes whole /80s of their vSwitch's /64
 * kept apart, the free /80 ranges exactly the /80s holding nothing, each ENI within its IPv6 limit,
 * the API showing what the database holds, and every acknowledged address there. Written from the
 * specification with ipaddr.js, not with the code under test.
 */
import ipaddr from 'ipaddr.js';

/** An unattached ENI holds at most 10 IPv6 entries (addresses and /80 prefixes, each counted once). */
export const IPV6_AVAILABLE_ENI = 10;
/** The /80s a prefix may be: all but the first and the last of the /64, which hold the reserved addresses. */
const FIRST_BLOCK = 1;
const LAST_BLOCK = 65534;

export interface Ipv6Snapshot {
  /** The /64 of each IPv6 vSwitch. */
  vswitchBlocks: { vswitchId: string; block: string }[];
  addresses: { vswitchId: string; address: string; block80: number; eniId: string }[];
  prefixes: { vswitchId: string; block80: number; prefix: string; eniId: string }[];
  freeBlocks: { vswitchId: string; first: number; last: number }[];
}

export interface Ipv6Context {
  ipv6: Ipv6Snapshot;
  enis: { id: string; status: string; vswitchId: string; instanceId: string | null }[];
  releasing: ReadonlyMap<string, string>;
  /** The per-ENI IPv6 figure of an attached ENI's instance type, when known. */
  limitOf(eniId: string): number | undefined;
  api: { id: string; ipv6?: string[]; ipv6Prefixes?: string[] }[];
  acks: { eniId: string; addresses: string[]; prefixes: string[] }[];
}

function toBig(text: string): bigint | undefined {
  if (!ipaddr.IPv6.isValid(text)) return undefined;
  return ipaddr.IPv6.parse(text).parts.reduce((n, p) => (n << 16n) | BigInt(p), 0n);
}

/** The /64's network as a bigint, or undefined when the text is no /64. */
function net64(cidr: string): bigint | undefined {
  const [addr, bits] = cidr.split('/');
  if (bits !== '64' || !addr) return undefined;
  return toBig(addr);
}

const BLOCK = (n: bigint) => Number((n >> 48n) & 0xffffn);
const HOST_MASK = (1n << 64n) - 1n;

export function checkIpv6Invariants(c: Ipv6Context): string[] {
  const out: string[] = [];
  const enis = new Map(c.enis.map((e) => [e.id, e]));
  const nets = new Map(c.ipv6.vswitchBlocks.map((v) => [v.vswitchId, net64(v.block)]));
  const holds = (eniId: string, vswitchId: string, what: string) => {
    const eni = enis.get(eniId);
    if (!eni && c.releasing.get(eniId) !== vswitchId) out.push(`${what} held by ENI ${eniId}, which does not exist`);
    else if (eni && eni.vswitchId !== vswitchId) out.push(`${what} of ${vswitchId} on ENI ${eni.id} of ${eni.vswitchId}`);
  };

  // Addresses: inside their vSwitch's /64, not a reserved one, their /80 recorded right, never twice.
  const seen = new Map<string, string>();
  const addressBlocks = new Map<string, Set<number>>();
  for (const a of c.ipv6.addresses) {
    const n = toBig(a.address);
    const net = nets.get(a.vswitchId);
    if (n === undefined) out.push(`IPv6 address ${a.address} is malformed`);
    else if (net === undefined) out.push(`IPv6 address ${a.address} in ${a.vswitchId}, which has no /64`);
    else {
      const host = n - net;
      if (host < 0n || host > HOST_MASK) out.push(`IPv6 address ${a.address} outside the /64 of ${a.vswitchId}`);
      else if (host === 0n || host > HOST_MASK - 9n) out.push(`IPv6 address ${a.address} of ${a.vswitchId} is a reserved one`);
      if (BLOCK(n) !== a.block80) out.push(`IPv6 address ${a.address} recorded in /80 ${a.block80}, it is in ${BLOCK(n)}`);
      const key = `${a.vswitchId} ${n}`;
      if (seen.has(key)) out.push(`IPv6 address ${a.address} of ${a.vswitchId} given twice (${seen.get(key)}, ${a.eniId})`);
      seen.set(key, a.eniId);
      addressBlocks.set(a.vswitchId, (addressBlocks.get(a.vswitchId) ?? new Set()).add(BLOCK(n)));
    }
    holds(a.eniId, a.vswitchId, `IPv6 address ${a.address}`);
  }

  // Prefixes: whole /80s of the /64, never the edge ones, never twice, never holding an address.
  const prefixBlocks = new Map<string, Set<number>>();
  for (const p of c.ipv6.prefixes) {
    const net = nets.get(p.vswitchId);
    const [base, bits] = p.prefix.split('/');
    const n = base ? toBig(base) : undefined;
    if (bits !== '80' || n === undefined || (n & ((1n << 48n) - 1n)) !== 0n) out.push(`IPv6 prefix ${p.prefix} is no /80`);
    else if (net === undefined || n - net < 0n || n - net > HOST_MASK) out.push(`IPv6 prefix ${p.prefix} outside the /64 of ${p.vswitchId}`);
    else if (BLOCK(n) !== p.block80) out.push(`IPv6 prefix ${p.prefix} recorded as /80 ${p.block80}`);
    if (p.block80 < FIRST_BLOCK || p.block80 > LAST_BLOCK) out.push(`IPv6 prefix ${p.prefix} of ${p.vswitchId} is an edge /80`);
    const mine = prefixBlocks.get(p.vswitchId) ?? new Set<number>();
    if (mine.has(p.block80)) out.push(`IPv6 prefix ${p.prefix} of ${p.vswitchId} given twice`);
    prefixBlocks.set(p.vswitchId, mine.add(p.block80));
    if (addressBlocks.get(p.vswitchId)?.has(p.block80)) out.push(`an IPv6 address of ${p.vswitchId} is inside prefix ${p.prefix}`);
    holds(p.eniId, p.vswitchId, `IPv6 prefix ${p.prefix}`);
  }

  // The free /80 ranges: disjoint, inside the prefix span, and exactly the /80s holding nothing.
  for (const [vswitchId, net] of nets) {
    if (net === undefined) {
      out.push(`vSwitch ${vswitchId} has a malformed /64`);
      continue;
    }
    const ranges = c.ipv6.freeBlocks.filter((r) => r.vswitchId === vswitchId).sort((a, b) => a.first - b.first);
    let free = 0;
    for (let i = 0; i < ranges.length; i++) {
      const r = ranges[i]!;
      if (r.first < FIRST_BLOCK || r.last > LAST_BLOCK || r.first > r.last) out.push(`free /80 range ${r.first}-${r.last} of ${vswitchId} is out of bounds`);
      if (i > 0 && r.first <= ranges[i - 1]!.last) out.push(`free /80 ranges of ${vswitchId} overlap at ${r.first}`);
      free += r.last - r.first + 1;
    }
    const isFree = (b: number) => ranges.some((r) => r.first <= b && b <= r.last);
    const used = new Set([
      ...(prefixBlocks.get(vswitchId) ?? []),
      ...[...(addressBlocks.get(vswitchId) ?? [])].filter((b) => b >= FIRST_BLOCK && b <= LAST_BLOCK),
    ]);
    for (const b of used) if (isFree(b)) out.push(`/80 ${b} of ${vswitchId} is both free and used`);
    if (free + used.size !== LAST_BLOCK - FIRST_BLOCK + 1) out.push(`${vswitchId}: ${free} free /80s + ${used.size} used != ${LAST_BLOCK - FIRST_BLOCK + 1}`);
  }
  for (const r of c.ipv6.freeBlocks) if (!nets.has(r.vswitchId)) out.push(`free /80 ranges kept for ${r.vswitchId}, which has no IPv6`);

  // Each ENI within its IPv6 limit; the API shows what the database holds; acknowledgements hold.
  const entries = new Map<string, { addresses: string[]; prefixes: string[] }>();
  const entry = (id: string) => entries.get(id) ?? entries.set(id, { addresses: [], prefixes: [] }).get(id)!;
  for (const a of c.ipv6.addresses) entry(a.eniId).addresses.push(a.address);
  for (const p of c.ipv6.prefixes) entry(p.eniId).prefixes.push(p.prefix);
  for (const e of c.enis) {
    const held = entries.get(e.id);
    const n = held ? held.addresses.length + held.prefixes.length : 0;
    const limit = e.status === 'Available' || !e.instanceId ? IPV6_AVAILABLE_ENI : c.limitOf(e.id);
    if (limit !== undefined && n > limit) out.push(`ENI ${e.id} (${e.status}) holds ${n} IPv6 addresses and prefixes, its limit is ${limit}`);
  }
  for (const shown of c.api) {
    const held = entries.get(shown.id) ?? { addresses: [], prefixes: [] };
    if (shown.ipv6 && [...shown.ipv6].sort().join(',') !== [...held.addresses].sort().join(',')) {
      out.push(`ENI ${shown.id}: the API shows IPv6 ${shown.ipv6.join(',')}, the database ${held.addresses.join(',')}`);
    }
    if (shown.ipv6Prefixes && [...shown.ipv6Prefixes].sort().join(',') !== [...held.prefixes].sort().join(',')) {
      out.push(`ENI ${shown.id}: the API shows IPv6 prefixes ${shown.ipv6Prefixes.join(',')}, the database ${held.prefixes.join(',')}`);
    }
  }
  for (const a of c.acks) {
    const held = entries.get(a.eniId) ?? { addresses: [], prefixes: [] };
    for (const x of a.addresses) if (!held.addresses.includes(x)) out.push(`acknowledged IPv6 address ${x} of ${a.eniId} is not there`);
    for (const x of a.prefixes) if (!held.prefixes.includes(x)) out.push(`acknowledged IPv6 prefix ${x} of ${a.eniId} is not there`);
  }
  return out;
}
