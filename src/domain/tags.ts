import type { ApiError } from '../errors/api-error.ts';
import { TagErrors } from '../errors/tags.ts';
import { VpcTagErrors } from '../errors/vpc/tags.ts';

export interface Tag {
  key: string;
  value: string;
}

export const MAX_TAGS_PER_RESOURCE = 20;
/** TagResources / UntagResources / ListTagResources: ResourceId.N takes 1 to 50 IDs, Tag.N and TagKey.N 1 to 20. */
export const MAX_RESOURCE_IDS_PER_CALL = 50;
export const MAX_TAGS_PER_CALL = 20;

/** The codes a product answers with when a tag breaks the rules (ECS and VPC spell them differently). */
export interface TagRuleErrors {
  keyMalformed(): ApiError;
  valueMalformed(): ApiError;
  duplicateKey(key: string): ApiError;
}

export interface TagRules {
  errors: TagRuleErrors;
  /**
   * The VPC product also forbids values starting with `aliyun` or `acs:` ([VPC-SDK]
   * TagResourcesRequestTag.value); ECS only forbids URLs in values ([ECS-SDK]).
   */
  valueRejectsReservedPrefix: boolean;
}

/** ECS rules and codes ([ECS-SDK] TagResourcesRequestTag); also what Create* actions apply to their Tag.N. */
export const ECS_TAG_RULES: TagRules = { errors: TagErrors, valueRejectsReservedPrefix: false };
/** The VPC product's tag codes and its stricter value rule (no aliyun/acs: prefix). */
export const VPC_TAG_RULES: TagRules = { errors: VpcTagErrors, valueRejectsReservedPrefix: true };

const RESERVED_PREFIX = /^(aliyun|acs:)/i;
const URL = /https?:\/\//i;

export function isValidTagKey(key: string): boolean {
  return key.length >= 1 && key.length <= 128 && !RESERVED_PREFIX.test(key) && !URL.test(key);
}

/** Validates `Tag.N.Key/Value` as the cloud does and returns them in request order. */
export function validateTags(input: readonly { Key?: string; Value?: string }[] | undefined, rules: TagRules = ECS_TAG_RULES): Tag[] {
  if (!input) return [];
  const seen = new Set<string>();
  const tags: Tag[] = [];
  for (const t of input) {
    const key = t.Key ?? '';
    // An absent value is the empty string: the ECS reference's own sample request sends only Tag.1.Key.
    const value = t.Value ?? '';
    if (!isValidTagKey(key)) throw rules.errors.keyMalformed();
    if (value.length > 128 || URL.test(value) || (rules.valueRejectsReservedPrefix && RESERVED_PREFIX.test(value))) throw rules.errors.valueMalformed();
    if (seen.has(key)) throw rules.errors.duplicateKey(key);
    seen.add(key);
    tags.push({ key, value });
  }
  return tags;
}

/** Tag filters on Describe calls: every given key must match; an empty value matches any value. */
export interface TagFilter {
  key: string;
  value?: string;
}

export function tagFilters(input: readonly { Key?: string; Value?: string }[] | undefined): TagFilter[] {
  return (input ?? []).filter((t) => t.Key).map((t) => (t.Value ? { key: t.Key!, value: t.Value } : { key: t.Key! }));
}

/**
 * Keys of `resources` after adding `tags` (an existing key is overwritten, not added): the
 * resources that would carry more than MAX_TAGS_PER_RESOURCE tags.
 */
export function overTagQuota(existing: ReadonlyMap<string, readonly Tag[]>, resourceIds: readonly string[], tags: readonly Tag[]): string[] {
  return resourceIds.filter((id) => {
    const keys = new Set((existing.get(id) ?? []).map((t) => t.key));
    for (const t of tags) keys.add(t.key);
    return keys.size > MAX_TAGS_PER_RESOURCE;
  });
}

/** Where a ListTagResources page ends: the last (resource ID, tag key) returned, in the listing's order. */
export interface TagCursor {
  resourceId: string;
  key: string;
}

/**
 * NextToken of ListTagResources: opaque to clients, it names the last row returned, so pages
 * stay stable (no row repeated or skipped) while tags are added or removed between calls.
 */
export function encodeTagCursor(c: TagCursor): string {
  return Buffer.from(JSON.stringify([c.resourceId, c.key]), 'utf8').toString('base64url');
}

/** The cursor a token names, or undefined when the token is not one this server issued. */
export function decodeTagCursor(token: string): TagCursor | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string') return { resourceId: v[0], key: v[1] };
  } catch {
    // fall through: not a token of ours
  }
  return undefined;
}
