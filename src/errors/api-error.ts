/**
 * An error the API answers with: the cloud's HTTP status, Code and Message. Anything else that
 * escapes a handler is a bug and is answered as InternalError (500) and logged.
 */
export class ApiError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Response headers that go with this answer (a throttled call's x-acs-retry-after); the wire sends them. */
  headers?: Readonly<Record<string, string>>;
}

/** One entry of an error catalog: a code, its status, and how its message is built. */
export interface ErrorSpec<A extends unknown[] = never[]> {
  readonly code: string;
  readonly httpStatus: number;
  readonly description: string;
  (...args: A): ApiError;
}

type SpecInput = { status: number; message: string | ((...args: never[]) => string); description?: string };

type Catalog<T extends Record<string, SpecInput>> = {
  [K in keyof T]: T[K]['message'] extends (...args: infer A) => string ? ErrorSpec<A> : ErrorSpec<[]>;
} & { readonly all: ErrorSpec<unknown[]>[] };

/**
 * Declares a product's error codes once: each entry becomes a factory (`E.vpcNotFound(id)`)
 * that also carries its code and status, so docs/errors.md is generated from the same table.
 */
export function defineErrors<T extends Record<string, SpecInput & { code: string }>>(specs: T): Catalog<T> {
  const out: Record<string, unknown> = {};
  const all: ErrorSpec<unknown[]>[] = [];
  for (const [key, spec] of Object.entries(specs)) {
    const build = (...args: unknown[]): ApiError => {
      const message = typeof spec.message === 'function' ? (spec.message as (...a: unknown[]) => string)(...args) : spec.message;
      return new ApiError(spec.status, spec.code, message);
    };
    const entry = Object.assign(build, {
      code: spec.code,
      httpStatus: spec.status,
      description: spec.description ?? (typeof spec.message === 'string' ? spec.message : ''),
    });
    out[key] = entry;
    all.push(entry as ErrorSpec<unknown[]>);
  }
  Object.defineProperty(out, 'all', { value: all, enumerable: false });
  return out as Catalog<T>;
}
