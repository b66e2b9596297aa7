import { Type } from '@sinclair/typebox';
import { instanceTypes, type InstanceTypeSpec } from '../../domain/instance-types.ts';
import { nextTokenFor, tokenWindow } from '../../domain/paging.ts';
import { defineAction } from '../define-action.ts';
import { RepeatList } from '../params.ts';
import { B, N, Obj, S, Wrap } from '../schema-helpers.ts';

/**
 * One element of DescribeInstanceTypes ([ECS-SDK] DescribeInstanceTypesResponseBody). Every ENI
 * field is present. Fields eniplane knows nothing about for a type (network bandwidth and PPS,
 * disk counts, CPU clock, credits, processor model, boot modes) are left out, as the cloud
 * leaves out what does not apply, rather than invented.
 */
const InstanceTypeItem = Obj({
  InstanceTypeId: S,
  InstanceTypeFamily: S,
  InstanceCategory: S,
  InstanceFamilyLevel: S,
  CpuCoreCount: N,
  MemorySize: N,
  CpuArchitecture: S,
  EniQuantity: N,
  EniPrivateIpAddressQuantity: N,
  EniIpv6AddressQuantity: N,
  EniTotalQuantity: N,
  EniTrunkSupported: B,
  EriQuantity: N,
  QueuePairNumber: N,
  PrimaryEniQueueNumber: N,
  SecondaryEniQueueNumber: N,
  MaximumQueueNumberPerEni: N,
  TotalEniQueueQuantity: N,
  NetworkCardQuantity: N,
  NetworkCards: Wrap('NetworkCardInfo', Obj({ NetworkCardIndex: N })),
  GPUAmount: N,
  GPUSpec: S,
  GPUMemorySize: N,
  LocalStorageAmount: N,
  LocalStorageCapacity: N,
  LocalStorageCategory: S,
});

/**
 * EniTotalQuantity and EniTrunkSupported are the catalog's: recorded where a DescribeInstanceTypes
 * record gives them, else EniTotalQuantity = EniQuantity and no trunk (conservative; the row's
 * source says which). DIVERGENCE: eniplane does not model elastic RDMA interfaces, so EriQuantity
 * is the catalog's (recorded for ecs.g8a.xlarge; 0 elsewhere). TotalEniQueueQuantity is derived as
 * MaximumQueueNumberPerEni × EniQuantity (true of the recorded ecs.g7.xlarge: 4 × 4 = 16).
 * NetworkCardQuantity 0 with one card index 0 is what the recorded ecs.g7.xlarge answers.
 */
function instanceTypeItem(t: InstanceTypeSpec) {
  return {
    InstanceTypeId: t.instanceTypeId,
    InstanceTypeFamily: t.family,
    InstanceCategory: t.category,
    InstanceFamilyLevel: t.familyLevel,
    CpuCoreCount: t.cpuCoreCount,
    MemorySize: t.memorySize,
    CpuArchitecture: t.cpuArchitecture,
    EniQuantity: t.eniQuantity,
    EniPrivateIpAddressQuantity: t.eniPrivateIpAddressQuantity,
    EniIpv6AddressQuantity: t.eniIpv6AddressQuantity,
    EniTotalQuantity: t.eniTotalQuantity,
    EniTrunkSupported: t.eniTrunkSupported,
    EriQuantity: t.eriQuantity ?? 0,
    QueuePairNumber: 0,
    PrimaryEniQueueNumber: t.primaryEniQueueNumber,
    SecondaryEniQueueNumber: t.secondaryEniQueueNumber,
    MaximumQueueNumberPerEni: t.maximumQueueNumberPerEni,
    TotalEniQueueQuantity: t.maximumQueueNumberPerEni * t.eniQuantity,
    NetworkCardQuantity: 0,
    NetworkCards: { NetworkCardInfo: [{ NetworkCardIndex: 0 }] },
    // No catalog family has GPUs or local disks.
    GPUAmount: 0,
    GPUSpec: '',
    GPUMemorySize: 0,
    LocalStorageAmount: 0,
    LocalStorageCapacity: 0,
    LocalStorageCategory: '',
  };
}

const atLeast = (value: number, min: number | undefined) => min === undefined || value >= min;
const atMost = (value: number, max: number | undefined) => max === undefined || value <= max;

export const describeInstanceTypes = defineAction({
  product: 'Ecs',
  name: 'DescribeInstanceTypes',
  summary:
    "List instance types of eniplane's catalog with their ENI limits, by InstanceTypes.N (up to 10), family, category, level, architecture, CPU, memory, ENI and queue minimums; NextToken/MaxResults (at most 100).",
  readOnly: true,
  pure: true,
  params: Type.Object({
    InstanceTypes: Type.Optional(RepeatList(Type.String(), 10)),
    InstanceTypeFamily: Type.Optional(Type.String()),
    InstanceTypeFamilies: Type.Optional(RepeatList(Type.String(), 10)),
    InstanceCategory: Type.Optional(Type.String()),
    InstanceCategories: Type.Optional(RepeatList(Type.String(), 10)),
    InstanceFamilyLevel: Type.Optional(Type.String()),
    CpuArchitecture: Type.Optional(Type.String()),
    CpuArchitectures: Type.Optional(RepeatList(Type.String(), 2)),
    MinimumCpuCoreCount: Type.Optional(Type.Integer()),
    MaximumCpuCoreCount: Type.Optional(Type.Integer()),
    MinimumMemorySize: Type.Optional(Type.Number()),
    MaximumMemorySize: Type.Optional(Type.Number()),
    MinimumEniQuantity: Type.Optional(Type.Integer()),
    MinimumEniPrivateIpAddressQuantity: Type.Optional(Type.Integer()),
    MinimumEniIpv6AddressQuantity: Type.Optional(Type.Integer()),
    MinimumPrimaryEniQueueNumber: Type.Optional(Type.Integer()),
    MinimumSecondaryEniQueueNumber: Type.Optional(Type.Integer()),
    NextToken: Type.Optional(Type.String()),
    MaxResults: Type.Optional(Type.Integer()),
  }),
  result: Obj({ NextToken: S, InstanceTypes: Wrap('InstanceType', InstanceTypeItem) }),
  errors: [],
  async handler(p) {
    // A type or family the catalog does not know matches nothing: these are filters, as on the cloud.
    const matches = instanceTypes.filter(
      (t) =>
        (!p.InstanceTypes?.length || p.InstanceTypes.includes(t.instanceTypeId)) &&
        (p.InstanceTypeFamily === undefined || t.family === p.InstanceTypeFamily) &&
        (!p.InstanceTypeFamilies?.length || p.InstanceTypeFamilies.includes(t.family)) &&
        (p.InstanceCategory === undefined || t.category === p.InstanceCategory) &&
        (!p.InstanceCategories?.length || p.InstanceCategories.includes(t.category)) &&
        (p.InstanceFamilyLevel === undefined || t.familyLevel === p.InstanceFamilyLevel) &&
        (p.CpuArchitecture === undefined || t.cpuArchitecture === p.CpuArchitecture) &&
        (!p.CpuArchitectures?.length || p.CpuArchitectures.includes(t.cpuArchitecture)) &&
        atLeast(t.cpuCoreCount, p.MinimumCpuCoreCount) &&
        atMost(t.cpuCoreCount, p.MaximumCpuCoreCount) &&
        atLeast(t.memorySize, p.MinimumMemorySize) &&
        atMost(t.memorySize, p.MaximumMemorySize) &&
        atLeast(t.eniQuantity, p.MinimumEniQuantity) &&
        atLeast(t.eniPrivateIpAddressQuantity, p.MinimumEniPrivateIpAddressQuantity) &&
        atLeast(t.eniIpv6AddressQuantity, p.MinimumEniIpv6AddressQuantity) &&
        atLeast(t.primaryEniQueueNumber, p.MinimumPrimaryEniQueueNumber) &&
        atLeast(t.secondaryEniQueueNumber, p.MinimumSecondaryEniQueueNumber),
    );
    // [ECS-SDK] note: MaxResults is at most 100 since 2023-11-15 (1600 before); without NextToken
    // the first page of up to 100 is returned. A larger MaxResults is served as 100 (inferred).
    const window = tokenWindow(p.NextToken || undefined, p.MaxResults, { min: 1, max: 100, def: 100 });
    const page = matches.slice(window.offset, window.offset + window.limit);
    return {
      NextToken: nextTokenFor(window.offset, window.limit, page.length, matches.length),
      InstanceTypes: { InstanceType: page.map(instanceTypeItem) },
    };
  },
});
