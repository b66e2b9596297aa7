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

/** Writes raw bytes on a new connection and reads until the server closes it or `waitMs` passes; the status of the first answer, if any. */
export function sendRaw(port: number, bytes: Buffer, waitMs = 3000): Promise<{ status: number | undefined; text: string }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let finished = false;
    const done = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ status: m ? Number(m[1]) : undefined, text });
    };
    const timer = setTimeout(done, waitMs);
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      // The first answer is complete once its head and Content-Length bytes are in (or it has none).
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
