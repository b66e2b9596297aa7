import { defineErrors } from './api-error.ts';

/**
 * Gateway-level errors every action can answer with (rpc-protocol.md §8). Messages follow the
 * POP gateway's wording where it is known.
 */
export const CommonErrors = defineErrors({
  missingParameter: {
    code: 'MissingParameter',
    status: 400,
    message: (name: string) => `The input parameter "${name}" that is mandatory for processing this request is not supplied.`,
    description: 'A required parameter is absent.',
  },
  invalidParameter: {
    code: 'InvalidParameter',
    status: 400,
    message: (name: string, why: string) => `The specified parameter "${name}" is not valid. ${why}`.trim(),
    description: 'A parameter has the wrong type, range or format.',
  },
  unsupportedParameter: {
    code: 'UnsupportedParameter',
    status: 400,
    message: (name: string, action: string) =>
      `The parameter "${name}" is not supported by eniplane for ${action}; see docs/coverage.md (start the server with --loose to ignore unsupported parameters).`,
    description: 'A parameter eniplane does not implement (strict mode); never silently ignored.',
  },
  invalidAction: {
    code: 'InvalidAction.NotFound',
    status: 404,
    message: 'Specified api is not found, please check your url and method.',
  },
  notImplemented: {
    code: 'NotImplemented',
    status: 501,
    message: (action: string) => `The action "${action}" is part of the cloud's API but is not implemented by eniplane; see docs/coverage.md.`,
    description: 'A real action of the cloud that eniplane does not implement yet.',
  },
  unsupportedHttpMethod: { code: 'UnsupportedHTTPMethod', status: 403, message: 'This HTTP method is not supported.' },
  // DIVERGENCE: the cloud publishes no limit or code for oversized or slow requests; these are
  // eniplane's own (docs/divergences.md, README "Operations").
  requestEntityTooLarge: {
    code: 'RequestEntityTooLarge',
    status: 413,
    message: (limit: number) => `The request body is larger than ${limit} bytes, the most eniplane accepts.`,
    description: "eniplane's own: a request body over the listener's limit (1 MiB).",
  },
  tooManyParameters: {
    code: 'TooManyParameters',
    status: 400,
    message: (count: number, limit: number) => `The request has ${count} parameters; eniplane accepts at most ${limit}.`,
    description: "eniplane's own: more query and form-body parameters than the limit (1,000).",
  },
  clientTimeout: {
    code: 'ClientTimeout',
    status: 408,
    message: (seconds: number) => `The request was not received in full within ${seconds} seconds of its first byte.`,
    description: "eniplane's own: a client too slow to send its request (serve --request-timeout); the connection is closed.",
  },
  malformedRequest: {
    code: 'MalformedRequest',
    status: 400,
    message: (why: string) => `The request is not valid HTTP: ${why}.`,
    description: "eniplane's own: a request the HTTP parser refuses (bad syntax, headers over 16 KiB); the connection is closed.",
  },
  incompleteSignature: {
    code: 'IncompleteSignature',
    status: 400,
    message: (detail: string) => `The request signature does not conform to Aliyun standards. ${detail}`.trim(),
  },
  signatureDoesNotMatch: {
    code: 'SignatureDoesNotMatch',
    status: 400,
    // The Go SDK looks for this exact prefix to print both strings side by side.
    message: (stringToSign: string) => `Specified signature is not matched with our calculation. server string to sign is:${stringToSign}`,
    description: "The signature does not match the one the server computes with the key's secret.",
  },
  accessKeyNotFound: { code: 'InvalidAccessKeyId.NotFound', status: 404, message: 'Specified access key is not found.' },
  invalidSignatureMethod: {
    code: 'InvalidParamater',
    status: 400,
    message: (name: string) => `The specified parameter "${name}" is not valid.`,
    description: 'SignatureMethod or SignatureVersion is not one the gateway accepts (the cloud spells the code this way).',
  },
  illegalTimestamp: {
    code: 'IllegalTimestamp',
    status: 400,
    message: 'The input parameter "Timestamp" that is mandatory for processing this request is not supplied or is malformed.',
  },
  timestampExpired: {
    code: 'InvalidTimeStamp.Expired',
    status: 400,
    message: (ts: string) => `Specified time stamp or date value is expired. Request time ${ts} differs from server time by more than 15 minutes.`,
  },
  // Temporary (STS) credentials: the POP gateway's codes and wording (error center "Public"
  // product; the same table in ECS-family pages lists them with HTTP 400).
  missingSecurityToken: {
    code: 'MissingSecurityToken',
    status: 400,
    message: 'The input parameter "SecurityToken" that is mandatory for processing this request is not supplied.',
    description: 'A temporary AccessKeyId (STS.…) without its SecurityToken (V1 parameter, V3 x-acs-security-token header).',
  },
  securityTokenMalformed: {
    code: 'InvalidSecurityToken.Malformed',
    status: 400,
    message: 'Specified SecurityToken is malformed.',
    description: 'The SecurityToken is not one this server issued, or was altered.',
  },
  securityTokenMismatch: {
    code: 'InvalidSecurityToken.MismatchWithAccessKey',
    status: 400,
    message: 'Specified SecurityToken mismatch with the AccessKey.',
    description: 'The SecurityToken was issued with another AccessKeyId, or came with a permanent AccessKey.',
  },
  securityTokenExpired: {
    code: 'InvalidSecurityToken.Expired',
    status: 400,
    message: 'Specified SecurityToken is expired.',
    description: 'The temporary credentials are past their Expiration, or their RAM role is no longer attached to the instance.',
  },
  nonceUsed: { code: 'SignatureNonceUsed', status: 400, message: 'Specified signature nonce was used already.' },
  // No InvalidVersion: a request is never refused for its Version string (design.md, fidelity rules).
  invalidRegionId: {
    code: 'InvalidRegionId.NotFound',
    status: 404,
    message: (region: string) => `The specified RegionId "${region}" does not exist.`,
  },
  idempotentMismatch: {
    code: 'IdempotentParameterMismatch',
    status: 400,
    message: 'The request uses the same client token as a previous, but non-identical request.',
  },
  invalidClientToken: {
    code: 'InvalidClientToken.ValueNotSupported',
    status: 400,
    message: 'The ClientToken provided is invalid: it must be ASCII and at most 64 characters.',
  },
  dryRun: { code: 'DryRunOperation', status: 400, message: 'Request validation has been passed with DryRun flag set.' },
  // The two products name a conflicting concurrent request differently. VPC (and EIP) actions
  // answer OperationConflict 409 (rpc-protocol.md §8; VPC API references, e.g. AllocateEipAddress);
  // ECS actions answer Operation.Conflict 403, "another task is running on the resource, retry"
  // (ecs-eni-api.md §2.0, AssignPrivateIpAddresses / UnassignPrivateIpAddresses), which is the
  // code Terway retries. invoke answers the one of the action's product (conflictOf).
  operationConflict: {
    code: 'OperationConflict',
    status: 409,
    message: 'Request was denied due to conflict with a previous request, please try again later.',
    description: "VPC actions: a concurrent request still conflicted after the server's own retries; retry later.",
  },
  ecsOperationConflict: {
    code: 'Operation.Conflict',
    status: 403,
    message: 'ecs task is conflicted.',
    description: "ECS actions: a concurrent request still conflicted after the server's own retries; retry later.",
  },
  // Flow control per account, region and API (domain/throttle.ts): the code and wording the POP
  // gateway answers with (seen in Terraform provider and Steampipe reports); HTTP 400 as every
  // Throttling* code (rpc-protocol.md §8). The SDKs raise any code containing "Throttling" as a
  // ThrottlingError whose retryAfter is the x-acs-retry-after header (services/throttle.ts).
  throttlingUser: {
    code: 'Throttling.User',
    status: 400,
    message: 'Request was denied due to user flow control.',
    description: 'The account called this API more often than `serve --throttle` allows in the current window; retry after x-acs-retry-after milliseconds.',
  },
  internalError: {
    code: 'InternalError',
    status: 500,
    message: 'The request processing has failed due to some unknown error, exception or failure.',
  },
  // The gateway's answer to a temporary failure (rpc-protocol.md §8); eniplane answers it only as an injected fault (eniplane faults add).
  serviceUnavailable: {
    code: 'ServiceUnavailable',
    status: 503,
    message: 'The request has failed due to a temporary failure of the server.',
    description: 'Only as an injected fault (eniplane faults add, AddFault): a temporary failure; retry later.',
  },
});

type ProductName = 'Ecs' | 'Vpc' | 'ResourceManager' | 'Eniplane';

/** The conflict code of a product (see operationConflict above), as a catalog entry: ECS has its own; the others answer the gateway's. */
export function conflictSpecOf(product: ProductName) {
  return product === 'Ecs' ? CommonErrors.ecsOperationConflict : CommonErrors.operationConflict;
}

/** The conflict answer of a product (conflictSpecOf). */
export function conflictOf(product: ProductName) {
  return conflictSpecOf(product)();
}

/** Whether an error is a conflict answer, of either product. */
export function isConflictAnswer(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === CommonErrors.operationConflict.code || code === CommonErrors.ecsOperationConflict.code;
}
