import type { FastifyInstance } from 'fastify';
import { assertMayJoin } from '../../domain/eni-rules.ts';
import { findRegion } from '../../domain/regions.ts';
import { ApiError } from '../../errors/api-error.ts';
import { CommonErrors } from '../../errors/common.ts';
import type { ServiceContext } from '../../services/context.ts';
import { attachCheckOf, eniNow, joinCountsOf, requireInstanceForEni } from '../../services/enis.ts';
import { enisOfInstance, listEnis } from '../../store/repos/enis.ts';
import { readConsistently } from '../../store/tx.ts';
import { ConsoleErrors } from '../sessions.ts';
import type { ViewOptions } from './index.ts';

/**
 * `POST /console/api/views/attach-candidates {InstanceId, RegionId}`: the ENIs of the instance's
 * VPC that Bind Secondary ENI offers, each with whether AttachNetworkInterface would take it now
 * and, if not, the code and message it would answer. One read; each ENI goes through the very
 * check attachEni runs (services/enis.ts attachCheckOf → domain/eni-rules.ts assertMayJoin, with
 * the server's attachLocality), so nothing here re-states a rule.
 */

/** How many ENIs the list holds: the instance VPC's first Available ones, then the others. */
export const CANDIDATE_LIMIT = 100;

export interface AttachCandidate {
  NetworkInterfaceId: string;
  NetworkInterfaceName: string;
  VSwitchId: string;
  ZoneId: string;
  Status: string;
  Type: string;
  PrimaryIpAddress: string;
  InstanceId: string;
  MayJoin: boolean;
  Code?: string;
  Message?: string;
}

export interface AttachCandidates {
  InstanceId: string;
  VpcId: string;
  Candidates: AttachCandidate[];
  /** More ENIs are in the VPC than the list holds. */
  Truncated: boolean;
  Limit: number;
}

export function registerAttachCandidates(app: FastifyInstance, opts: ViewOptions): void {
  const { deps } = opts;
  app.post('/views/attach-candidates', async (request): Promise<AttachCandidates> => {
    const session = await opts.guarded(request);
    const body = (request.body ?? {}) as { InstanceId?: unknown; RegionId?: unknown };
    if (typeof body.InstanceId !== 'string' || body.InstanceId === '') throw ConsoleErrors.badRequest('InstanceId is missing.');
    const regionId = typeof body.RegionId === 'string' && body.RegionId !== '' ? body.RegionId : deps.config.defaultRegion;
    if (!findRegion(regionId)) throw CommonErrors.invalidRegionId(regionId);
    const instanceId = body.InstanceId;
    return readConsistently(deps.store, async (tx) => {
      const ctx: ServiceContext = { tx, accountId: session.accountId, regionId, now: deps.clock.now(), random: deps.random, settings: deps.config };
      const target = await requireInstanceForEni(ctx, instanceId, false);
      const attached = await enisOfInstance(tx, target.instance.id, ctx.now);
      const q = { accountId: ctx.accountId, regionId, vpcId: target.instance.vpcId };
      const available = await listEnis(tx, { ...q, status: 'Available' }, ctx.now, { limit: CANDIDATE_LIMIT + 1 });
      const others =
        available.length > CANDIDATE_LIMIT ? [] : await listEnis(tx, q, ctx.now, { limit: CANDIDATE_LIMIT + attached.length + available.length + 1 });
      const seen = new Set([...attached.map((e) => e.id), ...available.map((e) => e.id)]);
      const all = [...available, ...others.filter((e) => !seen.has(e.id))].map((e) => eniNow(e, ctx.now));
      const shown = all.slice(0, CANDIDATE_LIMIT);
      const counts = await joinCountsOf(ctx, shown);
      const candidates = shown.map((eni): AttachCandidate => {
        const row = {
          NetworkInterfaceId: eni.id,
          NetworkInterfaceName: eni.name,
          VSwitchId: eni.vswitchId,
          ZoneId: eni.zoneId,
          Status: eni.status,
          Type: eni.type,
          PrimaryIpAddress: eni.primaryIp,
          InstanceId: eni.instanceId ?? '',
        };
        try {
          assertMayJoin(attachCheckOf(ctx, eni, counts.get(eni.id)!, target, attached));
          return { ...row, MayJoin: true };
        } catch (err) {
          if (!(err instanceof ApiError)) throw err;
          return { ...row, MayJoin: false, Code: err.code, Message: err.message };
        }
      });
      return {
        InstanceId: target.instance.id,
        VpcId: target.instance.vpcId,
        Candidates: candidates,
        Truncated: all.length > CANDIDATE_LIMIT,
        Limit: CANDIDATE_LIMIT,
      };
    });
  });
}
