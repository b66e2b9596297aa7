import { isoSeconds } from '../lib/clock.ts';
import type { TemporaryCredentials } from '../domain/sts-credentials.ts';

/**
 * The body of meta-data/ram/security-credentials/<role>, in the cloud's layout: its documented
 * example lists AccessKeyId, AccessKeySecret, Expiration, SecurityToken, LastUpdated, Code, one per
 * line with " : " separators; times are UTC seconds (`2017-11-01T05:20:01Z`), which the Go and
 * Node credential providers parse with exactly that layout. LastUpdated is when the set was issued.
 */
export function renderRoleCredentials(c: TemporaryCredentials): string {
  const fields: [string, string][] = [
    ['AccessKeyId', c.accessKeyId],
    ['AccessKeySecret', c.accessKeySecret],
    ['Expiration', isoSeconds(c.expiration)],
    ['SecurityToken', c.securityToken],
    ['LastUpdated', isoSeconds(c.issuedAt)],
    ['Code', 'Success'],
  ];
  return `{\n${fields.map(([k, v]) => `  ${JSON.stringify(k)} : ${JSON.stringify(v)}`).join(',\n')}\n}`;
}
