import { Type } from '@sinclair/typebox';
import { QUOTA_SPECS } from '../../domain/quotas.ts';
import { findZone } from '../../domain/regions.ts';
import { AccountAttributeErrors } from '../../errors/ecs/account-attributes.ts';
import { defineAction } from '../define-action.ts';
import { RegionId, RepeatList } from '../params.ts';
import { N, Obj, S, Wrap } from '../schema-helpers.ts';

/**
 * The attributes eniplane answers: every quota it enforces, under the cloud's attribute name
 * where the cloud has one (max-security-groups, max-elastic-network-interfaces), else eniplane's
 * (DIVERGENCE: the cloud has no max-vpcs etc. here; answering them lets users read every quota in
 * force in one call), plus instance-network-type, always `vpc` (the classic network is retired).
 */
const INSTANCE_NETWORK_TYPE = 'instance-network-type';
const ANSWERED = [INSTANCE_NETWORK_TYPE, ...QUOTA_SPECS.map((q) => q.name)];

const ValueItem = Obj({ Value: S, Count: N, ZoneId: Type.Optional(S) });
const AttributeItem = Obj({ AttributeName: S, AttributeValues: Wrap('ValueItem', ValueItem) });

export const describeAccountAttributes = defineAction({
  product: 'Ecs',
  name: 'DescribeAccountAttributes',
  summary: `The account's quotas in force in the region (serve --quotas), by AttributeName.N (1 to 8; none: all): ${ANSWERED.join(', ')}.`,
  readOnly: true,
  params: Type.Object({
    RegionId,
    AttributeName: Type.Optional(RepeatList(Type.String(), 8)),
    ZoneId: Type.Optional(Type.String()),
  }),
  result: Obj({ AccountAttributeItems: Wrap('AccountAttributeItem', AttributeItem) }),
  errors: [AccountAttributeErrors.attributeNotModelled, AccountAttributeErrors.zoneNotFound],
  async handler(p, ctx) {
    if (p.ZoneId !== undefined && p.ZoneId !== '' && !findZone(ctx.regionId, p.ZoneId)) throw AccountAttributeErrors.zoneNotFound(p.ZoneId);
    const asked = (p.AttributeName ?? []).filter((n) => n !== '');
    for (const name of asked) if (!ANSWERED.includes(name)) throw AccountAttributeErrors.attributeNotModelled(name, ANSWERED.join(', '));
    const names = asked.length > 0 ? ANSWERED.filter((n) => asked.includes(n)) : ANSWERED;
    // The quotas are per account and region, the same in every zone: a ZoneId narrows nothing.
    const zone = p.ZoneId ? { ZoneId: p.ZoneId } : {};
    const valueOf = (name: string) => {
      if (name === INSTANCE_NETWORK_TYPE) return 'vpc';
      const spec = QUOTA_SPECS.find((q) => q.name === name)!;
      return String(ctx.settings.quotas[spec.key]);
    };
    return {
      AccountAttributeItems: {
        AccountAttributeItem: names.map((name) => ({ AttributeName: name, AttributeValues: { ValueItem: [{ Value: valueOf(name), Count: 1, ...zone }] } })),
      },
    };
  },
});
