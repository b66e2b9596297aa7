import { Type, type TLiteral, type TSchema, type TUnion } from '@sinclair/typebox';

/**
 * Building blocks for action parameter schemas. Schemas describe types and list sizes; the
 * cloud's own format rules (name patterns, CIDRs...) live in domain/ and answer with their own
 * codes (InvalidVpcName.Malformed, ...), which a generic schema error could not.
 */

/** A string restricted to listed values (compared as given; handlers normalise case where the cloud does). */
export function Enum<const T extends readonly string[]>(values: T): TUnion<TLiteral<T[number]>[]> {
  return Type.Union(values.map((v) => Type.Literal(v)));
}

/** `Name.1`, `Name.2`, ... on the wire. */
export const RepeatList = <T extends TSchema>(item: T, maxItems: number) => Type.Array(item, { maxItems });

/** One parameter holding a JSON array, e.g. `InstanceIds=["i-1","i-2"]`. */
export const JsonList = <T extends TSchema>(item: T, maxItems: number) => Type.Array(item, { maxItems, wire: 'json' });

/** One parameter holding a comma-separated list, e.g. DescribeVpcs `VpcId=vpc-1,vpc-2`. */
export const CommaList = <T extends TSchema>(item: T, maxItems: number) => Type.Array(item, { maxItems, wire: 'comma' });

export const TagParams = Type.Optional(RepeatList(Type.Object({ Key: Type.Optional(Type.String()), Value: Type.Optional(Type.String()) }), 20));

export const ClientToken = Type.Optional(Type.String());
export const DryRun = Type.Optional(Type.Boolean());
export const RegionId = Type.String();
export const OptionalRegionId = Type.Optional(Type.String());

export const PageParams = {
  PageNumber: Type.Optional(Type.Integer({ minimum: 1 })),
  PageSize: Type.Optional(Type.Integer({ minimum: 1 })),
};

export const TokenPageParams = {
  NextToken: Type.Optional(Type.String()),
  MaxResults: Type.Optional(Type.Integer()),
};

/** Wire shape of a tag list in ECS responses: `{Tag:[{TagKey,TagValue}]}`. */
export const EcsTagsResult = Type.Object({ Tag: Type.Array(Type.Object({ TagKey: Type.String(), TagValue: Type.String() })) });
/** Wire shape of a tag list in VPC responses: `{Tag:[{Key,Value}]}`. */
export const VpcTagsResult = Type.Object({ Tag: Type.Array(Type.Object({ Key: Type.String(), Value: Type.String() })) });

export const RequestOnly = Type.Object({});
