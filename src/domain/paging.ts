import { CommonErrors } from '../errors/common.ts';

/**
 * The largest PageNumber: the APIs document it as an Integer (32-bit). Past it the offset could
 * leave the database's 64-bit range (SQLite then fails the query: a 500, found by test/fuzz).
 */
export const MAX_PAGE_NUMBER = 2_147_483_647;

/** PageNumber/PageSize as the VPC API (and ECS's deprecated paging) documents them. */
export function pageWindow(
  pageNumber: number | undefined,
  pageSize: number | undefined,
  max: number,
  def = 10,
): { offset: number; limit: number; pageNumber: number; pageSize: number } {
  const number = pageNumber ?? 1;
  const size = pageSize ?? def;
  if (number < 1) throw CommonErrors.invalidParameter('PageNumber', 'It must be at least 1.');
  if (number > MAX_PAGE_NUMBER) throw CommonErrors.invalidParameter('PageNumber', `It must be at most ${MAX_PAGE_NUMBER}.`);
  if (size < 1 || size > max) throw CommonErrors.invalidParameter('PageSize', `It must be between 1 and ${max}.`);
  return { offset: (number - 1) * size, limit: size, pageNumber: number, pageSize: size };
}

/**
 * NextToken/MaxResults paging: the token is opaque to clients; here it is the offset of the next
 * page, encoded, so pages stay stable under the action's fixed (creation time, id) order.
 */
export function tokenWindow(
  nextToken: string | undefined,
  maxResults: number | undefined,
  range: { min: number; max: number; def: number },
): { offset: number; limit: number } {
  const limit = Math.min(range.max, Math.max(range.min, maxResults ?? range.def));
  if (!nextToken) return { offset: 0, limit };
  // At most 15 digits: an offset any token of ours can hold, and a safe integer (a longer one
  // could leave the database's 64-bit range and fail the query).
  const decoded = /^AAAA(\d{1,15})$/.exec(Buffer.from(nextToken, 'base64url').toString('utf8'));
  if (!decoded) throw CommonErrors.invalidParameter('NextToken', 'The token is not one this server issued.');
  return { offset: Number(decoded[1]), limit };
}

export function nextTokenFor(offset: number, limit: number, returned: number, total: number): string {
  return offset + returned < total && returned === limit ? Buffer.from(`AAAA${offset + returned}`).toString('base64url') : '';
}
