import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import type { Answer } from './oracles.ts';

/**
 * Sending the fuzzers' requests to a real server: over node:http with kept-alive connections
 * (repeated headers as repeated lines, Host as given), and as raw bytes over a socket for what no
 * HTTP client would send.
 */

const agent = new Agent({ keepAlive: true, maxSockets: 4 });

export interface HttpAnswer extends Answer {
  headers: Record<string, string | string[] | undefined>;
}

export function send(
  port: number,
  req: { method: string; url: string; headers: Record<string, string | string[]>; payload?: string },
  timeoutMs = 30_000,
): Promise<HttpAnswer> {
  // node:http sends one Host line only: a repeated Host goes as raw bytes.
  if (Array.isArray(req.headers.host)) return sendAsBytes(port, req);
  return sendOnce(port, req, timeoutMs, agent).catch((err: Error & { reusedSocket?: boolean }) => {
    // A kept-alive connection the server closed as this request went out (node's documented race
    // for reused sockets): the request never reached it; send it again on a new connection.
    if (err.reusedSocket) return sendOnce(port, req, timeoutMs, false);
    throw err;
  });
}

function sendOnce(
  port: number,
  req: { method: string; url: string; headers: Record<string, string | string[]>; payload?: string },
  timeoutMs: number,
  via: Agent | false,
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const body = req.payload === undefined ? undefined : Buffer.from(req.payload);
    const headers = { ...req.headers, ...(body ? { 'content-length': String(body.length) } : {}) };
    const r = request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers, agent: via, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          contentType: String(res.headers['content-type'] ?? ''),
          body: Buffer.concat(chunks).toString('utf8'),
          headers: res.headers,
        }),
      );
      res.on('error', reject);
    });
    r.on('timeout', () => r.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    r.on('error', (err: Error & { reusedSocket?: boolean }) => {
      const code = (err as { code?: string }).code;
      err.reusedSocket = r.reusedSocket && (code === 'ECONNRESET' || code === 'EPIPE');
      reject(err);
    });
    r.end(body);
  });
}

/** The request written by hand on a connection of its own (closed after the answer), for what node:http will not send. */
async function sendAsBytes(
  port: number,
  req: { method: string; url: string; headers: Record<string, string | string[]>; payload?: string },
): Promise<HttpAnswer> {
  const body = Buffer.from(req.payload ?? '');
  const lines = [`${req.method} ${req.url} HTTP/1.1`];
  for (const [name, value] of Object.entries(req.headers)) for (const v of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${v}`);
  lines.push(`content-length: ${body.length}`, 'connection: close', '', '');
  const { raw } = await exchange(port, Buffer.concat([Buffer.from(lines.join('\r\n'), 'latin1'), body]), 30_000, true);
  const end = raw.indexOf('\r\n\r\n');
  const head = raw.subarray(0, end < 0 ? raw.length : end).toString('latin1');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
  const contentType = /\r\ncontent-type: *([^\r]*)/i.exec(head)?.[1] ?? '';
  return { status, contentType, body: end < 0 ? '' : raw.subarray(end + 4).toString('utf8'), headers: { 'content-type': contentType } };
}

/** Writes raw bytes on a new connection and reads until the server closes it or `waitMs` passes; the status of the first answer, if any. */
export async function sendRaw(port: number, bytes: Buffer, waitMs = 3000): Promise<{ status: number | undefined; text: string }> {
  const { raw } = await exchange(port, bytes, waitMs, false);
  const text = raw.toString('latin1');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
  return { status: m ? Number(m[1]) : undefined, text };
}

/**
 * Writes bytes on a new connection and collects what comes back: until the server closes it
 * (`untilClose`), or until the first answer is complete (its head and Content-Length bytes), or
 * `waitMs` passes.
 */
function exchange(port: number, bytes: Buffer, waitMs: number, untilClose: boolean): Promise<{ raw: Buffer }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let finished = false;
    const done = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ raw: Buffer.concat(chunks) });
    };
    const timer = setTimeout(done, waitMs);
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      if (untilClose) return;
      const text = Buffer.concat(chunks).toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = /\r\ncontent-length: *(\d+)/i.exec(text.slice(0, end))?.[1];
      if (length === undefined || text.length - end - 4 >= Number(length)) done();
    });
    socket.on('close', done);
    socket.on('error', () => {});
    socket.write(bytes);
  });
}

export function closeConnections(): void {
  agent.destroy();
}
