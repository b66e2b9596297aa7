/**
 * `npm run bench:console [-- OPTIONS]`: the web console's ENIs page with 10,000 ENIs in one
 * account. The seed (one VPC, a /16 vSwitch, an enterprise security group, N secondary ENIs with
 * the account's ENI quota raised) is made in-process through the API (harness/in-process.ts) on
 * SQLite; then `eniplane serve` runs on it and Debian's Chromium (test/console/harness.ts) signs
 * in and opens the ENIs page. Measured, each `--rounds` times:
 *
 *  - **load**: page.goto(/console/enis) until the first page of rows is in the table (the whole
 *    page: index.html, the bundle, the session, the declarations, the list);
 *  - **navigate**: from another console page, a click on `ENIs` in the navigation until the
 *    rows are shown (the single-page app: only the console API calls);
 *  - the console API requests each made (page.on('request')), counted until the page is quiet;
 *  - the same-run reference: the same first page (PageNumber 1, PageSize 20) through the official
 *    ECS SDK (@alicloud/ecs20140526, V3 signature) from this process.
 *
 * Options: --enis 10000  --rounds 7  --seed-parallel 8  --deadline 600  --out FILE
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as $Ecs from '@alicloud/ecs20140526';
import type { Page } from 'playwright-core';
import { migrateToLatest, openStore, sqliteFileIn } from '../src/store/db.ts';
import { ecsClient } from '../test/helpers/clients.ts';
import type { RunningServer } from '../test/helpers/server.ts';
import { launchBrowser, newConsolePage } from '../test/console/harness.ts';
import { commandLine, positive } from './harness/cli.ts';
import { inProcessApi } from './harness/in-process.ts';
import { describeMachine, fmt, machine, markdownTable, writeReport } from './harness/report.ts';
import { installDeadline, runMain, startEniplane } from './harness/server.ts';
import { median } from './harness/stats.ts';

const REGION = 'cn-hangzhou';
const ECS_VERSION = '2014-05-26';
const VPC_VERSION = '2016-04-28';
/** The page's rows per page (console/src/pages/Enis.tsx PAGE_SIZE). */
const PAGE_SIZE = 20;

interface Seeded {
  dir: string;
  key: { accessKeyId: string; accessKeySecret: string };
  enis: number;
  seconds: number;
}

async function seed(enis: number, parallel: number): Promise<Seeded> {
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'eniplane-bench-console-'));
  const store = await openStore({ kind: 'sqlite', file: sqliteFileIn(dir) });
  try {
    await migrateToLatest(store);
    const api = inProcessApi(store, { quotas: { enisPerRegion: enis + 100 } });
    const account = await api.createAccount('console-bench');
    const call = (action: string, version: string, params: Record<string, string>) =>
      api.call(account.accountId, action, version, { RegionId: REGION, ...params });
    const vpcId = (await call('CreateVpc', VPC_VERSION, { CidrBlock: '10.0.0.0/8' })).VpcId as string;
    const vswitchId = (await call('CreateVSwitch', VPC_VERSION, { VpcId: vpcId, ZoneId: 'cn-hangzhou-i', CidrBlock: '10.1.0.0/16' })).VSwitchId as string;
    // An enterprise group: a basic one holds at most 2,000 private IPs.
    const sg = (await call('CreateSecurityGroup', ECS_VERSION, { VpcId: vpcId, SecurityGroupType: 'enterprise' })).SecurityGroupId as string;
    let made = 0;
    let shown = Date.now();
    const worker = async () => {
      while (made < enis) {
        const i = made++;
        await call('CreateNetworkInterface', ECS_VERSION, {
          VSwitchId: vswitchId,
          'SecurityGroupIds.1': sg,
          NetworkInterfaceName: `bench-${i}`,
          ...(i % 10 === 0 && { 'Tag.1.Key': 'team', 'Tag.1.Value': `t${i % 7}` }),
        });
        if (Date.now() - shown > 10_000) {
          shown = Date.now();
          console.log(`  seeded ${fmt(made)} ENIs`);
        }
      }
    };
    await Promise.all(Array.from({ length: parallel }, worker));
    return { dir, key: { accessKeyId: account.accessKeyId, accessKeySecret: account.accessKeySecret }, enis, seconds: (Date.now() - started) / 1000 };
  } finally {
    await store.close();
  }
}

interface Visit {
  ms: number;
  /** Console API requests (method path [action]) in order. */
  requests: string[];
}

/** Console API requests from now on, described as "POST /call Ecs:DescribeNetworkInterfaces". */
function recordRequests(page: Page): { take(): string[] } {
  let seen: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (!url.pathname.startsWith('/console/api/')) return;
    let what = `${request.method()} ${url.pathname.slice('/console/api'.length)}`;
    if (url.pathname.endsWith('/call')) {
      const body = JSON.parse(request.postData() ?? '{}') as { Product?: string; Action?: string };
      what += ` ${body.Product}:${body.Action}`;
    }
    seen.push(what);
  });
  return {
    take() {
      const out = seen;
      seen = [];
      return out;
    },
  };
}

const firstRows = (page: Page) =>
  page
    .locator('table.eni-table tbody tr[data-eni]')
    .nth(PAGE_SIZE - 1)
    .waitFor({ timeout: 30_000 });

async function main() {
  const { values } = parseArgs({
    options: {
      enis: { type: 'string', default: '10000' },
      rounds: { type: 'string', default: '7' },
      'seed-parallel': { type: 'string', default: '8' },
      deadline: { type: 'string', default: '600' },
      out: { type: 'string', default: 'bench/results/console-enis.json' },
    },
  });
  const enis = positive('enis', values.enis);
  const rounds = positive('rounds', values.rounds);
  installDeadline(positive('deadline', values.deadline) * 1000, 'bench:console');
  const host = machine();
  console.log(`bench:console on ${describeMachine(host)}`);

  console.log(`seeding ${fmt(enis)} ENIs in one account…`);
  const seeded = await seed(enis, positive('seed-parallel', values['seed-parallel']));
  console.log(`  seeded in ${fmt(seeded.seconds, 1)} s`);
  const server = await startEniplane({ name: 'eniplane', storeArgs: ['--data-dir', seeded.dir] });
  const endpoint = `127.0.0.1:${server.port}`;
  const browser = await launchBrowser();
  try {
    // The reference: the same first page through the official SDK.
    const sdk = ecsClient({ endpoint } as RunningServer, { key: seeded.key });
    const sdkPage = async () => {
      const t0 = performance.now();
      const answer = await sdk.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId: REGION, pageNumber: 1, pageSize: PAGE_SIZE }));
      const ms = performance.now() - t0;
      if (answer.body!.totalCount !== enis) throw new Error(`the SDK sees ${answer.body!.totalCount} ENIs, not ${enis}`);
      return ms;
    };
    await sdkPage();

    const { page } = await newConsolePage(browser);
    const requests = recordRequests(page);
    await page.goto(`http://${endpoint}/console/vpcs`);
    await page.getByLabel('AccessKey ID').fill(seeded.key.accessKeyId);
    await page.getByLabel('AccessKey Secret').fill(seeded.key.accessKeySecret);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Console' }).waitFor();
    await page.waitForLoadState('networkidle');
    requests.take();

    const quiet = async () => {
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(300);
    };
    const loads: Visit[] = [];
    const navigations: Visit[] = [];
    const sdkMs: number[] = [];
    for (let round = 0; round < rounds; round++) {
      // load: the whole page from its URL.
      let t0 = performance.now();
      await page.goto(`http://${endpoint}/console/enis`);
      await firstRows(page);
      const loadMs = performance.now() - t0;
      await quiet();
      loads.push({ ms: loadMs, requests: requests.take() });

      // navigate: from another page of the console, through its navigation.
      await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'VPCs' }).click();
      await quiet();
      requests.take();
      t0 = performance.now();
      await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'ENIs' }).click();
      await firstRows(page);
      const navMs = performance.now() - t0;
      await quiet();
      navigations.push({ ms: navMs, requests: requests.take() });

      sdkMs.push(await sdkPage());
      console.log(`  round ${round + 1}: load ${fmt(loadMs, 1)} ms, navigate ${fmt(navMs, 1)} ms, SDK first page ${fmt(sdkMs.at(-1)!, 1)} ms`);
    }

    const row = (what: string, visits: Visit[]) => {
      const ms = median(visits.map((v) => v.ms));
      const counts = visits.map((v) => v.requests.length);
      return {
        what,
        medianMs: ms,
        minMs: Math.min(...visits.map((v) => v.ms)),
        maxMs: Math.max(...visits.map((v) => v.ms)),
        ratioToSdk: ms / median(sdkMs),
        requests: counts,
        requestList: visits[visits.length - 1]!.requests,
      };
    };
    const results = [row('load /console/enis (whole page)', loads), row('navigate to ENIs (in the app)', navigations)];
    const sdkMedian = median(sdkMs);
    console.log('');
    console.log(
      markdownTable(
        ['measured', 'median ms:', 'range ms:', 'SDK first page ms:', 'ratio:', 'console API requests:'],
        results.map((r) => [
          r.what,
          fmt(r.medianMs, 1),
          `${fmt(r.minMs, 1)}–${fmt(r.maxMs, 1)}`,
          fmt(sdkMedian, 1),
          `${fmt(r.ratioToSdk, 1)}×`,
          `${Math.min(...r.requests)}–${Math.max(...r.requests)}`,
        ]),
      ),
    );
    for (const r of results) console.log(`\n${r.what}: ${r.requestList.join(', ')}`);
    writeReport(values.out!, {
      command: commandLine('bench:console'),
      machine: host,
      enis,
      seedSeconds: seeded.seconds,
      pageSize: PAGE_SIZE,
      sdkFirstPageMs: sdkMs,
      results,
    });
  } finally {
    await browser.close();
    await server.stop();
    rmSync(seeded.dir, { recursive: true, force: true });
  }
}

runMain('bench:console', main);
