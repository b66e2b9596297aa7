import { Type } from '@sinclair/typebox';
import { EniErrors } from '../../errors/ecs/enis.ts';
import { modifyMetadataOptions } from '../../services/instances.ts';
import { defineAction } from '../define-action.ts';
import { Enum, RegionId } from '../params.ts';
import { Obj } from '../schema-helpers.ts';

// The SDK marks HttpEndpoint "required" yet documents a default; a parameter left out keeps its
// current value, so a caller switching only HttpTokens is not refused.
export const modifyInstanceMetadataOptions = defineAction({
  product: 'Ecs',
  name: 'ModifyInstanceMetadataOptions',
  summary:
    'Change how an instance\'s metadata service answers: HttpTokens (optional, or required for token-only "security hardening" mode), HttpEndpoint (enabled or disabled), HttpPutResponseHopLimit, InstanceMetadataTags (enabled shows tags under tags/instance/); what is left out stays.',
  params: Type.Object({
    RegionId,
    InstanceId: Type.String(),
    HttpEndpoint: Type.Optional(Enum(['enabled', 'disabled'])),
    HttpTokens: Type.Optional(Enum(['optional', 'required'])),
    HttpPutResponseHopLimit: Type.Optional(Type.Integer({ minimum: 1, maximum: 64 })),
    InstanceMetadataTags: Type.Optional(Enum(['enabled', 'disabled'])),
  }),
  result: Obj({}),
  errors: [EniErrors.instanceNotFound],
  async handler(p, ctx) {
    await modifyMetadataOptions(ctx, p.InstanceId, {
      httpEndpoint: p.HttpEndpoint,
      httpTokens: p.HttpTokens,
      hopLimit: p.HttpPutResponseHopLimit,
      instanceMetadataTags: p.InstanceMetadataTags,
    });
    return {};
  },
});
