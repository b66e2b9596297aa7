import type { ParamSchema } from '../api/client.ts';

/**
 * A field's hint from its declared schema (src/api): length, range and allowed values, as the
 * server will check them. Only what the declaration says is shown; the server still decides.
 */
export function schemaHint(schema: ParamSchema | undefined, extra?: string): string | undefined {
  const parts: string[] = [];
  if (extra) parts.push(extra);
  if (schema) {
    if (schema.minLength !== undefined && schema.maxLength !== undefined) parts.push(`${schema.minLength} to ${schema.maxLength} characters.`);
    else if (schema.maxLength !== undefined) parts.push(`At most ${schema.maxLength} characters.`);
    if (schema.minimum !== undefined && schema.maximum !== undefined) parts.push(`From ${schema.minimum} to ${schema.maximum}.`);
    else if (schema.maximum !== undefined) parts.push(`At most ${schema.maximum}.`);
    else if (schema.minimum !== undefined) parts.push(`At least ${schema.minimum}.`);
    if (schema.maxItems !== undefined) parts.push(`Up to ${schema.maxItems}.`);
    const values = schema.enum ?? schema.anyOf?.flatMap((s) => ((s as { const?: unknown }).const !== undefined ? [(s as { const?: unknown }).const] : []));
    if (values && values.length > 0) parts.push(`One of ${values.join(', ')}.`);
  }
  return parts.length > 0 ? parts.join(' ') : undefined;
}
