import type { Command } from 'commander';
import { addAccountOption, withOwnApi, type AccountOption } from './own-api.ts';
import { addStoreOptions, type StoreOptions } from './store-options.ts';

interface AddOptions extends StoreOptions, AccountOption {
  code?: string;
  resourceId?: string;
  tag?: string;
  probability?: string;
  seed?: string;
  count?: string;
  latency?: string;
  asyncFail?: boolean;
  asyncDelay?: string;
}

type FaultItem = {
  FaultId: string;
  TargetAction: string;
  ResourceId?: string;
  TagKey?: string;
  TagValue?: string;
  Probability?: number;
  Seed: string;
  Count?: number;
  Code?: string;
  LatencyMs: number;
  AsyncResult?: string;
  AsyncDelayMs: number;
  MatchedCount: number;
  InjectedCount: number;
};

/** One line per rule: what it matches, when it fires, what it does, and its counters. */
export function describeFault(f: FaultItem): string {
  const where = [f.ResourceId && `resource ${f.ResourceId}`, f.TagKey && `tag ${f.TagKey}${f.TagValue !== undefined ? `=${f.TagValue}` : ''}`].filter(Boolean);
  const when = [f.Count !== undefined && `at most ${f.Count} time(s)`, f.Probability !== undefined && `probability ${f.Probability} (seed ${f.Seed})`].filter(
    Boolean,
  );
  const what = [
    f.Code && `answers ${f.Code}`,
    f.LatencyMs > 0 && `+${f.LatencyMs} ms`,
    f.AsyncResult === 'Fail' && 'ends back where it started',
    f.AsyncDelayMs > 0 && `transition +${f.AsyncDelayMs} ms`,
  ].filter(Boolean);
  return `${f.FaultId}  ${f.TargetAction}${where.length ? ` [${where.join(', ')}]` : ''}: ${what.join(', ')}${when.length ? `; ${when.join(', ')}` : '; every call'}  (matched ${f.MatchedCount}, injected ${f.InjectedCount})`;
}

/** A number option as AddFault takes it (its schema checks the range). */
function num(value: string | undefined): number | undefined {
  return value === undefined ? undefined : Number(value);
}

export function registerFaults(program: Command): void {
  const faults = program
    .command('faults')
    .description("fault injection: rules that make an account's calls fail, wait or end differently (on the store; every server on it applies them)");

  addAccountOption(addStoreOptions(faults.command('add').argument('<action>', 'Product:Action or Action, e.g. Ecs:AttachNetworkInterface')))
    .description('add a fault rule: answer a code, add latency, or change the outcome of an attach, detach or delete')
    .option('--code <code>', "an error code of the action (docs/errors.md), InternalError, ServiceUnavailable or the product's conflict code")
    .option('--latency <ms>', 'milliseconds added before the answer')
    .option('--async-fail', 'Attach/Detach/DeleteNetworkInterface: accepted, but the transition ends back where it started')
    .option('--async-delay <ms>', 'Attach/Detach/DeleteNetworkInterface: the transition lasts this much longer')
    .option('--resource-id <id>', 'only calls with a parameter of this value (an ENI, instance, vSwitch ID...)')
    .option('--tag <key[=value]>', 'only calls naming a resource with this tag (or creating one with it)')
    .option('--count <n>', 'fire at most N times (alone: the first N matching calls)')
    .option('--probability <p>', 'fire on each matching call with this probability (0 < p <= 1)')
    .option('--seed <seed>', 'the seed of the probability draws (the same seed repeats the same sequence)')
    .action(async (action: string, opts: AddOptions) => {
      const eq = opts.tag?.indexOf('=') ?? -1;
      const params = {
        TargetAction: action,
        ...(opts.code !== undefined && { Code: opts.code }),
        ...(opts.latency !== undefined && { LatencyMs: num(opts.latency) }),
        ...(opts.asyncFail && { AsyncResult: 'Fail' }),
        ...(opts.asyncDelay !== undefined && { AsyncDelayMs: num(opts.asyncDelay) }),
        ...(opts.resourceId !== undefined && { ResourceId: opts.resourceId }),
        ...(opts.tag !== undefined && (eq < 0 ? { TagKey: opts.tag } : { TagKey: opts.tag.slice(0, eq), TagValue: opts.tag.slice(eq + 1) })),
        ...(opts.count !== undefined && { Count: num(opts.count) }),
        ...(opts.probability !== undefined && { Probability: num(opts.probability) }),
        ...(opts.seed !== undefined && { Seed: opts.seed }),
      };
      await withOwnApi(opts, async (api) => {
        const body = await api.call('AddFault', params);
        console.log(`added to account ${api.account.name} (${api.account.id}): ${describeFault(body.Fault as FaultItem)}`);
      });
    });

  addAccountOption(addStoreOptions(faults.command('list')))
    .description("list an account's fault rules, in the order they are tried")
    .option('--json', 'print the ListFaults answer as JSON')
    .action(async (opts: StoreOptions & AccountOption & { json?: boolean }) => {
      await withOwnApi(opts, async (api) => {
        const body = await api.call('ListFaults', {});
        const items = (body.Faults as { Fault: FaultItem[] }).Fault;
        if (opts.json) console.log(JSON.stringify(items, null, 2));
        else if (items.length === 0) console.log(`no fault rules in account ${api.account.name} (${api.account.id})`);
        else for (const f of items) console.log(describeFault(f));
      });
    });

  addAccountOption(addStoreOptions(faults.command('clear').argument('[fault-ids...]', 'the rules to remove (default: all of the account)')))
    .description("remove an account's fault rules: those named, or all")
    .action(async (ids: string[], opts: StoreOptions & AccountOption) => {
      await withOwnApi(opts, async (api) => {
        if (ids.length === 0) {
          const body = await api.call('ClearFaults', {});
          console.log(`removed ${String(body.RemovedCount)} fault rule(s) of account ${api.account.name} (${api.account.id})`);
          return;
        }
        for (const id of ids) await api.call('RemoveFault', { FaultId: id });
        console.log(`removed ${ids.join(', ')}`);
      });
    });
}
