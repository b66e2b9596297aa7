import type { FastifyInstance } from 'fastify';
import { intToIpv4, parseIpv4Cidr, vswitchReserved, type Ipv4Net } from '../../domain/cidr.ts';
import { findRegion } from '../../domain/regions.ts';
import { CommonErrors } from '../../errors/common.ts';
import type { ServiceContext } from '../../services/context.ts';
import { describeVSwitches } from '../../services/vpcs.ts';
import { readConsistently } from '../../store/tx.ts';
import type { ViewOptions } from './index.ts';

/** At most this many vSwitches per call: one page of DescribeVSwitches (its largest PageSize). */
const MAX_IDS = 50;

/**
 * Each vSwitch's address use for the vSwitches page picture: the CIDR's size, the addresses the
 * cloud reserves in it (domain/cidr.ts vswitchReserved: the network address and the last three,
 * the gateway first among them), those in use and those free, from the same counts
 * DescribeVSwitches answers AvailableIpAddressCount with. Nothing is computed in the browser.
 */
export function registerVSwitchUsage(app: FastifyInstance, opts: ViewOptions): void {
  app.post('/views/vswitch-usage', async (request) => {
    const session = await opts.guarded(request);
    const body = (request.body ?? {}) as { RegionId?: unknown; VSwitchIds?: unknown };
    const regionId = typeof body.RegionId === 'string' ? body.RegionId : opts.deps.config.defaultRegion;
    if (!findRegion(regionId)) throw CommonErrors.invalidRegionId(regionId);
    const ids = Array.isArray(body.VSwitchIds) ? body.VSwitchIds.filter((id): id is string => typeof id === 'string') : [];
    if (ids.length > MAX_IDS) throw CommonErrors.invalidParameter('VSwitchIds', `At most ${MAX_IDS} vSwitches per call.`);
    const wanted = new Set(ids);
    return readConsistently(opts.deps.store, async (tx) => {
      const ctx: ServiceContext = {
        tx,
        accountId: session.accountId,
        regionId,
        now: opts.deps.clock.now(),
        random: opts.deps.random,
        settings: opts.deps.config,
      };
      const usage = [];
      // One query per vSwitch (bounded by MAX_IDS), through the service DescribeVSwitches uses.
      for (const id of wanted) {
        const { views } = await describeVSwitches(ctx, { regionId, id }, { offset: 0, limit: 1 });
        const v = views[0];
        if (!v) continue;
        const net = parseIpv4Cidr(v.cidrBlock) as Ipv4Net;
        const reserved = vswitchReserved(net);
        const reservedAddresses = [net.first, ...Array.from({ length: net.first + net.size - 1 - reserved.lastUsable }, (_, i) => reserved.lastUsable + 1 + i)];
        const free = v.ipCapacity - v.ipUsed;
        usage.push({
          VSwitchId: v.id,
          CidrBlock: v.cidrBlock,
          Total: net.size,
          Reserved: net.size - reserved.usable,
          ReservedAddresses: reservedAddresses.map(intToIpv4),
          Gateway: intToIpv4(reserved.gateway),
          Used: net.size - (net.size - reserved.usable) - free,
          Free: free,
        });
      }
      return { VSwitches: usage };
    });
  });
}
