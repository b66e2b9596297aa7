import { connect, type Socket } from 'node:net';
import { signedV3Request, type BenchKey } from './sign.ts';

/**
 * A minimal HTTP/1.1 keep-alive client over one TCP connection: one request in flight, responses
 * framed by Content-Length (Fastify always sends it for these routes; anything else is an error).
 * Far cheaper per request than node:http or fetch, so the load generator stays out of the way.
 */

/** Generous: a request slower than this under a benchmark's load is a failure, not a measurement. */
export const REQUEST_TIMEOUT_MS = 15_000;

export interface HttpResponse {
  status: number;
  body: Buffer;
}

const HEADER_END = Buffer.from('\r\n\r\n');

export class KeepAliveConnection {
  private socket: Socket | undefined;
  private buffered: Buffer = Buffer.alloc(0);
  private pending: { resolve: (r: HttpResponse) => void; reject: (e: Error) => void } | undefined;
  private expected: { status: number; headerBytes: number; bodyBytes: number } | undefined;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly timeoutMs: number,
  ) {}

  private open(): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: this.host, port: this.port, noDelay: true });
      this.socket = socket;
      socket.setTimeout(this.timeoutMs);
      socket.once('connect', () => {
        socket.removeListener('error', reject);
        resolve(socket);
      });
      socket.once('error', reject);
      const mine = () => this.socket === socket;
      socket.on('data', (chunk: Buffer) => mine() && this.onData(chunk));
      socket.on('timeout', () => (mine() ? this.fail(new Error(`no response within ${this.timeoutMs} ms`)) : socket.destroy()));
      socket.on('error', (err) => mine() && this.fail(err));
      socket.on('close', () => mine() && this.fail(new Error('connection closed')));
    });
  }

  private fail(err: Error): void {
    const p = this.pending;
    this.pending = undefined;
    this.expected = undefined;
    this.buffered = Buffer.alloc(0);
    this.socket?.destroy();
    this.socket = undefined;
    p?.reject(err);
  }

  private onData(chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    if (!this.expected) {
      const end = this.buffered.indexOf(HEADER_END);
      if (end < 0) return;
      const head = this.buffered.toString('latin1', 0, end);
      const status = Number(head.slice(9, 12));
      const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
      if (!m) return this.fail(new Error(`response without Content-Length: ${head.split('\r\n')[0]}`));
      this.expected = { status, headerBytes: end + 4, bodyBytes: Number(m[1]) };
    }
    const { status, headerBytes, bodyBytes } = this.expected;
    if (this.buffered.length < headerBytes + bodyBytes) return;
    if (this.buffered.length > headerBytes + bodyBytes) return this.fail(new Error('unexpected bytes after the response'));
    const body = this.buffered.subarray(headerBytes);
    this.buffered = Buffer.alloc(0);
    this.expected = undefined;
    const p = this.pending;
    this.pending = undefined;
    p?.resolve({ status, body });
  }

  async request(bytes: Buffer): Promise<HttpResponse> {
    if (this.pending) throw new Error('one request at a time per connection');
    const socket = this.socket ?? (await this.open());
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      socket.write(bytes);
    });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }
}

/**
 * Signed calls a benchmark makes itself, outside any measuring window: setup (creating what a
 * scenario needs) and checks (that the store holds what the scenario expects).
 */
export class ApiClient {
  private readonly conn: KeepAliveConnection;

  constructor(private readonly port: number) {
    this.conn = new KeepAliveConnection('127.0.0.1', port, REQUEST_TIMEOUT_MS);
  }

  /** The call's answer; any status but 200 fails the run, naming the action and the answer. */
  async call(key: BenchKey, action: string, version: string, params: Record<string, string>): Promise<Record<string, unknown>> {
    const res = await this.conn.request(signedV3Request(`127.0.0.1:${this.port}`, key, action, version, params));
    const text = res.body.toString('utf8');
    if (res.status !== 200) throw new Error(`${action} failed during setup: HTTP ${res.status} ${text}`);
    return JSON.parse(text) as Record<string, unknown>;
  }

  close(): void {
    this.conn.close();
  }
}
