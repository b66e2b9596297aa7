/**
 * The browser's only way to the server: the console API under /console/api (src/console). Every
 * action goes through `POST /console/api/call` into the same invoker as the RPC endpoint, so the
 * rules, limits and error codes are the server's; this file only carries them.
 */

export type Product = 'Ecs' | 'Vpc';

/** An answer in the cloud's terms: its HTTP status, Code, Message and RequestId. */
export class ConsoleApiError extends Error {
  readonly code: string;
  readonly requestId: string;
  readonly httpStatus: number;
  constructor(body: { Code: string; Message: string; RequestId: string; HttpStatus: number }) {
    super(body.Message);
    this.code = body.Code;
    this.requestId = body.RequestId;
    this.httpStatus = body.HttpStatus;
  }
}

export interface SessionInfo {
  AccountId: string;
  AccessKeyId: string;
  CsrfToken: string;
  ExpiresAt: number;
  DefaultRegion: string;
}

let csrfToken = '';
let onSignedOut: (reason: ConsoleApiError) => void = () => {};

/** The session layer learns here when the server says the session is gone (expired, signed out elsewhere). */
export function setSignedOutHandler(handler: (reason: ConsoleApiError) => void): void {
  onSignedOut = handler;
}

export function rememberCsrf(token: string): void {
  csrfToken = token;
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(`/console/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  } catch {
    throw new ConsoleApiError({ Code: 'Console.Unreachable', Message: 'The eniplane server does not answer.', RequestId: '', HttpStatus: 0 });
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new ConsoleApiError({
      Code: 'Console.BadAnswer',
      Message: `The server answered ${response.status} without JSON.`,
      RequestId: '',
      HttpStatus: response.status,
    });
  }
  if (!response.ok) {
    const error = new ConsoleApiError(json as ConstructorParameters<typeof ConsoleApiError>[0]);
    if (response.status === 401 && path !== '/session') onSignedOut(error);
    throw error;
  }
  return json as T;
}

export const consoleApi = {
  session: () => request<SessionInfo>('GET', '/session'),
  signIn: (accessKeyId: string, accessKeySecret: string) =>
    request<SessionInfo>('POST', '/session', { AccessKeyId: accessKeyId, AccessKeySecret: accessKeySecret }),
  signOut: () => request<{ SignedOut: boolean }>('DELETE', '/session'),
  /** Runs one action; `params` take the declaration's shape (numbers as numbers, lists as arrays). */
  call: <T = Record<string, unknown>>(product: Product, action: string, params: Record<string, unknown>, regionId: string) =>
    request<T & { RequestId: string }>('POST', '/call', { Product: product, Action: action, Params: dropEmpty(params), RegionId: regionId }),
  actions: (names: readonly string[]) => request<{ Actions: ActionDeclaration[] }>('GET', `/actions?names=${encodeURIComponent(names.join(','))}`),
  /** A console view (src/console/views): read-only answers built from the server's own rules. */
  view: <T>(name: string, params: Record<string, unknown>) => request<T>('POST', `/views/${name}`, params),
};

/** Form fields left blank are not sent: the action then applies its own default, as the cloud does. */
function dropEmpty(params: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0)));
}

/** JSON Schema of an action's parameters, as declared on the server (src/api). */
export interface ParamSchema {
  type?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  maxItems?: number;
  minItems?: number;
  pattern?: string;
  enum?: unknown[];
  anyOf?: ParamSchema[];
  items?: ParamSchema;
  properties?: Record<string, ParamSchema>;
  required?: string[];
  description?: string;
}

export interface ActionDeclaration {
  Product: Product;
  Name: string;
  Summary: string;
  Params: ParamSchema;
  Idempotent: boolean;
}
