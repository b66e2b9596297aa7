import type { ApiError } from '../errors/api-error.ts';

const URL_START = /^https?:\/\//i;

/** VPC-product names and descriptions: 1..max characters, never starting with http(s)://. */
export function checkVpcText(value: string | undefined, max: number, error: () => ApiError): void {
  if (value === undefined) return;
  if (value.length < 1 || value.length > max || URL_START.test(value)) throw error();
}

/**
 * ECS names (security groups, ENIs, instances): 2..128 characters, starting with a letter or a
 * Chinese character; letters, digits, `:`, `_`, `.`, `-`; never starting with http(s)://.
 */
export function checkEcsName(value: string | undefined, error: () => ApiError): void {
  if (value === undefined || value === '') return;
  if (value.length < 2 || value.length > 128 || URL_START.test(value)) throw error();
  if (!/^[\p{L}][\p{L}\p{N}:_.\- ]*$/u.test(value)) throw error();
}

/** ECS descriptions: 2..256 characters, never starting with http(s)://. */
export function checkEcsDescription(value: string | undefined, error: () => ApiError, max = 256): void {
  if (value === undefined || value === '') return;
  if (value.length < 2 || value.length > max || URL_START.test(value)) throw error();
}
