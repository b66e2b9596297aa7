import { randomUUID } from 'node:crypto';
import * as $Ecs from '@alicloud/ecs20140526';
import * as $Vpc from '@alicloud/vpc20160428';
import type { Key } from '../helpers/clients.ts';
import { createAccount } from '../helpers/cli.ts';
import { callV1 } from '../helpers/raw-client.ts';
import { TEST_KEY } from '../helpers/server.ts';
import { isoSeconds } from '../../src/lib/clock.ts';
import type { Fleet } from './fleet.ts';
import type { Ecs, Outcome, Traffic, Vpc } from './traffic.ts';

const regionId = 'cn-hangzhou';
const ZONE = 'cn-hangzhou-b';
const IMAGE = 'aliyun_3_x64_20G_alibase_20240819.vhd';
/** 3 ENIs (the primary and 2 secondary), 6 addresses per ENI: a small quota to race for. */
const SMALL_TYPE = 'ecs.g7.large';
/** 20 addresses on the primary ENI (the type allows 30, any ENI 20): fills a group fast. */
const WIDE_TYPE = 'ecs.g7.4xlarge';

export interface ScenarioOptions {
  /** Also race an account's ENI quota and a security group's 2,000-address quota (a second account). */
  quotaRace: boolean;
  /** SIGKILL this replica in the middle, right after it accepted an attach that is still Attaching. */
  victim?: number;
  /** The serve --delays eniAttach value: how long accepted attaches stay Attaching. */
  attachDelayMs: number;
}

/** What the scenario set up and saw, for the test's own assertions beyond the invariants. */
export interface ScenarioFacts {
  keys: Key[];
  smallVSwitchId: string;
  /** The /25 where IPv4 prefixes (/28) were carved while single addresses were picked. */
  prefixVSwitchId: string;
  attachInstanceId: string;
  doubleAttachEnis: string[];
  tokenNames: string[];
  quotaGroupId?: string;
  quotaAccountKey?: Key;
  /** The attach the victim accepted just before it died, and what each survivor showed of it. */
  orphanAttach?: { eniId: string; instanceId: string; rightAfterKill: string[]; settled: { status: string; instanceId: string }[] };
  reached: { smallFull: boolean; vpcQuota: boolean; groupQuota: boolean; eniQuota: boolean; groupIpQuota: boolean; ipv6Contended: boolean };
  /** The IPv6 vSwitch where addresses and /80 prefixes raced (ipv6Worker). */
  ipv6VSwitchId: string;
  /**
   * Deletions racing creations in one small vSwitch (Deleting ENIs keep their addresses until
   * gone): how many ENIs were deleted and created again, and every listing, taken during the race,
   * that showed an address on two ENIs (none may).
   */
  churn: { deleted: number; recreated: number; doubleListings: string[] };
  /** Members raced for the member slots of `trunkId` on `node` (EniTotalQuantity); trunks for the one trunk slot of `rivalNode`. */
  trunkRace: { node: string; trunkId: string; rivalNode: string; rivalTrunks: string[] };
}

/** A trunk type with few member slots: EniQuantity 4, EniTotalQuantity 5 (the primary, the trunk and three members). */
const TRUNK_TYPE = 'ecs.g8a.xlarge';

const random = (n: number) => Math.floor(Math.random() * n);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pick = <T>(list: readonly T[]): T | undefined => list[random(list.length)];

function eniRequest(vSwitchId: string, securityGroupId: string, extra: Partial<$Ecs.CreateNetworkInterfaceRequest> = {}) {
  return new $Ecs.CreateNetworkInterfaceRequest({ regionId, vSwitchId, securityGroupId, ...extra });
}

function ipsOf(body: $Ecs.CreateNetworkInterfaceResponseBody | undefined): string[] {
  return (body?.privateIpSets?.privateIpSet ?? []).map((p) => p.privateIpAddress!);
}

function prefixesOf(body: $Ecs.CreateNetworkInterfaceResponseBody | undefined): string[] {
  return (body?.ipv4PrefixSets?.ipv4PrefixSet ?? []).map((p) => p.ipv4Prefix!);
}

/** Network fixtures of one account, made through the balancer; every step must succeed. */
function fixtures(t: Traffic, key: Key) {
  const must = <T>(label: string, fn: (c: { ecs: Ecs; vpc: Vpc }) => Promise<T>) => t.must(label, fn, { key });
  return {
    async vpc(cidrBlock: string) {
      const id = await must('CreateVpc', ({ vpc }) => vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId, cidrBlock }))).then((r) => r.body!.vpcId!);
      t.acks.createdVpcs.push(id);
      return id;
    },
    vswitch: (vpcId: string, cidrBlock: string, extra: Partial<$Vpc.CreateVSwitchRequest> = {}) =>
      must('CreateVSwitch', ({ vpc }) => vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId, vpcId, cidrBlock, zoneId: ZONE, ...extra }))).then(
        (r) => r.body!.vSwitchId!,
      ),
    enableIpv6: (vpcId: string) =>
      must('ModifyVpcAttribute EnableIPv6', ({ vpc }) => vpc.modifyVpcAttribute(new $Vpc.ModifyVpcAttributeRequest({ regionId, vpcId, enableIPv6: true }))),
    async group(vpcId: string) {
      const id = await must('CreateSecurityGroup', ({ ecs }) => ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId, vpcId }))).then(
        (r) => r.body!.securityGroupId!,
      );
      t.acks.createdGroups.push(id);
      return id;
    },
    async eni(vSwitchId: string, securityGroupId: string, extra: Partial<$Ecs.CreateNetworkInterfaceRequest> = {}) {
      const body = (await must('CreateNetworkInterface', ({ ecs }) => ecs.createNetworkInterface(eniRequest(vSwitchId, securityGroupId, extra)))).body!;
      t.acks.createdEnis.push({ eniId: body.networkInterfaceId!, ips: ipsOf(body) });
      return body.networkInterfaceId!;
    },
    instances: (extra: Partial<$Ecs.RunInstancesRequest>) =>
      must('RunInstances', ({ ecs }) => ecs.runInstances(new $Ecs.RunInstancesRequest({ regionId, imageId: IMAGE, instanceType: SMALL_TYPE, ...extra }))).then(
        (r) => r.body!.instanceIdSets!.instanceIdSet!,
      ),
  };
}

/** Sends one signed request, byte for byte the same, to several replicas at once: exactly one copy may pass. */
async function nonceTrial(t: Traffic, fleet: Fleet, replicas: readonly number[], copies: number): Promise<void> {
  const nonce = randomUUID();
  const timestamp = isoSeconds(Date.now());
  const sends = replicas.flatMap((r) =>
    Array.from({ length: copies }, () => callV1(fleet.replicas[r]!.endpoint, 'DescribeRegions', '2014-05-26', {}, { nonce, timestamp })),
  );
  const answers = await Promise.all(
    sends.map(async (p) => {
      const res = await p;
      return { status: res.status, code: res.status === 200 ? '' : String(res.json().Code ?? '') };
    }),
  );
  t.acks.nonceTrials.push({ nonce, answers });
}

/**
 * The race: 64 clients at once, each on the next live replica as a load balancer would send them,
 * against one small vSwitch, one instance's ENI quota, one ENI wanted by two instances, shared
 * ClientTokens, the VPC and security-group quotas and (with `quotaRace`) a second account's ENI
 * quota and one security group's 2,000-address quota. With `victim`, that replica is killed with
 * SIGKILL midway, just after it accepted an attach that is still Attaching.
 */
export async function runScenario(fleet: Fleet, t: Traffic, opts: ScenarioOptions): Promise<ScenarioFacts> {
  const a = fixtures(t, TEST_KEY);
  const vpcId = await a.vpc('10.0.0.0/16');
  // Three more VPCs: security groups created in different VPCs share no VPC row lock, so only
  // the region quota's own lock keeps their count exact.
  const spareVpcs = [await a.vpc('10.1.0.0/16'), await a.vpc('10.2.0.0/16'), await a.vpc('10.3.0.0/16')];
  const smallVsw = await a.vswitch(vpcId, '10.0.0.0/28');
  const attachVsw = await a.vswitch(vpcId, '10.0.1.0/24');
  const mainGroup = await a.group(vpcId);
  // Two ENIs in the small vSwitch before the race: assignments alone can fill it.
  const smallEnis = [await a.eni(smallVsw, mainGroup), await a.eni(smallVsw, mainGroup)];
  const [attachTarget, left, right, orphanTarget] = (await a.instances({ vSwitchId: attachVsw, securityGroupId: mainGroup, amount: 4 })) as [
    string,
    string,
    string,
    string,
  ];
  const candidates = await Promise.all(Array.from({ length: 10 }, () => a.eni(attachVsw, mainGroup)));
  const doubles = await Promise.all(Array.from({ length: 3 }, () => a.eni(attachVsw, mainGroup)));
  const orphanEni = await a.eni(attachVsw, mainGroup);
  // A /28 (12 addresses) filled by four ENIs of three addresses: churn only reuses freed ones.
  const churnVsw = await a.vswitch(vpcId, '10.0.2.0/28');
  const churnEnis: string[] = [];
  // Not acknowledged as created ENIs: the churn deletes them, and the checker holds acknowledged ones to exist.
  for (let i = 0; i < 4; i++) {
    const r = await t.must('CreateNetworkInterface churn', ({ ecs }) =>
      ecs.createNetworkInterface(eniRequest(churnVsw, mainGroup, { secondaryPrivateIpAddressCount: 2 })),
    );
    churnEnis.push(r.body!.networkInterfaceId!);
  }
  const churn = { deleted: 0, recreated: 0, doubleListings: [] as string[] };
  // A /25 (124 usable addresses, six whole aligned /28s) where prefixes and single addresses race.
  const prefixVsw = await a.vswitch(vpcId, '10.0.3.0/25');
  const prefixEnis = [await a.eni(prefixVsw, mainGroup), await a.eni(prefixVsw, mainGroup)];
  // An IPv6 vSwitch where IPv6 addresses and /80 prefixes are assigned and unassigned at once, and
  // every worker also asks for the same few named addresses and prefixes: each may go to one ENI only.
  await a.enableIpv6(vpcId);
  const v6Vsw = await a.vswitch(vpcId, '10.0.4.0/26', { ipv6CidrBlock: 7 });
  const v6Enis = await Promise.all(Array.from({ length: 4 }, () => a.eni(v6Vsw, mainGroup)));
  const v6Block = (
    await t.must('DescribeVSwitches ipv6', ({ vpc }) => vpc.describeVSwitches(new $Vpc.DescribeVSwitchesRequest({ regionId, vSwitchId: v6Vsw })))
  ).body!.vSwitches!.vSwitch![0]!.ipv6CidrBlock!;
  const v6Named = (host: string) => v6Block.replace(/::\/64$/, `:${host}`);
  const v6Acks = t.acks.assignedIpv6!;

  // A trunk node with its trunk InUse before the race: eight ENIs race for its three member slots;
  // three trunks race for a second trunk node's one trunk slot.
  const [trunkNode, rivalNode] = (await a.instances({ vSwitchId: attachVsw, securityGroupId: mainGroup, instanceType: TRUNK_TYPE, amount: 2 })) as [
    string,
    string,
  ];
  const trunkId = await a.eni(attachVsw, mainGroup, { instanceType: 'Trunk' });
  await t.must('AttachNetworkInterface trunk', ({ ecs }) =>
    ecs.attachNetworkInterface(new $Ecs.AttachNetworkInterfaceRequest({ regionId, instanceId: trunkNode, networkInterfaceId: trunkId })),
  );
  t.acks.attached.push({ eniId: trunkId, instanceId: trunkNode });
  await sleep(opts.attachDelayMs + 50);
  const memberCandidates = await Promise.all(Array.from({ length: 8 }, () => a.eni(attachVsw, mainGroup)));
  const rivalTrunks = await Promise.all(Array.from({ length: 3 }, () => a.eni(attachVsw, mainGroup, { instanceType: 'Trunk' })));

  let quota: { key: Key; groupId: string; enis: string[]; domains: { vSwitchId: string; groupId: string }[] } | undefined;
  if (opts.quotaRace) {
    // A second account, created with the CLI while the replicas run: its quotas are its own.
    const key = createAccount(fleet.replicas[0]!, `quota-${Date.now().toString(36)}`);
    const b = fixtures(t, key);
    const bVpc = await b.vpc('10.0.0.0/16');
    const bigs = [await b.vswitch(bVpc, '10.0.16.0/21'), await b.vswitch(bVpc, '10.0.24.0/21')];
    const groupId = await b.group(bVpc);
    // ENIs are raced for in four places that share neither a vSwitch nor a group (whose row
    // locks would serialise them anyway): only the ENI quota's own lock keeps the count exact.
    const others = [await b.vswitch(bVpc, '10.0.32.0/24'), await b.vswitch(bVpc, '10.0.33.0/24')];
    const domains = [
      { vSwitchId: bigs[0]!, groupId },
      { vSwitchId: bigs[1]!, groupId: await b.group(bVpc) },
      { vSwitchId: others[0]!, groupId: await b.group(bVpc) },
      { vSwitchId: others[1]!, groupId: await b.group(bVpc) },
    ];
    // 78 instances whose primary ENIs hold 20 addresses each (1,560), and 40 ENIs holding one:
    // the group has 400 addresses left and the account 60 ENIs, both raced for below.
    await Promise.all(
      bigs.map((vSwitchId) =>
        b.instances({
          instanceType: WIDE_TYPE,
          amount: 39,
          networkInterface: [
            new $Ecs.RunInstancesRequestNetworkInterface({ instanceType: 'Primary', vSwitchId, securityGroupId: groupId, secondaryPrivateIpAddressCount: 19 }),
          ],
        }),
      ),
    );
    const enis = await Promise.all(Array.from({ length: 40 }, (_, i) => b.eni(bigs[i % 2]!, groupId)));
    quota = { key, groupId, enis, domains };
  }

  const reached = { smallFull: false, vpcQuota: false, groupQuota: false, eniQuota: false, groupIpQuota: false, ipv6Contended: false };
  const runId = Date.now().toString(36);
  const tokenNames = Array.from({ length: 4 }, (_, f) => `tok-${runId}-${f}`);

  /** Creations and one-address assignments in the /28 until an address is refused for want of room. */
  async function smallWorker() {
    for (let op = 0; op < 60 && !reached.smallFull; op++) {
      if (random(3) === 0) {
        const r = await t.call('CreateNetworkInterface small', ({ ecs }) => ecs.createNetworkInterface(eniRequest(smallVsw, mainGroup)));
        if (r.kind === 'ok') {
          smallEnis.push(r.value.body!.networkInterfaceId!);
          t.acks.createdEnis.push({ eniId: r.value.body!.networkInterfaceId!, ips: ipsOf(r.value.body) });
        } else if (r.kind === 'refused' && r.code === 'InvalidVSwitchId.IpNotEnough') reached.smallFull = true;
      } else {
        const eniId = pick(smallEnis)!;
        const r = await t.call('AssignPrivateIpAddresses small', ({ ecs }) =>
          ecs.assignPrivateIpAddresses(new $Ecs.AssignPrivateIpAddressesRequest({ regionId, networkInterfaceId: eniId, secondaryPrivateIpAddressCount: 1 })),
        );
        if (r.kind === 'ok') t.acks.assignedIps.push({ eniId, ips: r.value.body!.assignedPrivateIpAddressesSet!.privateIpSet!.privateIpAddress! });
        else if (r.kind === 'refused' && r.code === 'InvalidVSwitchId.IpNotEnough') reached.smallFull = true;
      }
    }
  }

  /**
   * IPv4 prefixes carved (CreateNetworkInterface and AssignPrivateIpAddresses Ipv4PrefixCount)
   * while single addresses are picked in the same vSwitch: the vSwitch row lock serialises both,
   * so no prefix may overlap an address or another prefix, and the used count stays exact.
   */
  async function prefixWorker() {
    for (let op = 0; op < 12; op++) {
      const roll = random(4);
      if (roll === 0) {
        const r = await t.call('CreateNetworkInterface prefix', ({ ecs }) =>
          ecs.createNetworkInterface(eniRequest(prefixVsw, mainGroup, { ipv4PrefixCount: 1 })),
        );
        if (r.kind === 'ok') {
          const eniId = r.value.body!.networkInterfaceId!;
          prefixEnis.push(eniId);
          t.acks.createdEnis.push({ eniId, ips: ipsOf(r.value.body) });
          t.acks.assignedPrefixes!.push({ eniId, prefixes: prefixesOf(r.value.body) });
        }
      } else {
        const eniId = pick(prefixEnis)!;
        const byPrefix = roll !== 3;
        const r = await t.call(byPrefix ? 'AssignPrivateIpAddresses prefix' : 'AssignPrivateIpAddresses beside prefixes', ({ ecs }) =>
          ecs.assignPrivateIpAddresses(
            new $Ecs.AssignPrivateIpAddressesRequest({
              regionId,
              networkInterfaceId: eniId,
              ...(byPrefix ? { ipv4PrefixCount: 1 } : { secondaryPrivateIpAddressCount: 1 }),
            }),
          ),
        );
        if (r.kind === 'ok') {
          const set = r.value.body!.assignedPrivateIpAddressesSet!;
          t.acks.assignedIps.push({ eniId, ips: set.privateIpSet!.privateIpAddress! });
          t.acks.assignedPrefixes!.push({ eniId, prefixes: set.ipv4PrefixSet?.ipv4Prefixes ?? [] });
        }
      }
    }
  }

  /** IPv6 addresses and /80 prefixes assigned (by count and by name, the names shared by every worker) and unassigned on four ENIs. */
  async function ipv6Worker() {
    for (let op = 0; op < 10; op++) {
      const eniId = pick(v6Enis)!;
      const roll = random(5);
      if (roll === 4) {
        const mine = v6Acks.filter((a) => a.eniId === eniId && (a.addresses.length || a.prefixes.length));
        const ack = pick(mine);
        if (!ack) continue;
        const release = { addresses: ack.addresses.slice(0, 1), prefixes: ack.addresses.length ? [] : ack.prefixes.slice(0, 1) };
        // Whatever the answer, these are no longer promised to be there.
        ack.addresses = ack.addresses.filter((x) => !release.addresses.includes(x));
        ack.prefixes = ack.prefixes.filter((x) => !release.prefixes.includes(x));
        await t.call('UnassignIpv6Addresses', ({ ecs }) =>
          ecs.unassignIpv6Addresses(
            new $Ecs.UnassignIpv6AddressesRequest({ regionId, networkInterfaceId: eniId, ipv6Address: release.addresses, ipv6Prefix: release.prefixes }),
          ),
        );
        continue;
      }
      const request =
        roll === 0
          ? { ipv6AddressCount: 1 + random(2) }
          : roll === 1
            ? { ipv6PrefixCount: 1 }
            : roll === 2
              ? { ipv6Address: [v6Named(`0:0:0:${1 + random(3)}`)] }
              : { ipv6Prefix: [v6Named(`${1 + random(3)}::/80`)] };
      const r = await t.call('AssignIpv6Addresses', ({ ecs }) =>
        ecs.assignIpv6Addresses(new $Ecs.AssignIpv6AddressesRequest({ regionId, networkInterfaceId: eniId, ...request })),
      );
      // A named address or prefix another ENI won: the race reached the uniqueness rule.
      if (r.kind === 'refused' && r.code === 'InvalidIp.IpAssigned') reached.ipv6Contended = true;
      if (r.kind === 'ok') {
        v6Acks.push({ eniId, addresses: r.value.body!.ipv6Sets?.ipv6Address ?? [], prefixes: r.value.body!.ipv6PrefixSets?.ipv6Prefix ?? [] });
      }
    }
  }

  /** Attaches of ten ENIs to one instance that takes two, mixed with assignments to the same ENIs. */
  async function attachWorker() {
    for (let op = 0; op < 8; op++) {
      const eniId = pick(candidates)!;
      if (random(10) < 7) {
        const r = await t.call('AttachNetworkInterface quota', ({ ecs }) =>
          ecs.attachNetworkInterface(new $Ecs.AttachNetworkInterfaceRequest({ regionId, instanceId: attachTarget, networkInterfaceId: eniId })),
        );
        if (r.kind === 'ok') t.acks.attached.push({ eniId, instanceId: attachTarget });
      } else {
        const r = await t.call('AssignPrivateIpAddresses attach', ({ ecs }) =>
          ecs.assignPrivateIpAddresses(
            new $Ecs.AssignPrivateIpAddressesRequest({ regionId, networkInterfaceId: eniId, secondaryPrivateIpAddressCount: 1 + random(3) }),
          ),
        );
        if (r.kind === 'ok') t.acks.assignedIps.push({ eniId, ips: r.value.body!.assignedPrivateIpAddressesSet!.privateIpSet!.privateIpAddress! });
      }
    }
  }

  /** Members racing for the trunk's member slots; one client in four races the rival trunks for the other node's trunk slot. */
  async function trunkWorker(w: number) {
    if (w % 4 === 3) {
      await Promise.all(
        rivalTrunks.map(async (eniId) => {
          const r = await t.call('AttachNetworkInterface rival trunk', ({ ecs }) =>
            ecs.attachNetworkInterface(new $Ecs.AttachNetworkInterfaceRequest({ regionId, instanceId: rivalNode, networkInterfaceId: eniId })),
          );
          if (r.kind === 'ok') t.acks.attached.push({ eniId, instanceId: rivalNode });
        }),
      );
      return;
    }
    for (let op = 0; op < 4; op++) {
      const eniId = pick(memberCandidates)!;
      const r = await t.call('AttachNetworkInterface member', ({ ecs }) =>
        ecs.attachNetworkInterface(
          new $Ecs.AttachNetworkInterfaceRequest({ regionId, instanceId: trunkNode, networkInterfaceId: eniId, trunkNetworkInstanceId: trunkId }),
        ),
      );
      if (r.kind === 'ok') t.acks.attached.push({ eniId, instanceId: trunkNode });
    }
  }

  /** The same ENIs attached to two instances at once: each may land on one only. */
  async function doubleWorker(w: number) {
    const instanceId = w % 2 === 0 ? left : right;
    await Promise.all(
      doubles.map(async (eniId) => {
        const r = await t.call('AttachNetworkInterface double', ({ ecs }) =>
          ecs.attachNetworkInterface(new $Ecs.AttachNetworkInterfaceRequest({ regionId, instanceId, networkInterfaceId: eniId })),
        );
        if (r.kind === 'ok') t.acks.attached.push({ eniId, instanceId });
      }),
    );
  }

  /** Shared ClientTokens: mostly the same parameters, some different ones (a mismatch). */
  async function tokenWorker(w: number) {
    const variant = w % 4 === 3 ? 'b' : 'a';
    for (const f of [0, 1, 2, 3].sort(() => Math.random() - 0.5)) {
      const token = `token-${runId}-${f}`;
      const r = await t.call('CreateNetworkInterface token', ({ ecs }) =>
        ecs.createNetworkInterface(
          eniRequest(attachVsw, mainGroup, { clientToken: token, networkInterfaceName: tokenNames[f], description: `variant ${variant}` }),
        ),
      );
      if (r.kind === 'ok') {
        t.acks.tokenCalls.push({ token, name: tokenNames[f]!, variant, eniId: r.value.body!.networkInterfaceId! });
        t.acks.createdEnis.push({ eniId: r.value.body!.networkInterfaceId!, ips: ipsOf(r.value.body) });
      } else if (r.kind === 'refused') t.acks.tokenCalls.push({ token, name: tokenNames[f]!, variant, code: r.code });
    }
  }

  /**
   * Bursts: `n` calls sent at the same moment, again and again until one is refused with `code`.
   * A quota's check-then-insert race only shows when requests really overlap at its boundary.
   */
  async function burstUntil(n: number, code: string, flag: keyof typeof reached, call: (k: number) => Promise<Outcome<unknown>>) {
    for (let round = 0; round < 40 && !reached[flag]; round++) {
      const outcomes = await Promise.all(Array.from({ length: n }, (_, k) => call(k)));
      if (outcomes.some((o) => o.kind === 'refused' && o.code === code)) reached[flag] = true;
    }
  }

  async function vpcQuotaBursts() {
    await burstUntil(12, 'QuotaExceeded.Vpc', 'vpcQuota', async () => {
      const r = await t.call('CreateVpc', ({ vpc }) => vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId, cidrBlock: '172.16.0.0/16' })));
      if (r.kind === 'ok') t.acks.createdVpcs.push(r.value.body!.vpcId!);
      return r;
    });
  }

  async function groupQuotaBursts() {
    const vpcs = [vpcId, ...spareVpcs];
    await burstUntil(16, 'QuotaExceed.SecurityGroup', 'groupQuota', async (k) => {
      const r = await t.call('CreateSecurityGroup', ({ ecs }) =>
        ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId, vpcId: vpcs[k % vpcs.length] })),
      );
      if (r.kind === 'ok') t.acks.createdGroups.push(r.value.body!.securityGroupId!);
      return r;
    });
  }

  /** The second account's ENI quota: new ENIs (two addresses each) in four lock domains at once. */
  async function eniQuotaBursts() {
    const q = quota!;
    await burstUntil(16, 'MaxEniCountExceeded', 'eniQuota', async (k) => {
      const domain = q.domains[k % q.domains.length]!;
      const r = await t.call(
        'CreateNetworkInterface quota',
        ({ ecs }) => ecs.createNetworkInterface(eniRequest(domain.vSwitchId, domain.groupId, { secondaryPrivateIpAddressCount: 1 })),
        { key: q.key },
      );
      if (r.kind === 'ok') {
        if (domain.groupId === q.groupId) q.enis.push(r.value.body!.networkInterfaceId!);
        t.acks.createdEnis.push({ eniId: r.value.body!.networkInterfaceId!, ips: ipsOf(r.value.body) });
      }
      return r;
    });
  }

  /** Assignments of 1-3 addresses to the group's ENIs until it refuses even one: it then holds exactly 2,000. */
  async function groupIpWorker() {
    const q = quota!;
    for (let op = 0; op < 150 && !reached.groupIpQuota; op++) {
      const eniId = pick(q.enis)!;
      const count = 1 + random(3);
      const r = await t.call(
        'AssignPrivateIpAddresses group',
        ({ ecs }) =>
          ecs.assignPrivateIpAddresses(
            new $Ecs.AssignPrivateIpAddressesRequest({ regionId, networkInterfaceId: eniId, secondaryPrivateIpAddressCount: count }),
          ),
        { key: q.key },
      );
      if (r.kind === 'ok') t.acks.assignedIps.push({ eniId, ips: r.value.body!.assignedPrivateIpAddressesSet!.privateIpSet!.privateIpAddress! });
      else if (r.kind === 'refused' && r.code === 'SecurityGroupInstanceLimitExceed' && count === 1) reached.groupIpQuota = true;
    }
  }

  /**
   * Deletes an ENI of the churn vSwitch, creates one there (refused until a deletion is done and
   * its addresses come back), and lists the vSwitch on some replica: no address on two ENIs.
   */
  async function churnWorker() {
    for (let op = 0; op < 12; op++) {
      const victim = churnEnis.splice(random(churnEnis.length), 1)[0];
      if (victim) {
        const r = await t.call('DeleteNetworkInterface churn', ({ ecs }) =>
          ecs.deleteNetworkInterface(new $Ecs.DeleteNetworkInterfaceRequest({ regionId, networkInterfaceId: victim })),
        );
        if (r.kind === 'ok') churn.deleted++;
      }
      const c = await t.call('CreateNetworkInterface churn', ({ ecs }) =>
        ecs.createNetworkInterface(eniRequest(churnVsw, mainGroup, { secondaryPrivateIpAddressCount: 2 })),
      );
      if (c.kind === 'ok') {
        churnEnis.push(c.value.body!.networkInterfaceId!);
        churn.recreated++;
      }
      const l = await t.call('DescribeNetworkInterfaces churn', ({ ecs }) =>
        ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId, vSwitchId: churnVsw, maxResults: 100 })),
      );
      if (l.kind === 'ok') {
        const owners = new Map<string, string[]>();
        for (const e of l.value.body!.networkInterfaceSets!.networkInterfaceSet!) {
          for (const ip of new Set((e.privateIpSets?.privateIpSet ?? []).map((p) => p.privateIpAddress!).concat(e.privateIpAddress!)))
            owners.set(ip, [...(owners.get(ip) ?? []), `${e.networkInterfaceId} (${e.status})`]);
        }
        for (const [ip, ids] of owners) if (ids.length > 1) churn.doubleListings.push(`replica ${l.replica} lists ${ip} on ${ids.join(', ')}`);
      }
      await sleep(random(120));
    }
  }

  // 64 clients. Without the quota race, its 20 clients join the other roles.
  const roles: (() => Promise<void>)[] = [];
  const add = (n: number, f: (w: number) => Promise<void>) => {
    for (let w = 0; w < n; w++) roles.push(() => f(w));
  };
  const q = opts.quotaRace;
  add(q ? 6 : 12, smallWorker);
  add(4, prefixWorker);
  add(4, ipv6Worker);
  add(q ? 4 : 12, attachWorker);
  add(4, trunkWorker);
  add(q ? 4 : 6, doubleWorker);
  add(q ? 8 : 12, tokenWorker);
  add(2, churnWorker);
  // Bursts of 12 and 16 clients, and in the second account 16 more and 12 steady ones.
  roles.push(vpcQuotaBursts, groupQuotaBursts);
  if (q) {
    roles.push(eniQuotaBursts);
    add(12, groupIpWorker);
  }

  let orphan: ScenarioFacts['orphanAttach'];
  async function chaos() {
    const victim = opts.victim;
    if (victim === undefined) return;
    // Midway: once the race is well under way (or over, on a very fast machine).
    while (t.calls < 250 && !raceOver) await sleep(10);
    const r = await t.call(
      'AttachNetworkInterface orphan',
      ({ ecs }) => ecs.attachNetworkInterface(new $Ecs.AttachNetworkInterfaceRequest({ regionId, instanceId: orphanTarget, networkInterfaceId: orphanEni })),
      { replica: victim },
    );
    if (r.kind !== 'ok') throw new Error(`the victim replica did not accept the orphan attach: ${JSON.stringify(r)}`);
    t.acks.attached.push({ eniId: orphanEni, instanceId: orphanTarget });
    await nonceTrial(t, fleet, fleet.live(), 2);
    t.acks.killedReplicas.push(victim);
    await fleet.kill(victim);
    const rightAfterKill = await Promise.all(fleet.live().map((i) => eniStatus(t, i, orphanEni)));
    orphan = { eniId: orphanEni, instanceId: orphanTarget, rightAfterKill: rightAfterKill.map((s) => s.status), settled: [] };
  }

  let raceOver = false;
  const chaosDone = chaos();
  await Promise.all(roles.map((r) => r()));
  raceOver = true;
  await chaosDone;
  for (let i = 0; i < 3; i++) await nonceTrial(t, fleet, fleet.live(), 2);

  // Let every accepted attach come due, then ask each survivor how the victim's one settled.
  await sleep(opts.attachDelayMs + 100);
  if (orphan) orphan.settled = await Promise.all(fleet.live().map((i) => eniStatus(t, i, orphan!.eniId)));

  return {
    keys: quota ? [TEST_KEY, quota.key] : [TEST_KEY],
    smallVSwitchId: smallVsw,
    prefixVSwitchId: prefixVsw,
    ipv6VSwitchId: v6Vsw,
    attachInstanceId: attachTarget,
    doubleAttachEnis: doubles,
    tokenNames,
    quotaGroupId: quota?.groupId,
    quotaAccountKey: quota?.key,
    orphanAttach: orphan,
    reached,
    churn,
    trunkRace: { node: trunkNode, trunkId, rivalNode, rivalTrunks },
  };
}

async function eniStatus(t: Traffic, replica: number, networkInterfaceId: string): Promise<{ status: string; instanceId: string }> {
  const body = await t.must(
    'DescribeNetworkInterfaceAttribute',
    ({ ecs }) => ecs.describeNetworkInterfaceAttribute(new $Ecs.DescribeNetworkInterfaceAttributeRequest({ regionId, networkInterfaceId })),
    { replica },
  );
  return { status: body.body!.status!, instanceId: body.body!.instanceId ?? '' };
}
