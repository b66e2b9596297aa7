import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import type { Server, Socket } from 'node:net';
import type { Logger } from '../lib/logger.ts';
import { METADATA_IP, METADATA_PORT, type DesiredVpc } from './desired.ts';
import type { RouterHook } from './reconciler.ts';

/**
 * The metadata service at 100.100.100.200:80 inside every VPC router namespace (issue 15). The
 * server process cannot bind in another namespace, but a listening socket keeps the namespace it
 * was made in: a short-lived child, started with `ip netns exec <router> node`, listens there and
 * passes the listening handle back over Node's IPC channel, then exits. Each accepted connection
 * goes to `onConnection` with the VPC it came from, so the metadata service knows the caller by
 * its source address within that VPC (metadata/dataplane-connections.ts).
 *
 * An open socket keeps its namespace alive after `ip netns del` (which only unmounts the name): a
 * listener is tied to the namespace's inode and is closed, with its connections, as soon as the
 * name is gone or names another namespace, so the old one (and its veth ends) can go. Everything
 * is closed when this replica stops reconciling.
 */

export interface BoundListener {
  server: Server;
  /** The inode of the network namespace the socket lives in. */
  ino: number;
}

export interface MetadataListenerOptions {
  log: Logger;
  onConnection(socket: Socket, vpcId: string): void;
  /** How a listener is made in a namespace (tests pass a fake). */
  bind?: (ns: string) => Promise<BoundListener>;
  /** The inode of the namespace a name stands for now, undefined when there is none (tests pass a fake). */
  inode?: (ns: string) => number | undefined;
  /** After a failed bind, the next try in that namespace waits this long, ms. */
  retryMs?: number;
}

export interface ListenerPlan {
  /** Held listeners to close: their VPC is gone, or their namespace is (`stale`). */
  close: { ns: string; stale: boolean }[];
  /** Router namespaces that exist and need a listener. */
  open: string[];
}

/**
 * What to close and open (pure; unit-tested in test/unit/dataplane.test.ts): `held` maps a
 * namespace name to the inode its listener lives in, `current` the inode the name stands for now.
 */
export function planListeners(held: ReadonlyMap<string, number>, wanted: readonly string[], current: (ns: string) => number | undefined): ListenerPlan {
  const want = new Set(wanted);
  const close: ListenerPlan['close'] = [];
  const kept = new Set<string>();
  for (const [ns, ino] of held) {
    if (!want.has(ns)) close.push({ ns, stale: false });
    else if (current(ns) !== ino) close.push({ ns, stale: true });
    else kept.add(ns);
  }
  const open = [...want].filter((ns) => !kept.has(ns) && current(ns) !== undefined);
  return { close, open };
}

interface Held extends BoundListener {
  sockets: Set<Socket>;
}

export function metadataListeners(opts: MetadataListenerOptions): RouterHook {
  const { log } = opts;
  const bind = opts.bind ?? bindInNamespace;
  const inode = opts.inode ?? namespaceInode;
  const retryMs = opts.retryMs ?? 2_000;
  const held = new Map<string, Held>();
  const failedAt = new Map<string, number>();

  function close(ns: string, why: string): void {
    const h = held.get(ns);
    if (!h) return;
    log.info({ ns, why }, `dataplane: metadata listener in ${ns} closed`);
    held.delete(ns);
    h.server.close();
    // Open connections hold the namespace too.
    for (const s of h.sockets) s.destroy();
  }

  const plan = (vpcs: readonly DesiredVpc[]): ListenerPlan =>
    planListeners(
      new Map([...held].map(([ns, h]) => [ns, h.ino])),
      vpcs.map((v) => v.ns),
      inode,
    );

  async function open(vpc: DesiredVpc): Promise<void> {
    const last = failedAt.get(vpc.ns);
    if (last !== undefined && Date.now() - last < retryMs) return;
    let bound: BoundListener;
    try {
      bound = await bind(vpc.ns);
    } catch (err) {
      if (last === undefined) log.warn({ ns: vpc.ns, err: String(err) }, 'dataplane: metadata listener failed, retrying');
      failedAt.set(vpc.ns, Date.now());
      return;
    }
    failedAt.delete(vpc.ns);
    const h: Held = { ...bound, sockets: new Set() };
    h.server.on('connection', (socket: Socket) => {
      h.sockets.add(socket);
      socket.once('close', () => h.sockets.delete(socket));
      opts.onConnection(socket, vpc.vpcId);
    });
    h.server.on('error', (err) => log.warn({ ns: vpc.ns, err: String(err) }, 'dataplane: metadata listener error'));
    held.set(vpc.ns, h);
    log.info({ ns: vpc.ns }, `dataplane: metadata at ${METADATA_IP}:${METADATA_PORT} in ${vpc.ns}`);
  }

  return {
    async prune(vpcs) {
      let stale = false;
      for (const c of plan(vpcs).close) {
        stale ||= c.stale;
        close(c.ns, c.stale ? 'namespace gone or made anew' : 'VPC gone');
      }
      return stale;
    },
    async sync(vpcs) {
      const p = plan(vpcs);
      for (const c of p.close) close(c.ns, c.stale ? 'namespace gone or made anew' : 'VPC gone');
      for (const ns of failedAt.keys()) if (!vpcs.some((v) => v.ns === ns)) failedAt.delete(ns);
      for (const ns of p.open) await open(vpcs.find((v) => v.ns === ns)!);
    },
    async release() {
      for (const ns of [...held.keys()]) close(ns, 'released');
      failedAt.clear();
    },
  };
}

/** The inode of the namespace `/run/netns/<ns>` is mounted from, undefined when there is no such name. */
export function namespaceInode(ns: string): number | undefined {
  try {
    return statSync(`/run/netns/${ns}`).ino;
  } catch {
    return undefined;
  }
}

/**
 * Runs in the router namespace (plain JavaScript, no loader): listens, sends the handle and the
 * namespace's inode, and exits once the server process has it (the IPC channel closes). It never
 * outlives the server's wait for it (argv[3] ms): a server killed while the child starts up may
 * leave it no 'disconnect' to see, and an orphan would hold the address for good, so the replica
 * that takes over would meet EADDRINUSE and the instances no metadata (test/dataplane/takeover).
 */
const BIND_SCRIPT = `
const net = require('node:net');
const fs = require('node:fs');
setTimeout(() => process.exit(1), Number(process.argv[3])).unref();
const server = net.createServer();
server.on('error', (e) => { process.send({ error: String(e.code || e.message) }); process.exitCode = 1; process.disconnect(); });
server.listen({ host: process.argv[1], port: Number(process.argv[2]), exclusive: true }, () => {
  process.send({ ino: fs.statSync('/proc/self/ns/net').ino }, server, (err) => { if (err) process.exit(1); });
});
process.on('disconnect', () => process.exit());
`;

const BIND_TIMEOUT_MS = 5_000;

/** Listens at 100.100.100.200:80 inside `ns` (iproute2's `netns exec` keeps the inherited IPC channel). */
export function bindInNamespace(ns: string): Promise<BoundListener> {
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', BIND_SCRIPT, METADATA_IP, String(METADATA_PORT), String(BIND_TIMEOUT_MS)], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      // Nothing of this process's environment (loaders, NODE_OPTIONS) is wanted in the child.
      env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin' },
    });
    let stderr = '';
    let settled = false;
    const done = (err: Error | undefined, bound?: BoundListener) => {
      if (settled) {
        bound?.server.close();
        return;
      }
      settled = true;
      clearTimeout(timer);
      if (child.connected) child.disconnect();
      if (err) reject(err);
      else resolve(bound!);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      done(new Error(`no listener from ${ns} after ${BIND_TIMEOUT_MS} ms`));
    }, BIND_TIMEOUT_MS);
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('message', (m: { ino?: number; error?: string }, handle: unknown) => {
      if (m.error !== undefined || typeof m.ino !== 'number' || !handle)
        done(new Error(`listening at ${METADATA_IP}:${METADATA_PORT} in ${ns}: ${m.error ?? 'no handle'}`));
      else done(undefined, { server: handle as Server, ino: m.ino });
    });
    child.on('error', (err) => done(err));
    // 'close', not 'exit': after the IPC channel is drained, so a message the child sent comes first.
    child.on('close', (code) => done(new Error(`listener child in ${ns} exited (${code}) without a listener: ${stderr.trim()}`)));
  });
}
