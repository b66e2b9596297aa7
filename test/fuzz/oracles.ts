import { AssertionError } from 'node:assert';

/**
 * What every answer of the API listener must be, whatever was sent: a success (200, a RequestId, no
 * Code) or the cloud's error envelope (RequestId, HostId, Code, Message, Recommend) with a 4xx
 * status; in JSON or, when asked for, XML. Never a 5xx for a client's mistake; the one 5xx allowed
 * is 501 NotImplemented, eniplane's answer for a real cloud action it does not implement.
 */

export interface Answer {
  status: number;
  contentType: string;
  body: string;
}

export type Verdict = { kind: 'success' } | { kind: 'refused'; status: number; code: string };

const REQUEST_ID = /^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/;
const ENVELOPE_KEYS = ['Code', 'HostId', 'Message', 'Recommend', 'RequestId'];

/**
 * Codes the gateway answers before a request's signature is proven (authenticate.ts): such a
 * request spends no nonce (nor prunes old ones, which only a proven request does). (A request with a valid signature spends its nonce whatever the action
 * then answers, as the cloud's gateway does: SignatureNonceUsed is a gateway-level check.)
 */
export const BEFORE_SIGNATURE_CODES = new Set([
  'IncompleteSignature',
  'SignatureDoesNotMatch',
  'InvalidAccessKeyId.NotFound',
  'InvalidParamater',
  'IllegalTimestamp',
  'InvalidTimeStamp.Expired',
  'MissingSecurityToken',
  'InvalidSecurityToken.Malformed',
  'InvalidSecurityToken.MismatchWithAccessKey',
  'InvalidSecurityToken.Expired',
  'UnsupportedHTTPMethod',
]);

function fail(message: string, answer: Answer, context: string): never {
  const body = answer.body.length > 2000 ? `${answer.body.slice(0, 2000)}… (${answer.body.length} bytes)` : answer.body;
  throw new AssertionError({ message: `${message}\n  answer: ${answer.status} ${answer.contentType}\n  ${body}\n  request: ${context}` });
}

function xmlField(body: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(body)?.[1];
}

/** Judges one answer of the RPC endpoint; throws an AssertionError naming the request (`context`) when it is not one the cloud could give. */
export function judgeRpcAnswer(answer: Answer, context: string): Verdict {
  const { status } = answer;
  const xml = answer.contentType.startsWith('text/xml;charset=utf-8');
  if (!xml && !answer.contentType.startsWith('application/json;charset=utf-8')) fail('not JSON or XML', answer, context);
  if (xml) {
    if (!answer.body.startsWith('<?xml version="1.0" encoding="UTF-8"?>')) fail('XML without its declaration', answer, context);
    const requestId = xmlField(answer.body, 'RequestId');
    if (!requestId || !REQUEST_ID.test(requestId)) fail('no RequestId', answer, context);
    if (status === 200) {
      if (/<Error>/.test(answer.body.slice(0, 60))) fail('a 200 with an Error document', answer, context);
      return { kind: 'success' };
    }
    const shape =
      /^<\?xml version="1\.0" encoding="UTF-8"\?><Error><RequestId>[^<]+<\/RequestId><HostId>[^<]*<\/HostId><Code>[^<]+<\/Code><Message>[^<]*<\/Message><Recommend>[^<]+<\/Recommend><\/Error>$/;
    if (!shape.test(answer.body)) fail('not the error envelope', answer, context);
    return refused(status, xmlField(answer.body, 'Code')!, answer, context);
  }
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(answer.body) as Record<string, unknown>;
  } catch {
    fail('the body is not JSON', answer, context);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) fail('the body is not a JSON object', answer, context);
  if (typeof body.RequestId !== 'string' || !REQUEST_ID.test(body.RequestId)) fail('no RequestId', answer, context);
  if (status === 200) {
    if ('Code' in body) fail('a success carrying Code (SDKs read it as an error)', answer, context);
    return { kind: 'success' };
  }
  const keys = Object.keys(body).sort();
  if (keys.join() !== ENVELOPE_KEYS.join()) fail(`envelope keys ${keys.join(',')}`, answer, context);
  if (typeof body.Code !== 'string' || body.Code === '') fail('an empty Code', answer, context);
  if (typeof body.Message !== 'string' || typeof body.HostId !== 'string') fail('Message or HostId not text', answer, context);
  if (typeof body.Recommend !== 'string' || !body.Recommend.includes(`requestId=${body.RequestId}`))
    fail('Recommend does not name the request', answer, context);
  return refused(status, body.Code, answer, context);
}

function refused(status: number, code: string, answer: Answer, context: string): Verdict {
  if (status === 501 && code === 'NotImplemented') return { kind: 'refused', status, code };
  if (status < 400 || status > 499) fail(`status ${status} for ${code}: a client's mistake is a 4xx`, answer, context);
  return { kind: 'refused', status, code };
}

/** Tallies of what a run answered, for its diagnostics and its coverage checks. */
export class Tally {
  readonly byCode = new Map<string, number>();
  readonly successByAction = new Map<string, number>();
  readonly reachedByAction = new Set<string>();
  total = 0;
  successes = 0;

  record(action: string, verdict: Verdict): void {
    this.total++;
    if (verdict.kind === 'success') {
      this.successes++;
      this.successByAction.set(action, (this.successByAction.get(action) ?? 0) + 1);
      this.reachedByAction.add(action);
      return;
    }
    this.byCode.set(verdict.code, (this.byCode.get(verdict.code) ?? 0) + 1);
    if (!BEFORE_SIGNATURE_CODES.has(verdict.code)) this.reachedByAction.add(action);
  }

  /** Requests that got past the gateway's signature checks. */
  get pastGateway(): number {
    let refusedAtGateway = 0;
    for (const [code, n] of this.byCode) if (BEFORE_SIGNATURE_CODES.has(code)) refusedAtGateway += n;
    return this.total - refusedAtGateway;
  }

  summary(): string {
    const codes = [...this.byCode].sort((a, b) => b[1] - a[1]);
    return `${this.total} requests: ${this.successes} successes, ${this.total - this.successes} refusals; top codes: ${codes
      .slice(0, 12)
      .map(([c, n]) => `${c} ${n}`)
      .join(', ')}`;
  }
}
