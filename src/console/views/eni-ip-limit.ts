import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ipLimitFor } from '../../domain/eni-rules.ts';
import { findInstanceType } from '../../domain/instance-types.ts';
import { ConsoleErrors } from '../sessions.ts';
import type { ServiceContext } from '../../services/context.ts';
import { requireEni } from '../../services/enis.ts';
import { privateIpsOf } from '../../store/repos/enis.ts';
import { findInstance } from '../../store/repos/instances.ts';
import { readConsistently } from '../../store/tx.ts';
import type { ViewOptions } from './index.ts';

/**
 * `POST /console/api/views/eni-ip-limit {NetworkInterfaceId, RegionId}` → {Limit, Reason, Used}:
 * how many private IPv4 addresses the ENI may hold now, by the rule AssignPrivateIpAddresses
 * enforces (domain/eni-rules.ts ipLimitFor: 10 while unattached, the instance type's per-ENI
 * figure while attached, never more than 20), and how many it holds. Read-only.
 */
export interface EniIpLimit {
  NetworkInterfaceId: string;
  Status: string;
  InstanceId: string;
  InstanceType: string;
  Limit: number;
  Reason: string;
  Used: number;
}

export function registerEniIpLimit(app: FastifyInstance, opts: ViewOptions): void {
  const { deps } = opts;
  app.post('/views/eni-ip-limit', async (request: FastifyRequest): Promise<EniIpLimit> => {
    const session = await opts.guarded(request);
    const body = (request.body ?? {}) as { NetworkInterfaceId?: unknown; RegionId?: unknown };
    if (typeof body.NetworkInterfaceId !== 'string' || body.NetworkInterfaceId === '') throw ConsoleErrors.badRequest('NetworkInterfaceId is missing.');
    const eniId = body.NetworkInterfaceId;
    const regionId = typeof body.RegionId === 'string' && body.RegionId !== '' ? body.RegionId : deps.config.defaultRegion;
    return readConsistently(deps.store, async (tx) => {
      const ctx: ServiceContext = { tx, accountId: session.accountId, regionId, now: deps.clock.now(), random: deps.random, settings: deps.config };
      // The ENI as the actions see it at this instant (a finished detach has no instance any more).
      const eni = await requireEni(ctx, eniId);
      const instance = eni.instanceId ? await findInstance(tx, session.accountId, eni.instanceId, ctx.now) : undefined;
      const type = instance ? findInstanceType(instance.instanceType) : undefined;
      const { limit, why } = ipLimitFor(eni.status, type);
      const used = ((await privateIpsOf(tx, [eni.id])).get(eni.id) ?? []).length;
      return {
        NetworkInterfaceId: eni.id,
        Status: eni.status,
        InstanceId: eni.instanceId ?? '',
        InstanceType: instance?.instanceType ?? '',
        Limit: limit,
        Reason: why,
        Used: used,
      };
    });
  });
}
