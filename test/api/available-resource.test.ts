import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as $Ecs from '@alicloud/ecs20140526';
import { SYSTEM_DISK_CATEGORIES } from '../../src/domain/instance-inputs.ts';
import { instanceTypes } from '../../src/domain/instance-types.ts';
import { findRegion } from '../../src/domain/regions.ts';
import { ecsClient } from '../helpers/clients.ts';
import { expectApiError } from '../helpers/expect-error.ts';
import { callV1 } from '../helpers/raw-client.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const region = 'cn-hangzhou';
const zoneIds = findRegion(region)!.zones.map((z) => z.zoneId);
const g7 = instanceTypes.find((t) => t.instanceTypeId === 'ecs.g7.xlarge')!;

describe('DescribeAvailableResource through the official ECS SDK', () => {
  let server: RunningServer;
  let ecs: ReturnType<typeof ecsClient>;
  before(async () => {
    server = await startServer();
    ecs = ecsClient(server);
  });
  after(() => server.dispose());

  const ask = (extra: Partial<$Ecs.DescribeAvailableResourceRequest>) =>
    ecs.describeAvailableResource(new $Ecs.DescribeAvailableResourceRequest({ regionId: region, ...extra }));
  const zonesOf = async (extra: Partial<$Ecs.DescribeAvailableResourceRequest>) => (await ask(extra)).body!.availableZones!.availableZone!;
  /** The values listed for one zone, with the resource Type checked. */
  const valuesIn = (zone: $Ecs.DescribeAvailableResourceResponseBodyAvailableZonesAvailableZone, type: string) => {
    const resources = zone.availableResources!.availableResource!;
    assert.equal(resources.length, 1);
    assert.equal(resources[0]!.type, type);
    return resources[0]!.supportedResources!.supportedResource!;
  };

  test('DescribeAvailableResource: DestinationResource=Zone lists every zone of the region, Available WithStock, each naming itself', async () => {
    const zones = await zonesOf({ destinationResource: 'Zone', ioOptimized: 'optimized' });
    assert.deepEqual(
      zones.map((z) => z.zoneId),
      zoneIds,
    );
    for (const z of zones) {
      assert.equal(z.regionId, region);
      assert.equal(z.status, 'Available');
      assert.equal(z.statusCategory, 'WithStock');
      const values = valuesIn(z, 'Zone');
      assert.deepEqual(
        values.map((v) => [v.value, v.status, v.statusCategory]),
        [[z.zoneId, 'Available', 'WithStock']],
      );
      assert.equal(values[0]!.min, undefined);
      assert.equal(values[0]!.unit, undefined);
    }
  });

  test('DescribeAvailableResource: DestinationResource=InstanceType lists the catalog in each zone; InstanceType, Cores and Memory filter it', async () => {
    const all = await zonesOf({ destinationResource: 'InstanceType' });
    assert.equal(all.length, zoneIds.length);
    for (const z of all)
      assert.deepEqual(
        valuesIn(z, 'InstanceType').map((v) => v.value),
        instanceTypes.map((t) => t.instanceTypeId),
      );

    const one = await zonesOf({ destinationResource: 'InstanceType', zoneId: 'cn-hangzhou-h', instanceType: g7.instanceTypeId });
    assert.deepEqual(
      one.map((z) => z.zoneId),
      ['cn-hangzhou-h'],
    );
    assert.deepEqual(
      valuesIn(one[0]!, 'InstanceType').map((v) => v.value),
      [g7.instanceTypeId],
    );

    const sized = await zonesOf({ destinationResource: 'InstanceType', cores: g7.cpuCoreCount, memory: g7.memorySize });
    const expected = instanceTypes.filter((t) => t.cpuCoreCount === g7.cpuCoreCount && t.memorySize === g7.memorySize).map((t) => t.instanceTypeId);
    assert.ok(expected.includes(g7.instanceTypeId));
    assert.deepEqual(
      valuesIn(sized[0]!, 'InstanceType').map((v) => v.value),
      expected,
    );

    // A type or size the catalog does not have: no zone at all, as the cloud answers a type not sold in the region.
    assert.deepEqual(await zonesOf({ destinationResource: 'InstanceType', instanceType: 'ecs.nothing.large' }), []);
    assert.deepEqual(await zonesOf({ destinationResource: 'Zone', instanceType: 'ecs.nothing.large' }), []);
    assert.deepEqual(await zonesOf({ destinationResource: 'InstanceType', cores: 1024 }), []);
    assert.deepEqual(await zonesOf({ destinationResource: 'Zone', zoneId: 'cn-hangzhou-z' }), []);
  });

  test('DescribeAvailableResource: SystemDisk lists the categories RunInstances accepts with its size bounds in GiB; SystemDiskCategory filters them', async () => {
    const zones = await zonesOf({ destinationResource: 'SystemDisk', resourceType: 'instance', instanceType: g7.instanceTypeId, zoneId: 'cn-hangzhou-i' });
    assert.deepEqual(
      zones.map((z) => z.zoneId),
      ['cn-hangzhou-i'],
    );
    const disks = valuesIn(zones[0]!, 'SystemDisk');
    assert.deepEqual(
      disks.map((d) => d.value),
      [...SYSTEM_DISK_CATEGORIES],
    );
    for (const d of disks) assert.deepEqual([d.min, d.max, d.unit, d.status], [20, 2048, 'GiB', 'Available']);

    const essd = await zonesOf({ destinationResource: 'SystemDisk', systemDiskCategory: 'cloud_essd' });
    assert.deepEqual(
      valuesIn(essd[0]!, 'SystemDisk').map((d) => d.value),
      ['cloud_essd'],
    );
    // A category the cloud has but RunInstances refuses (local disks): nothing, whatever the destination.
    assert.deepEqual(await zonesOf({ destinationResource: 'SystemDisk', systemDiskCategory: 'ephemeral_ssd' }), []);
    assert.deepEqual(await zonesOf({ destinationResource: 'Zone', systemDiskCategory: 'ephemeral_ssd' }), []);
  });

  test('DescribeAvailableResource: IoOptimized and Network answer optimized and vpc; none, classic and data disks are valid questions answered with nothing', async () => {
    const io = await zonesOf({ destinationResource: 'IoOptimized' });
    assert.equal(io.length, zoneIds.length);
    assert.deepEqual(
      valuesIn(io[0]!, 'IoOptimized').map((v) => v.value),
      ['optimized'],
    );
    const net = await zonesOf({ destinationResource: 'Network', zoneId: 'cn-hangzhou-b' });
    assert.deepEqual(
      valuesIn(net[0]!, 'Network').map((v) => v.value),
      ['vpc'],
    );
    assert.equal(
      (await zonesOf({ destinationResource: 'Zone', networkCategory: 'vpc', instanceChargeType: 'PostPaid', spotStrategy: 'NoSpot' })).length,
      zoneIds.length,
    );

    assert.deepEqual(await zonesOf({ destinationResource: 'Zone', ioOptimized: 'none' }), []);
    assert.deepEqual(await zonesOf({ destinationResource: 'Network', networkCategory: 'classic' }), []);
    // RunInstances refuses DataDisk.N: no data disk can be created anywhere.
    assert.deepEqual(
      await zonesOf({ destinationResource: 'DataDisk', resourceType: 'instance', instanceType: g7.instanceTypeId, dataDiskCategory: 'cloud_essd' }),
      [],
    );
    assert.deepEqual(await zonesOf({ destinationResource: 'DataDisk' }), []);
    assert.deepEqual(await zonesOf({ destinationResource: 'Zone', dataDiskCategory: 'cloud_ssd' }), []);
  });

  test("DescribeAvailableResource: bad values get the cloud's codes; Cores and Memory only for InstanceType and never with it", async () => {
    await expectApiError(ask({}), 'Invalid.Param', 400);
    await expectApiError(ask({ destinationResource: 'Disk' }), 'Invalid.DestinationResource', 404);
    await expectApiError(ask({ destinationResource: 'Zone', ioOptimized: 'fast' }), 'Invalid.IoOptimized', 404);
    await expectApiError(ask({ destinationResource: 'Zone', networkCategory: 'vlan' }), 'Invalid.NetworkCategory', 404);
    await expectApiError(ask({ destinationResource: 'Zone', resourceType: 'vm' }), 'Invalid.ResourceType', 404);
    await expectApiError(ask({ destinationResource: 'Zone', instanceChargeType: 'Free' }), 'Invalid.InstanceChargeType', 400);
    await expectApiError(ask({ destinationResource: 'Zone', spotStrategy: 'Cheap' }), 'Invalid.SpotStrategy', 404);
    await expectApiError(ask({ destinationResource: 'Zone', cores: 4 }), 'InvalidParam.Cores', 403);
    await expectApiError(ask({ destinationResource: 'SystemDisk', memory: 16 }), 'InvalidParam.Memory', 403);
    await expectApiError(ask({ destinationResource: 'InstanceType', instanceType: g7.instanceTypeId, cores: 4 }), 'InvalidParam.TypeAndCpuMem.Conflict', 403);
    await expectApiError(ecs.describeAvailableResource(new $Ecs.DescribeAvailableResourceRequest({ destinationResource: 'Zone' })), 'MissingParameter', 400);
  });

  test('DescribeAvailableResource: what eniplane cannot create is refused with UnsupportedParameter, naming it', async () => {
    const cases: [Partial<$Ecs.DescribeAvailableResourceRequest>, RegExp][] = [
      [{ destinationResource: 'ddh' }, /DestinationResource=ddh/],
      [{ destinationResource: 'Zone', instanceChargeType: 'PrePaid' }, /InstanceChargeType=PrePaid/],
      [{ destinationResource: 'Zone', spotStrategy: 'SpotAsPriceGo' }, /SpotStrategy=SpotAsPriceGo/],
      [{ destinationResource: 'DataDisk', resourceType: 'disk' }, /ResourceType=disk/],
      [{ destinationResource: 'Zone', dedicatedHostId: 'dh-bp165p6xk2tlw61e0000' }, /DedicatedHostId/],
      [{ destinationResource: 'Zone', scope: 'Region' }, /Scope/],
    ];
    for (const [extra, naming] of cases) {
      const e = await expectApiError(ask(extra), 'UnsupportedParameter', 400);
      assert.match(e.message, naming);
    }
  });

  test('DescribeAvailableResource: the XML envelope carries the same lists (signature V1, Format=XML)', async () => {
    const res = await callV1(
      server.endpoint,
      'DescribeAvailableResource',
      '2014-05-26',
      { RegionId: region, DestinationResource: 'Network', ZoneId: 'cn-hangzhou-k' },
      { format: 'XML' },
    );
    assert.equal(res.status, 200);
    assert.match(res.text, /<AvailableZone>[\s\S]*<ZoneId>cn-hangzhou-k<\/ZoneId>/);
    assert.match(res.text, /<SupportedResource>[\s\S]*<Value>vpc<\/Value>/);
  });
});
