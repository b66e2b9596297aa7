import { freshPostgresDatabase, startServer, type RunningServer } from '../helpers/server.ts';

/**
 * Several real `eniplane serve` replicas on one fresh PostgreSQL database, started at the same
 * moment (so their migrations and root-account creation race, as when a deployment rolls out),
 * and a round-robin "load balancer" over the ones still alive.
 */
export interface Fleet {
  /** The shared database, for the checker's direct reads. */
  dbUrl: string;
  replicas: RunningServer[];
  /** Indexes of replicas the balancer still sends to. */
  live(): number[];
  /** The next live replica, round-robin, as a load balancer picks backends. */
  next(): number;
  /** Takes a replica out of rotation and kills it with SIGKILL: no shutdown, no goodbye. */
  kill(index: number): Promise<void>;
  dispose(): Promise<void>;
}

export async function startFleet(count: number, opts: { delays: string }): Promise<Fleet> {
  const db = await freshPostgresDatabase();
  const started = await Promise.allSettled(
    Array.from({ length: count }, (_, i) =>
      startServer({
        dbUrl: db.url,
        // Each replica its own seed: identical seeds would draw identical IDs and MACs, and
        // every creation would collide (and retry) with its twin on the other replica.
        args: ['--delays', opts.delays, '--seed', `replica-${i}`],
      }),
    ),
  );
  const replicas = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await Promise.all(replicas.map((r) => r.stop()));
    await db.drop();
    throw failed.reason;
  }
  const alive = new Set(replicas.map((_, i) => i));
  let turn = 0;
  return {
    dbUrl: db.url,
    replicas,
    live: () => [...alive],
    next() {
      const live = [...alive];
      if (live.length === 0) throw new Error('no replica left');
      return live[turn++ % live.length]!;
    },
    async kill(index) {
      alive.delete(index);
      await replicas[index]!.stop('SIGKILL');
    },
    async dispose() {
      await Promise.all(replicas.map((r) => r.stop()));
      await db.drop();
    },
  };
}
