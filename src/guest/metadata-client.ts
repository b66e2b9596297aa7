import type { NicIndexes } from './index-state.ts';
import {
  buildGuestModel,
  firstLine,
  LIST_ITEMS,
  MAC_ITEMS,
  normalizeMac,
  OPTIONAL_MAC_ITEMS,
  parseListing,
  type RawInstanceMetadata,
  type RawMacItems,
} from './metadata-parse.ts';
import type { GuestModel } from './model.ts';

/**
 * Reads one instance's network from the metadata service (metadata-service.md), the only thing a
 * guest may know (it has no API keys).
 *
 * DIVERGENCE: the instance is named by the `X-Eniplane-Instance-Id` header, which the loopback
 * listener needs; at 100.100.100.200 on the data plane the caller's address decides, and the
 * header is accepted when it names that same instance.
 */

/**
 * `auto` (default): ask for a token as cloud-init and Terway do, and fall back to token-less
 * ("normal mode") reads when the service refuses to issue one; `required`: a refused token is an
 * error; `off`: never ask.
 */
export type TokenMode = 'auto' | 'required' | 'off';

export interface MetadataReadOptions {
  token?: TokenMode;
  /** How long a listed MAC may lack its items (hot-plug: the NIC appears before metadata knows it). */
  hotplugDeadlineMs?: number;
  retryIntervalMs?: number;
  requestTimeoutMs?: number;
  /** Indexes remembered from earlier runs (index-state.ts). */
  previousIndexes?: NicIndexes;
  /** Told why a crawl is retried (hot-plug race, throttling). */
  onRetry?: (reason: string) => void;
}

export const INSTANCE_HEADER = 'X-Eniplane-Instance-Id';
export const TOKEN_HEADER = 'X-aliyun-ecs-metadata-token';
export const TOKEN_TTL_HEADER = 'X-aliyun-ecs-metadata-token-ttl-seconds';
/** What cloud-init, Terway and @alicloud/credentials all ask for. */
const TOKEN_TTL_SECONDS = '21600';

export interface Answer {
  status: number;
  text: string;
}

/** `http://host[:port]`, with or without a trailing `/latest`, -> the base for `/latest/...`. */
export function metadataBase(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`--metadata "${url}" is not a URL (e.g. http://100.100.100.200)`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`--metadata "${url}" must be an http:// URL`);
  return parsed.href.replace(/\/+$/, '').replace(/\/latest$/, '');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One session against the service: the instance header, the token and its one refresh on 401. */
function session(base: string, instanceId: string, opts: Required<Pick<MetadataReadOptions, 'token' | 'requestTimeoutMs'>>) {
  let token: string | undefined;
  let tokenRefusal: string | undefined;

  async function send(method: 'GET' | 'PUT', path: string, headers: Record<string, string>): Promise<Answer> {
    const url = `${base}/latest/${path}`;
    let res: Response;
    try {
      res = await fetch(url, { method, headers: { [INSTANCE_HEADER]: instanceId, ...headers }, signal: AbortSignal.timeout(opts.requestTimeoutMs) });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new Error(`metadata service unreachable at ${base}: ${cause?.code ?? cause?.message ?? (err as Error).message}`, { cause: err });
    }
    return { status: res.status, text: await res.text() };
  }

  async function fetchToken(): Promise<void> {
    const a = await send('PUT', 'api/token', { [TOKEN_TTL_HEADER]: TOKEN_TTL_SECONDS });
    if (a.status === 200 && a.text.trim() !== '') {
      token = a.text.trim();
      return;
    }
    token = undefined;
    tokenRefusal = `PUT /latest/api/token answered HTTP ${a.status}${a.text.trim() ? `: ${firstLine(a.text)}` : ''}`;
    if (opts.token === 'required') throw new Error(`the metadata service refused a token (${tokenRefusal})`);
  }

  return {
    async start(): Promise<void> {
      if (opts.token !== 'off') await fetchToken();
    },
    async get(path: string): Promise<Answer> {
      const withToken = () => send('GET', path, token ? { [TOKEN_HEADER]: token } : {});
      let a = await withToken();
      if (a.status === 401 && token) {
        // Expired or revoked: drop it and ask once more, as cloud-init and Terway do.
        await fetchToken();
        a = await withToken();
      }
      if (a.status === 401) throw new Error(`the metadata service rejected the token for ${path} (HTTP 401) even after a fresh one`);
      if (a.status === 403) {
        const why = token
          ? 'HTTP 403'
          : tokenRefusal
            ? `HTTP 403 without a token; ${tokenRefusal}`
            : 'HTTP 403 without a token (is --metadata-token off while the instance requires tokens?)';
        throw new Error(`the metadata service refused ${path} for instance ${instanceId} (${why})`);
      }
      return a;
    },
  };
}

type Session = Pick<MetadataSource, 'get'>;

/** A GET that retries throttling and server errors until the deadline; 200 and 404 are answers. */
async function getItem(s: Session, path: string, deadline: number, opts: MetadataReadOptions): Promise<string | undefined> {
  for (;;) {
    const a = await s.get(path);
    if (a.status === 200) return a.text;
    if (a.status === 404) return undefined;
    const transient = a.status === 429 || a.status >= 500;
    if (!transient || Date.now() >= deadline) throw new Error(`metadata ${path} answered HTTP ${a.status}${a.text.trim() ? `: ${firstLine(a.text)}` : ''}`);
    opts.onRetry?.(`${path}: HTTP ${a.status}`);
    await sleep(opts.retryIntervalMs ?? 500);
  }
}

async function required(s: Session, path: string, deadline: number, opts: MetadataReadOptions): Promise<string> {
  const text = await getItem(s, path, deadline, opts);
  if (text === undefined) throw new Error(`metadata item ${path} is missing (HTTP 404)`);
  return text;
}

/**
 * Where the metadata items come from: `get` answers one path under /latest/ with its HTTP status
 * and body; `where` names the source in messages. Over HTTP it is a session against the service;
 * the console's OS configuration tab answers from the in-process tree the service would serve.
 */
export interface MetadataSource {
  where: string;
  get(path: string): Promise<Answer>;
}

/** Crawls the tree; retries while a listed MAC's items are missing, up to the hot-plug deadline. */
export async function readRawMetadata(metadataUrl: string, instanceId: string, options: MetadataReadOptions = {}): Promise<RawInstanceMetadata> {
  const base = metadataBase(metadataUrl);
  const startedAt = Date.now();
  const s = session(base, instanceId, { token: options.token ?? 'auto', requestTimeoutMs: options.requestTimeoutMs ?? 5000 });
  await s.start();
  return crawlRawMetadata({ where: base, get: (path) => s.get(path) }, instanceId, options, startedAt);
}

/** The crawl itself, from any source of metadata answers (readRawMetadata's, or an in-process tree). */
export async function crawlRawMetadata(
  s: MetadataSource,
  instanceId: string,
  options: MetadataReadOptions = {},
  startedAt = Date.now(),
): Promise<RawInstanceMetadata> {
  const base = s.where;
  const deadlineMs = options.hotplugDeadlineMs ?? 30_000;
  const deadline = startedAt + deadlineMs;

  const idAnswer = await s.get('meta-data/instance-id');
  if (idAnswer.status === 404) {
    const said = firstLine(idAnswer.text);
    throw new Error(`the metadata service at ${base} knows no instance ${instanceId} (meta-data/instance-id: HTTP 404${said ? `: ${said}` : ''})`);
  }
  const id = await required(s, 'meta-data/instance-id', deadline, options);
  if (firstLine(id) !== instanceId) throw new Error(`the metadata service at ${base} answered for instance ${firstLine(id)}, not ${instanceId}`);
  const regionId = firstLine(await required(s, 'meta-data/region-id', deadline, options));
  const zoneId = firstLine(await required(s, 'meta-data/zone-id', deadline, options));
  const imageText = await getItem(s, 'meta-data/image-id', deadline, options);
  const nameservers = await getItem(s, 'meta-data/dns-conf/nameservers', deadline, options);

  for (;;) {
    const primaryText = await getItem(s, 'meta-data/mac', deadline, options);
    const listing = await getItem(s, 'meta-data/network/interfaces/macs/', deadline, options);
    const missing: string[] = [];
    const macs: Record<string, RawMacItems> = {};
    const primaryMac = primaryText === undefined ? undefined : normalizeMac(firstLine(primaryText), 'mac');
    if (primaryMac === undefined) missing.push('meta-data/mac');
    const listed = listing === undefined ? [] : parseListing(listing).map((m) => normalizeMac(m, 'network/interfaces/macs/ entry'));
    if (primaryMac && !listed.includes(primaryMac)) missing.push(`the primary MAC ${primaryMac} in network/interfaces/macs/`);
    await Promise.all(
      listed.map(async (mac) => {
        const dir = `meta-data/network/interfaces/macs/${mac}`;
        const items = [...MAC_ITEMS, ...OPTIONAL_MAC_ITEMS];
        const values = await Promise.all(items.map((item) => getItem(s, `${dir}/${item}`, deadline, options)));
        const absent = MAC_ITEMS.filter((_, i) => values[i] === undefined);
        if (absent.length) {
          missing.push(`${mac}: ${absent.join(', ')}`);
          return;
        }
        // An optional item answering 404 is "none" (no IPv6, no prefix), not a hot-plug race.
        macs[mac] = Object.fromEntries(
          items.flatMap((item, i) => (values[i] === undefined ? [] : [[item, LIST_ITEMS.has(item) ? values[i].trim() : firstLine(values[i])]])),
        ) as unknown as RawMacItems;
      }),
    );
    if (missing.length === 0 && primaryMac) {
      const raw: RawInstanceMetadata = { instanceId, regionId, zoneId, primaryMac, macs };
      if (imageText !== undefined && firstLine(imageText)) raw.imageId = firstLine(imageText);
      if (nameservers !== undefined) raw.nameservers = nameservers;
      return raw;
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `metadata for instance ${instanceId} still incomplete after ${deadlineMs / 1000} s (a NIC hot-plugged before the metadata knew it?): missing ${missing.join('; ')}`,
      );
    }
    options.onRetry?.(`incomplete metadata: ${missing.join('; ')}`);
    await sleep(options.retryIntervalMs ?? 500);
  }
}

/** Reads the metadata and numbers the ENIs: the model plus the indexes to remember. */
export async function readGuestModel(
  metadataUrl: string,
  instanceId: string,
  options: MetadataReadOptions = {},
): Promise<{ model: GuestModel; indexes: NicIndexes }> {
  const raw = await readRawMetadata(metadataUrl, instanceId, options);
  return buildGuestModel(raw, options.previousIndexes ?? {});
}

/** The same model from any source of metadata answers (the console reads the in-process tree). */
export async function readGuestModelFrom(
  source: MetadataSource,
  instanceId: string,
  options: MetadataReadOptions = {},
): Promise<{ model: GuestModel; indexes: NicIndexes }> {
  const raw = await crawlRawMetadata(source, instanceId, options);
  return buildGuestModel(raw, options.previousIndexes ?? {});
}
