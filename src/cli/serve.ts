import { parseIpv6Pool } from '../domain/ipv6.ts';
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isIP } from 'node:net';
import { parseDelays, type ServerConfig } from '../config.ts';
import { QUOTA_SPECS, parseQuotas } from '../domain/quotas.ts';
import { THROTTLE_SPEC_HELP } from '../domain/throttle.ts';
import { throttlePolicyOf } from '../api/throttle-policy.ts';
import { findRegion } from '../domain/regions.ts';
import { systemClock } from '../lib/clock.ts';
import { createLogger } from '../lib/logger.ts';
import { cryptoRandom, seededRandom } from '../lib/random.ts';
import { buildApp } from '../app/build-app.ts';
import { buildMetadataApp } from '../app/build-metadata-app.ts';
import { closeGracefully } from '../app/graceful-close.ts';
import { DEFAULT_REQUEST_TIMEOUT_MS } from '../app/listener-limits.ts';
import { defaultReplicaId } from '../app/metrics.ts';
import { consoleExtra } from '../console/plugin.ts';
import { securityGroupFilter } from '../dataplane/security-group-filter.ts';
import { metadataListeners } from '../dataplane/metadata-listeners.ts';
import { acceptDataplaneConnection } from '../metadata/dataplane-connections.ts';
import { ensureRootAccount, writeCredentialsFile } from '../services/accounts.ts';
import { parseEipPool } from '../services/eips.ts';
import { migrateToLatest, openStore, parseDurability } from '../store/db.ts';
import { acquireDataDirLock } from '../store/lock.ts';
import { leaderLock } from '../store/leader-lock.ts';
import { namespacePrefix } from '../dataplane/names.ts';
import { allFilters, createReconciler, dataplaneRefusal } from '../dataplane/reconciler.ts';
import { eipNatFilter } from '../dataplane/eip-nat-filter.ts';
import { addStoreOptions, storeOpenOptions, storeTarget, type StoreOptions } from './store-options.ts';

interface ServeOptions extends StoreOptions {
  host: string;
  port: string;
  region: string;
  delays: string;
  loose?: boolean;
  logLevel: string;
  seed?: string;
  attachLocality: string;
  eipPool: string;
  ipv6Pool: string;
  quotas: string;
  throttle: string;
  metadataHost: string;
  metadataPort: string;
  metadataLag: string;
  ramCredentialLifetime: string;
  consoleSessionTtl: string;
  dataplane: string;
  dataplaneInterval: string;
  metrics: string;
  replicaId?: string;
  tlsCert?: string;
  tlsKey?: string;
  requestTimeout: string;
  durability: string;
}

function parseLocality(value: string): 'vswitch' | 'zone' {
  if (value !== 'vswitch' && value !== 'zone') throw new Error(`--attach-locality takes vswitch or zone, got "${value}"`);
  return value;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

/** --tls-cert and --tls-key, read at start: both or neither, and readable, or the server refuses to start. */
function readTls(opts: Pick<ServeOptions, 'tlsCert' | 'tlsKey'>): { cert: Buffer; key: Buffer } | undefined {
  if (!opts.tlsCert && !opts.tlsKey) return undefined;
  if (!opts.tlsCert || !opts.tlsKey) throw new Error('--tls-cert and --tls-key go together (env ENIPLANE_TLS_CERT, ENIPLANE_TLS_KEY)');
  const read = (flag: string, file: string) => {
    try {
      return readFileSync(file);
    } catch (err) {
      throw new Error(`cannot read ${flag} ${file}: ${(err as Error).message}`, { cause: err });
    }
  };
  return { cert: read('--tls-cert', opts.tlsCert), key: read('--tls-key', opts.tlsKey) };
}

export function registerServe(program: Command): void {
  const cmd = program
    .command('serve')
    .description('run the ECS/VPC API server')
    .option('--host <host>', 'address to listen on (env ENIPLANE_HOST)', process.env.ENIPLANE_HOST ?? '127.0.0.1')
    .option('--port <port>', 'API port; 0 picks a free one (env ENIPLANE_PORT)', process.env.ENIPLANE_PORT ?? '8080')
    .option('--region <id>', 'region used when a request names none (env ENIPLANE_REGION)', process.env.ENIPLANE_REGION ?? 'cn-hangzhou')
    .option(
      '--delays <spec>',
      'asynchronous state delays: realistic, none, or overrides like realistic,vpcCreate=0 (env ENIPLANE_DELAYS)',
      process.env.ENIPLANE_DELAYS ?? 'realistic',
    )
    .option('--loose', 'ignore unsupported parameters instead of refusing them (env ENIPLANE_LOOSE=1)', process.env.ENIPLANE_LOOSE === '1')
    .option('--log-level <level>', 'pino log level: fatal, error, warn, info, debug (env ENIPLANE_LOG_LEVEL)', process.env.ENIPLANE_LOG_LEVEL ?? 'info')
    .option(
      '--attach-locality <rule>',
      'where an ENI may attach: zone (same VPC and zone, as the cloud) or vswitch (same VPC and vSwitch, the seed document) (env ENIPLANE_ATTACH_LOCALITY)',
      process.env.ENIPLANE_ATTACH_LOCALITY ?? 'zone',
    )
    .option('--eip-pool <cidr>', 'public addresses EIPs are drawn from (env ENIPLANE_EIP_POOL)', process.env.ENIPLANE_EIP_POOL ?? '203.0.113.0/24')
    .option('--ipv6-pool <cidr>', "IPv6 network each IPv6 VPC's /56 is drawn from (env ENIPLANE_IPV6_POOL)", process.env.ENIPLANE_IPV6_POOL ?? '2001:db8::/32')
    .option(
      '--quotas <spec>',
      `account quotas, NAME=N,...; unset ones keep the cloud's defaults (${QUOTA_SPECS.map((q) => `${q.name}=${q.default}`).join(', ')}) (env ENIPLANE_QUOTAS)`,
      process.env.ENIPLANE_QUOTAS ?? '',
    )
    .option(
      '--throttle <spec>',
      `API flow control per account, region and action, in fixed windows: ${THROTTLE_SPEC_HELP} (env ENIPLANE_THROTTLE)`,
      process.env.ENIPLANE_THROTTLE ?? 'none',
    )
    .option(
      '--metadata-host <host>',
      'address of the instance metadata service (env ENIPLANE_METADATA_HOST)',
      process.env.ENIPLANE_METADATA_HOST ?? '127.0.0.1',
    )
    .option('--metadata-port <port>', 'metadata service port; 0 picks a free one (env ENIPLANE_METADATA_PORT)', process.env.ENIPLANE_METADATA_PORT ?? '8081')
    .option(
      '--metadata-lag <ms>',
      "metadata answers trail the API by this many milliseconds, to test clients' wait loops (env ENIPLANE_METADATA_LAG)",
      process.env.ENIPLANE_METADATA_LAG ?? '0',
    )
    .option(
      '--ram-credential-lifetime <seconds>',
      "lifetime of an instance RAM role's temporary credentials; the next set is served 30 minutes (at most half the lifetime) before expiry (env ENIPLANE_RAM_CREDENTIAL_LIFETIME)",
      process.env.ENIPLANE_RAM_CREDENTIAL_LIFETIME ?? '21600',
    )
    .option(
      '--console-session-ttl <seconds>',
      'how long a web console sign-in lasts (env ENIPLANE_CONSOLE_SESSION_TTL)',
      process.env.ENIPLANE_CONSOLE_SESSION_TTL ?? '43200',
    )
    .option(
      '--dataplane <kind>',
      'realize instances and ENIs on this machine: none, or netns (network namespaces and veth pairs; Linux, root) (env ENIPLANE_DATAPLANE)',
      process.env.ENIPLANE_DATAPLANE ?? 'none',
    )
    .option(
      '--dataplane-interval <ms>',
      'milliseconds between two passes of the data plane reconciler (env ENIPLANE_DATAPLANE_INTERVAL)',
      process.env.ENIPLANE_DATAPLANE_INTERVAL ?? '250',
    )
    .option('--seed <seed>', 'seed for IDs, MACs and address picks, for reproducible runs (env ENIPLANE_SEED)', process.env.ENIPLANE_SEED)
    .option('--metrics <on|off>', 'serve GET /metrics (Prometheus) on the API listener (env ENIPLANE_METRICS)', process.env.ENIPLANE_METRICS ?? 'on')
    .option('--replica-id <id>', "this replica's name in the metrics (default hostname-pid) (env ENIPLANE_REPLICA_ID)", process.env.ENIPLANE_REPLICA_ID)
    .option('--tls-cert <file>', 'serve HTTPS with this PEM certificate chain; needs --tls-key (env ENIPLANE_TLS_CERT)', process.env.ENIPLANE_TLS_CERT)
    .option('--tls-key <file>', 'the PEM private key of --tls-cert (env ENIPLANE_TLS_KEY)', process.env.ENIPLANE_TLS_KEY)
    .option(
      '--request-timeout <seconds>',
      'a request (headers and body) must arrive within this many seconds of its first byte, or is answered ClientTimeout (408) (env ENIPLANE_REQUEST_TIMEOUT)',
      process.env.ENIPLANE_REQUEST_TIMEOUT ?? String(DEFAULT_REQUEST_TIMEOUT_MS / 1000),
    )
    .option(
      '--durability <level>',
      'SQLite: normal (a commit survives the process being killed; the last ones may be lost on power loss or an OS crash) or full (synced at every commit) (env ENIPLANE_DURABILITY)',
      process.env.ENIPLANE_DURABILITY ?? 'normal',
    );
  addStoreOptions(cmd).action(async (opts: ServeOptions) => {
    const log = createLogger(opts.logLevel);
    if (!findRegion(opts.region)) throw new Error(`unknown region "${opts.region}"`);
    const port = Number(opts.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`bad --port "${opts.port}"`);
    const metadataPort = Number(opts.metadataPort);
    if (!Number.isInteger(metadataPort) || metadataPort < 0 || metadataPort > 65535) throw new Error(`bad --metadata-port "${opts.metadataPort}"`);
    const metadataLag = Number(opts.metadataLag);
    if (!/^\d+$/.test(opts.metadataLag) || !Number.isSafeInteger(metadataLag))
      throw new Error(`bad --metadata-lag "${opts.metadataLag}": milliseconds, 0 or more`);
    const ramLifetime = Number(opts.ramCredentialLifetime);
    if (!/^\d+$/.test(opts.ramCredentialLifetime) || ramLifetime < 2 || ramLifetime > 43_200) {
      throw new Error(`bad --ram-credential-lifetime "${opts.ramCredentialLifetime}": seconds, 2 to 43200`);
    }
    const consoleTtl = Number(opts.consoleSessionTtl);
    if (!/^\d+$/.test(opts.consoleSessionTtl) || consoleTtl < 1 || consoleTtl > 604_800) {
      throw new Error(`bad --console-session-ttl "${opts.consoleSessionTtl}": seconds, 1 to 604800`);
    }
    // This listener names instances by header or path: beyond loopback, anyone could read any
    // instance's RAM role credentials (design.md "Security"). With --dataplane netns the instances
    // reach 100.100.100.200 in their VPC router, where the source address names them.
    if (!isLoopback(opts.metadataHost))
      throw new Error(`refusing to serve metadata on ${opts.metadataHost}: the metadata listener names instances by header and must stay on loopback`);
    if (opts.dataplane !== 'none' && opts.dataplane !== 'netns') throw new Error(`--dataplane takes none or netns, got "${opts.dataplane}"`);
    const dataplaneInterval = Number(opts.dataplaneInterval);
    if (!/^\d+$/.test(opts.dataplaneInterval) || dataplaneInterval < 10)
      throw new Error(`bad --dataplane-interval "${opts.dataplaneInterval}": milliseconds, 10 or more`);
    if (opts.dataplane === 'netns') {
      const refusal = dataplaneRefusal();
      if (refusal) throw new Error(`refusing --dataplane netns: ${refusal}`);
      namespacePrefix(); // refuse a bad ENIPLANE_DATAPLANE_PREFIX at start
    }
    if (opts.metrics !== 'on' && opts.metrics !== 'off') throw new Error(`--metrics takes on or off, got "${opts.metrics}"`);
    const requestTimeout = Number(opts.requestTimeout);
    if (!/^\d+(\.\d+)?$/.test(opts.requestTimeout) || requestTimeout < 1 || requestTimeout > 3600)
      throw new Error(`bad --request-timeout "${opts.requestTimeout}": seconds, 1 to 3600`);
    const tls = readTls(opts);
    const config: ServerConfig = {
      defaultRegion: opts.region,
      strict: !opts.loose,
      delays: parseDelays(opts.delays),
      timestampWindowMs: 15 * 60 * 1000,
      checkResults: process.env.ENIPLANE_CHECK_RESULTS === '1',
      attachLocality: parseLocality(opts.attachLocality),
      eipPool: opts.eipPool,
      ipv6Pool: opts.ipv6Pool,
      quotas: parseQuotas(opts.quotas),
      throttle: throttlePolicyOf(opts.throttle),
    };
    parseEipPool(config.eipPool); // refuse a bad pool at start, not at the first AllocateEipAddress
    parseIpv6Pool(config.ipv6Pool);
    const durability = parseDurability(opts.durability);
    const random = opts.seed ? seededRandom(opts.seed) : cryptoRandom;
    const target = storeTarget(opts);
    const release = target.kind === 'sqlite' ? acquireDataDirLock(resolve(opts.dataDir)) : () => {};
    const store = await openStore(target, { ...storeOpenOptions(), durability });
    try {
      await migrateToLatest(store);
      const fixed =
        process.env.ENIPLANE_ACCESS_KEY_ID && process.env.ENIPLANE_ACCESS_KEY_SECRET
          ? { accessKeyId: process.env.ENIPLANE_ACCESS_KEY_ID, accessKeySecret: process.env.ENIPLANE_ACCESS_KEY_SECRET }
          : undefined;
      const root = await ensureRootAccount(store, fixed, systemClock, random);
      if (!isLoopback(opts.host) && !root.keysConfigured) {
        throw new Error(
          `refusing to listen on ${opts.host} with a key pair created just now; set ENIPLANE_ACCESS_KEY_ID and ENIPLANE_ACCESS_KEY_SECRET, or start once on loopback first`,
        );
      }
      if (root.created) {
        const where = target.kind === 'sqlite' ? writeCredentialsFile(resolve(opts.dataDir), root.created) : undefined;
        console.log(`Created account "${root.created.accountName}" (${root.created.accountId}). Its AccessKey pair, shown once:`);
        console.log(`  AccessKeyId:     ${root.created.accessKeyId}`);
        console.log(`  AccessKeySecret: ${root.created.secret}`);
        if (where) console.log(`  (also saved, mode 0600, in ${where})`);
      }
      const app = buildApp(
        { store, config, clock: systemClock, random, log },
        {
          extraPlugins: [consoleExtra(consoleTtl * 1000)],
          metrics: opts.metrics === 'on' && { replicaId: opts.replicaId ?? defaultReplicaId(), processMetrics: true },
          limits: { requestTimeoutMs: requestTimeout * 1000 },
          ...(tls ? { tls } : {}),
        },
      );
      const address = await app.listen({ host: opts.host, port });
      console.log(`eniplane API listening on ${address} (store: ${store.dialect} ${store.location}, region ${config.defaultRegion})`);
      const metadata = buildMetadataApp({ store, clock: systemClock, log, lagMs: metadataLag, ramCredentialLifetimeMs: ramLifetime * 1000 });
      const metadataAddress = await metadata.listen({ host: opts.metadataHost, port: metadataPort });
      console.log(`eniplane metadata listening on ${metadataAddress}`);
      console.log(`eniplane console at ${address}/console/`);
      if (config.throttle) console.log(`eniplane throttling: ${opts.throttle} (${config.throttle.rules.size} rules; Throttling.User past a rate)`);
      const reconciler =
        opts.dataplane === 'netns'
          ? createReconciler({
              store,
              clock: systemClock,
              log,
              lock: leaderLock(target, 'dataplane'),
              intervalMs: dataplaneInterval,
              filter: allFilters(securityGroupFilter(store, systemClock), eipNatFilter()),
              // 100.100.100.200 in every VPC router, answered by this metadata app.
              hooks: [metadataListeners({ log, onConnection: (socket, vpcId) => acceptDataplaneConnection(metadata.server, socket, vpcId) })],
            })
          : undefined;
      if (reconciler) {
        reconciler.start();
        console.log(`eniplane data plane: netns (namespaces ${namespacePrefix()}…), reconciling every ${dataplaneInterval} ms`);
      }
      // Graceful: the API stops accepting and answers what is in flight (every acknowledged write
      // is committed before its answer), then the metadata listener and the data plane stop, then
      // the store closes. Another SIGTERM changes nothing (orchestrators may repeat it); a second
      // Ctrl-C (SIGINT) ends the process at once.
      let draining = false;
      const shutdown = async (signal: NodeJS.Signals) => {
        if (draining) {
          if (signal === 'SIGINT') process.exit(130);
          return;
        }
        draining = true;
        console.log(`eniplane: ${signal}: draining (no new connections; requests in flight finish)`);
        try {
          const clean = await closeGracefully(app);
          await closeGracefully(metadata);
          await reconciler?.stop();
          await store.close();
          release();
          console.log(clean ? 'eniplane: stopped' : 'eniplane: stopped (connections still open after the drain deadline were cut)');
          process.exit(0);
        } catch (err) {
          console.error(`eniplane: shutdown failed: ${String((err as Error | null)?.stack ?? err)}`);
          process.exit(1);
        }
      };
      process.on('SIGINT', (signal) => void shutdown(signal));
      process.on('SIGTERM', (signal) => void shutdown(signal));
    } catch (err) {
      await store.close();
      release();
      throw err;
    }
  });
}
