import { TagErrors } from '../errors/tags.ts';

export interface Tag {
  key: string;
  value: string;
}

export const MAX_TAGS_PER_RESOURCE = 20;

/** Validates `Tag.N.Key/Value` as the cloud does and returns them in request order. */
export function validateTags(input: readonly { Key?: string; Value?: string }[] | undefined): Tag[] {
  if (!input) return [];
  const seen = new Set<string>();
  const tags: Tag[] = [];
  for (const t of input) {
    const key = t.Key ?? '';
    const value = t.Value ?? '';
    if (key.length < 1 || key.length > 128 || /^(aliyun|acs:)/i.test(key) || /https?:\/\//i.test(key)) throw TagErrors.keyMalformed();
    if (value.length > 128 || /https?:\/\//i.test(value)) throw TagErrors.valueMalformed();
    if (seen.has(key)) throw TagErrors.duplicateKey(key);
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
