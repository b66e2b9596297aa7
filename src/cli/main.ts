import { Command } from 'commander';
import { registerAccounts } from './accounts.ts';
import { registerDataplane } from './dataplane.ts';
import { registerDb } from './db.ts';
import { registerDocs } from './docs.ts';
import { registerGuest } from './guest.ts';
import { registerServe } from './serve.ts';

const program = new Command('eniplane').description('Self-hosted Alibaba Cloud ENIs: the ECS/VPC API, its rules, guest configuration, data plane');
registerServe(program);
registerAccounts(program);
registerDb(program);
registerDocs(program);
registerGuest(program);
registerDataplane(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(`eniplane: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
