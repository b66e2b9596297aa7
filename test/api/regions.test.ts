import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as $Ecs from '@alicloud/ecs20140526';
import { SYSTEM_DISK_CATEGORIES } from '../../src/domain/instance-inputs.ts';
import { instanceTypes } from '../../src/domain/instance-types.ts';
import { regions } from '../../src/domain/regions.ts';
import { ecsClient, popClient } from '../helpers/clients.ts';
import { expectApiError } from '../helpers/expect-error.ts';
import { callV1, callV3 } from '../helpers/raw-client.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

describe('ECS DescribeRegions and DescribeZones through the official ECS SDK', () => {
  let server: RunningServer;
  let ecs: ReturnType<typeof ecsClient>;
  before(async () => {
    server = await startServer();
    ecs = ecsClient(server);
  });
  after(() => server.dispose());

  const describeRegions = (extra: Partial<$Ecs.DescribeRegionsRequest> = {}) => ecs.describeRegions(new $Ecs.DescribeRegionsRequest(extra));
  const describeZones = (extra: Partial<$Ecs.DescribeZonesRequest> = {}) =>
    ecs.describeZones(new $Ecs.DescribeZonesRequest({ regionId: 'cn-hangzhou', ...extra }));

  test('DescribeRegions: lists every catalog region, in Chinese by default, available, with the ECS endpoint', async () => {
    const res = await describeRegions();
    const list = res.body!.regions!.region!;
    assert.deepEqual(
      list.map((r) => r.regionId),
      regions.map((r) => r.regionId),
    );
    const hz = list.find((r) => r.regionId === 'cn-hangzhou')!;
    assert.equal(hz.localName, '华东1（杭州）');
    assert.equal(hz.status, 'available');
    // Central-endpoint regions answer on ecs.aliyuncs.com, the others on their regional endpoint.
    assert.equal(hz.regionEndpoint, 'ecs.aliyuncs.com');
    assert.equal(list.find((r) => r.regionId === 'cn-zhangjiakou')!.regionEndpoint, 'ecs.cn-zhangjiakou.aliyuncs.com');
    assert.equal(list.find((r) => r.regionId === 'eu-central-1')!.regionEndpoint, 'ecs.eu-central-1.aliyuncs.com');
  });

  test('DescribeRegions: AcceptLanguage en-US (any case) answers in English', async () => {
    const list = (await describeRegions({ acceptLanguage: 'en-us' })).body!.regions!.region!;
    assert.equal(list.find((r) => r.regionId === 'cn-hangzhou')!.localName, 'China (Hangzhou)');
    assert.equal(list.find((r) => r.regionId === 'ap-southeast-1')!.localName, 'Singapore');
  });

  test('DescribeRegions: an unknown language is refused; a cloud language the catalog lacks is refused by name, never replaced', async () => {
    await expectApiError(describeRegions({ acceptLanguage: 'xx-YY' }), 'InvalidAcceptLanguage.NotFound', 404);
    const e = await expectApiError(describeRegions({ acceptLanguage: 'ko' }), 'InvalidAcceptLanguage.NotFound', 404);
    assert.match(e.message, /eniplane's region catalog/);
  });

  test('DescribeRegions: ResourceType instance (any case) and PostPaid/PrePaid are accepted; other types and spot are refused naming eniplane', async () => {
    assert.equal((await describeRegions({ resourceType: 'Instance', instanceChargeType: 'PrePaid' })).body!.regions!.region!.length, regions.length);
    assert.equal((await describeRegions({ resourceType: 'instance', instanceChargeType: 'PostPaid' })).body!.regions!.region!.length, regions.length);
    const disk = await expectApiError(describeRegions({ resourceType: 'disk' }), 'InvalidResourceType.NotFound', 404);
    assert.match(disk.message, /eniplane does not model/);
    await expectApiError(describeRegions({ resourceType: 'bucket' }), 'InvalidResourceType.NotFound', 404);
    const spot = await expectApiError(describeRegions({ instanceChargeType: 'SpotAsPriceGo' }), 'InvalidInstanceChargeType.NotFound', 404);
    assert.match(spot.message, /spot/);
    await expectApiError(describeRegions({ instanceChargeType: 'Monthly' }), 'InvalidInstanceChargeType.NotFound', 404);
  });

  test('DescribeRegions: the legacy pop-core client gets the same list (GET, V1)', async () => {
    const res = (await popClient(server, 'ecs').request('DescribeRegions', { AcceptLanguage: 'en-US' })) as {
      Regions: { Region: { RegionId: string; LocalName: string }[] };
    };
    assert.equal(res.Regions.Region.length, regions.length);
    assert.equal(res.Regions.Region.find((r) => r.RegionId === 'cn-beijing')!.LocalName, 'China (Beijing)');
  });

  test("DescribeZones: the region's zones with their names, ZoneType and every list wrapper as an array", async () => {
    const zones = (await describeZones({ acceptLanguage: 'en-US' })).body!.zones!.zone!;
    const catalog = regions.find((r) => r.regionId === 'cn-hangzhou')!.zones;
    assert.deepEqual(
      zones.map((z) => z.zoneId),
      catalog.map((z) => z.zoneId),
    );
    const i = zones.find((z) => z.zoneId === 'cn-hangzhou-i')!;
    assert.equal(i.localName, catalog.find((z) => z.zoneId === 'cn-hangzhou-i')!.localName['en-US']);
    assert.equal(i.zoneType, 'AvailabilityZone');
    assert.deepEqual(i.availableResourceCreation!.resourceTypes, ['VSwitch', 'IoOptimized', 'Instance']);
    // Every type of the catalog is sold in every zone.
    assert.deepEqual(
      i.availableInstanceTypes!.instanceTypes,
      instanceTypes.map((t) => t.instanceTypeId),
    );
    // The system disk categories RunInstances accepts (eniplane creates no other disks).
    assert.deepEqual(i.availableDiskCategories!.diskCategories, [...SYSTEM_DISK_CATEGORIES]);
    assert.deepEqual(i.availableVolumeCategories!.volumeCategories, []);
    assert.deepEqual(i.availableDedicatedHostTypes!.dedicatedHostType, []);
    assert.deepEqual(i.dedicatedHostGenerations!.dedicatedHostGeneration, []);
    assert.deepEqual(i.availableResources!.resourcesInfo, []);
  });

  test('DescribeZones: Chinese names by default; Verbose=false gives only IDs, names and type', async () => {
    const zones = (await describeZones({ regionId: 'cn-beijing', verbose: false })).body!.zones!.zone!;
    assert.equal(zones.length, regions.find((r) => r.regionId === 'cn-beijing')!.zones.length);
    const a = zones.find((z) => z.zoneId === 'cn-beijing-a')!;
    assert.equal(a.localName, '北京 可用区A');
    assert.equal(a.zoneType, 'AvailabilityZone');
    assert.equal(a.availableResourceCreation, undefined);
    assert.equal(a.availableResources, undefined);
  });

  test('DescribeZones: PostPaid/PrePaid and NoSpot are accepted; spot strategies, unknown values, unknown regions and a missing RegionId are refused', async () => {
    assert.ok((await describeZones({ instanceChargeType: 'PrePaid', spotStrategy: 'NoSpot' })).body!.zones!.zone!.length > 0);
    const spot = await expectApiError(describeZones({ spotStrategy: 'SpotWithPriceLimit' }), 'InvalidSpotStrategy', 400);
    assert.match(spot.message, /eniplane does not model spot/);
    await expectApiError(describeZones({ spotStrategy: 'Cheap' }), 'InvalidSpotStrategy', 400);
    await expectApiError(describeZones({ instanceChargeType: 'SpotAsPriceGo' }), 'InvalidInstanceChargeType.NotFound', 404);
    await expectApiError(describeZones({ acceptLanguage: 'fr' }), 'InvalidAcceptLanguage.NotFound', 404);
    await expectApiError(describeZones({ regionId: 'cn-atlantis' }), 'InvalidRegionId.NotFound', 404);
    await expectApiError(ecs.describeZones(new $Ecs.DescribeZonesRequest({})), 'MissingParameter', 400);
  });

  test('repeated catalog calls (kept results, src/api/pure-results.ts): the same bytes but for the RequestId, in JSON and XML', async () => {
    const withoutId = (text: string) => text.replace(/[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}/g, 'ID');
    const json = [await callV3(server.endpoint, 'DescribeRegions', '2014-05-26', {}), await callV3(server.endpoint, 'DescribeRegions', '2014-05-26', {})];
    assert.equal(withoutId(json[0]!.text), withoutId(json[1]!.text));
    assert.notEqual(json[0]!.json().RequestId, json[1]!.json().RequestId);
    assert.match(json[1]!.text, /^\{"RequestId":"[0-9A-F-]{36}","Regions":\{"Region":\[\{"RegionId":"/);
    const xml = [
      await callV1(server.endpoint, 'DescribeRegions', '2014-05-26', { AcceptLanguage: 'en-US' }, { format: 'XML' }),
      await callV1(server.endpoint, 'DescribeRegions', '2014-05-26', { AcceptLanguage: 'en-US' }, { format: 'XML' }),
    ];
    assert.match(xml[1]!.contentType, /text\/xml/);
    assert.match(
      xml[1]!.text,
      /^<\?xml version="1.0" encoding="UTF-8"\?><DescribeRegionsResponse><RequestId>[0-9A-F-]{36}<\/RequestId><Regions><Region><RegionId>/,
    );
    assert.equal(withoutId(xml[0]!.text), withoutId(xml[1]!.text));
    // Another language is another call: its own answer, and the first one is unchanged.
    const chinese = await callV1(server.endpoint, 'DescribeRegions', '2014-05-26', {}, { format: 'XML' });
    assert.notEqual(withoutId(chinese.text), withoutId(xml[0]!.text));
    assert.match(chinese.text, /华东1（杭州）/);
    assert.equal(
      withoutId((await callV1(server.endpoint, 'DescribeRegions', '2014-05-26', { AcceptLanguage: 'en-US' }, { format: 'XML' })).text),
      withoutId(xml[0]!.text),
    );
  });
});
