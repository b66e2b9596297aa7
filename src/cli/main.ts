import { Command } from 'commander';

const program = new Command('eniplane').description('Self-hosted Alibaba Cloud ENIs: the ECS/VPC API, its rules, guest configuration, data plane');

/**
 * Each command's module, loaded only when that command runs: `serve` pulls in the whole API, and a
 * guest-side command (`guest apply` on every hot-plug) should not pay for it at every start.
 * `eniplane --help` (or an unknown command) loads them all, to list them.
 */
const commands: Record<string, () => Promise<(program: Command) => void>> = {
  serve: () => import('./serve.ts').then((m) => m.registerServe),
  accounts: () => import('./accounts.ts').then((m) => m.registerAccounts),
  db: () => import('./db.ts').then((m) => m.registerDb),
  docs: () => import('./docs.ts').then((m) => m.registerDocs),
  guest: () => import('./guest.ts').then((m) => m.registerGuest),
  dataplane: () => import('./dataplane.ts').then((m) => m.registerDataplane),
  faults: () => import('./faults.ts').then((m) => m.registerFaults),
  reset: () => import('./reset.ts').then((m) => m.registerReset),
};

const named = process.argv[2];
const load = named !== undefined && Object.hasOwn(commands, named) ? [commands[named]!] : Object.values(commands);
for (const register of await Promise.all(load.map((l) => l()))) register(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(`eniplane: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
