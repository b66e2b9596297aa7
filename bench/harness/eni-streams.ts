import { ATTACHED_PER_CELL, AVAILABLE_ENI_MAX_IPS, ECS, ENI_QUOTA, ENIS_PER_INSTANCE, createEniParams, type Cell, type SeedState } from './seed.ts';
import type { ListedRequest } from './scenario.ts';

/**
 * The request streams of the ENI bench, built from what the seed made so that no request can
 * legitimately fail: every ID exists for the signing account, every creation has quota and
 * addresses, every address assignment has room, every attachment pairs an Available ENI with an
 * instance of its vSwitch that has a free slot, and no pair is used twice.
 */

/** Takes one item from each list in turn: consecutive requests land on different cells (different locks). */
function interleave<T>(lists: readonly (readonly T[])[]): T[] {
  const out: T[] = [];
  const longest = Math.max(0, ...lists.map((l) => l.length));
  for (let i = 0; i < longest; i++) for (const l of lists) if (i < l.length) out.push(l[i]!);
  return out;
}

/** DescribeNetworkInterfaces by InstanceId: every seeded instance in turn (its primary ENI and 3 attached ones). */
export function describeByInstance(state: SeedState): ListedRequest[] {
  return state.cells
    .filter((c) => c.instanceId !== undefined && c.enis.length >= ATTACHED_PER_CELL)
    .map((c) => ({ key: c.key, action: 'DescribeNetworkInterfaces', version: ECS, params: { RegionId: c.regionId, InstanceId: c.instanceId! } }));
}

/**
 * DescribeNetworkInterfaces by VSwitchId, a page of 100: MaxResults=100 without NextToken, the
 * first page in the documented (token) style; the deprecated PageSize stops at 100 too, but pages
 * by offset. Only full cells' vSwitches (101 ENIs), so every answer holds 100.
 */
export const VSWITCH_PAGE = 100;
export function describeByVSwitch(state: SeedState): ListedRequest[] {
  return state.cells
    .filter((c) => c.enis.length === ENI_QUOTA)
    .map((c) => ({
      key: c.key,
      action: 'DescribeNetworkInterfaces',
      version: ECS,
      params: { RegionId: c.regionId, VSwitchId: c.vswitchId, MaxResults: String(VSWITCH_PAGE) },
    }));
}

/**
 * AssignPrivateIpAddresses, one address each, to the seeded Available ENIs (those not attached at
 * seeding): each holds 1 address and may hold 10, so each is named at most 9 times, in passes over
 * all of them (cells interleaved), at most `cap` requests.
 */
export function assignOne(state: SeedState, cap: number): ListedRequest[] {
  const targets = interleave(state.cells.map((c) => c.enis.slice(ATTACHED_PER_CELL).map((eni) => ({ cell: c, eni }))));
  const out: ListedRequest[] = [];
  for (let pass = 1; pass < AVAILABLE_ENI_MAX_IPS && out.length < cap; pass++) {
    for (const { cell, eni } of targets) {
      if (out.length >= cap) break;
      out.push({
        key: cell.key,
        action: 'AssignPrivateIpAddresses',
        version: ECS,
        params: { RegionId: cell.regionId, NetworkInterfaceId: eni, SecondaryPrivateIpAddressCount: '1' },
      });
    }
  }
  return out;
}

/** Create cells filled 32 at a time (one per connection at full concurrency), 100 ENIs each: the quota is never reached. */
const CREATE_GROUP = 32;
export function createInCells(state: SeedState, cap: number): ListedRequest[] {
  const out: ListedRequest[] = [];
  for (let g = 0; g < state.createCells.length && out.length < cap; g += CREATE_GROUP) {
    const group = state.createCells.slice(g, g + CREATE_GROUP);
    const perCell = group.map((c) =>
      Array.from({ length: ENI_QUOTA }, () => ({ key: c.key, action: 'CreateNetworkInterface', version: ECS, params: createEniParams(c) })),
    );
    for (const r of interleave(perCell)) {
      if (out.length >= cap) break;
      out.push(r);
    }
  }
  return out;
}

export interface AttachTarget {
  cell: Cell;
  instanceId: string;
  /** Secondary slots still free on the instance. */
  free: number;
  /** Available ENIs of the instance's vSwitch, to attach to it. */
  enis: string[];
}

/**
 * AttachNetworkInterface pairs: each ENI once, each instance at most `free` times; instances
 * interleaved, so concurrent attaches rarely wait on the same instance's lock.
 */
export function attachPairs(targets: readonly AttachTarget[], cap: number): ListedRequest[] {
  const perInstance = targets.map((t) =>
    t.enis.slice(0, t.free).map((eni) => ({
      key: t.cell.key,
      action: 'AttachNetworkInterface',
      version: ECS,
      params: { RegionId: t.cell.regionId, InstanceId: t.instanceId, NetworkInterfaceId: eni },
    })),
  );
  return interleave(perInstance).slice(0, cap);
}

/** The seeded instances' free slots, with their cells' ENIs that were never attached. */
export function seededAttachTargets(state: SeedState): AttachTarget[] {
  return state.cells
    .filter((c) => c.instanceId !== undefined)
    .map((c) => ({
      cell: c,
      instanceId: c.instanceId!,
      free: ENIS_PER_INSTANCE - 1 - Math.min(ATTACHED_PER_CELL, c.enis.length),
      enis: c.enis.slice(ATTACHED_PER_CELL),
    }));
}
