import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as $Ecs from '@alicloud/ecs20140526';
import { images } from '../../src/domain/images.ts';
import { instanceTypes } from '../../src/domain/instance-types.ts';
import { ecsClient, popClient } from '../helpers/clients.ts';
import { expectApiError } from '../helpers/expect-error.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const region = 'cn-hangzhou';

describe('Catalog actions (DescribeInstanceTypes, DescribeInstanceTypeFamilies, DescribeImages) through the official ECS SDK', () => {
  let server: RunningServer;
  let ecs: ReturnType<typeof ecsClient>;
  before(async () => {
    server = await startServer();
    ecs = ecsClient(server);
  });
  after(() => server.dispose());

  const types = async (extra: Partial<$Ecs.DescribeInstanceTypesRequest> = {}) =>
    (await ecs.describeInstanceTypes(new $Ecs.DescribeInstanceTypesRequest(extra))).body!;
  const typeIds = async (extra: Partial<$Ecs.DescribeInstanceTypesRequest> = {}) =>
    (await types(extra)).instanceTypes!.instanceType!.map((t) => t.instanceTypeId!);
  const imgs = async (extra: Partial<$Ecs.DescribeImagesRequest> = {}) =>
    (await ecs.describeImages(new $Ecs.DescribeImagesRequest({ regionId: region, ...extra }))).body!;
  const imageIds = async (extra: Partial<$Ecs.DescribeImagesRequest> = {}) => (await imgs(extra)).images!.image!.map((i) => i.imageId!);

  test('DescribeInstanceTypes: every catalog type on one page, with every ENI field (ecs.g7.xlarge as the cloud records it)', async () => {
    const body = await types();
    assert.equal(body.nextToken, '');
    assert.deepEqual(
      body.instanceTypes!.instanceType!.map((t) => t.instanceTypeId),
      instanceTypes.map((t) => t.instanceTypeId),
    );
    const g7 = body.instanceTypes!.instanceType!.find((t) => t.instanceTypeId === 'ecs.g7.xlarge')!;
    assert.equal(g7.instanceTypeFamily, 'ecs.g7');
    assert.equal(g7.instanceCategory, 'General-purpose');
    assert.equal(g7.instanceFamilyLevel, 'EnterpriseLevel');
    assert.equal(g7.cpuCoreCount, 4);
    assert.equal(g7.memorySize, 16);
    assert.equal(g7.cpuArchitecture, 'X86');
    assert.equal(g7.eniQuantity, 4);
    assert.equal(g7.eniPrivateIpAddressQuantity, 15);
    assert.equal(g7.eniIpv6AddressQuantity, 15);
    // The recorded ecs.g7.xlarge (limits-and-rules.md §1): 20 ENIs in all, trunk members included.
    assert.equal(g7.eniTotalQuantity, 20);
    assert.equal(g7.eniTrunkSupported, true);
    assert.equal(g7.eriQuantity, 0);
    assert.equal(g7.primaryEniQueueNumber, 4);
    assert.equal(g7.secondaryEniQueueNumber, 4);
    assert.equal(g7.maximumQueueNumberPerEni, 4);
    assert.equal(g7.totalEniQueueQuantity, 16);
    assert.equal(g7.networkCardQuantity, 0);
    assert.deepEqual(
      g7.networkCards!.networkCardInfo!.map((c) => c.networkCardIndex),
      [0],
    );
    assert.equal(g7.GPUAmount, 0);
    // What eniplane does not know is left out rather than invented.
    assert.equal(g7.instanceBandwidthRx, undefined);
    const t5 = body.instanceTypes!.instanceType!.find((t) => t.instanceTypeId === 'ecs.t5-lc1m1.small')!;
    assert.deepEqual([t5.eniQuantity, t5.eniPrivateIpAddressQuantity], [2, 2]);
  });

  test('DescribeInstanceTypes: InstanceTypes.N (up to 10), family, ENI minimums; an unknown type matches nothing', async () => {
    assert.deepEqual(await typeIds({ instanceTypes: ['ecs.g6.large', 'ecs.g7.large'] }), ['ecs.g7.large', 'ecs.g6.large']);
    assert.deepEqual(await typeIds({ instanceTypes: ['ecs.nope.large'] }), []);
    await expectApiError(types({ instanceTypes: Array.from({ length: 11 }, (_, i) => `ecs.g7.t${i}`) }), 'InvalidParameter', 400);
    assert.deepEqual(
      await typeIds({ instanceTypeFamily: 'ecs.r6' }),
      instanceTypes.filter((t) => t.family === 'ecs.r6').map((t) => t.instanceTypeId),
    );
    assert.deepEqual(
      await typeIds({ instanceTypeFamilies: ['ecs.c7', 'ecs.r7'] }),
      instanceTypes.filter((t) => t.family === 'ecs.c7' || t.family === 'ecs.r7').map((t) => t.instanceTypeId),
    );
    assert.deepEqual(
      await typeIds({ minimumEniQuantity: 8 }),
      instanceTypes.filter((t) => t.eniQuantity >= 8).map((t) => t.instanceTypeId),
    );
    assert.deepEqual(
      await typeIds({ minimumEniPrivateIpAddressQuantity: 30, minimumEniQuantity: 15 }),
      instanceTypes.filter((t) => t.eniPrivateIpAddressQuantity >= 30 && t.eniQuantity >= 15).map((t) => t.instanceTypeId),
    );
    assert.deepEqual(
      await typeIds({ minimumCpuCoreCount: 2, maximumCpuCoreCount: 2, minimumMemorySize: 8, maximumMemorySize: 8 }),
      instanceTypes.filter((t) => t.cpuCoreCount === 2 && t.memorySize === 8).map((t) => t.instanceTypeId),
    );
    assert.deepEqual(
      await typeIds({ instanceFamilyLevel: 'EntryLevel' }),
      instanceTypes.filter((t) => t.familyLevel === 'EntryLevel').map((t) => t.instanceTypeId),
    );
    const gpu = await expectApiError(types({ minimumGPUAmount: 1 }), 'UnsupportedParameter', 400);
    assert.match(gpu.message, /MinimumGPUAmount/);
  });

  test('DescribeInstanceTypes: NextToken/MaxResults pages visit every type once; MaxResults above 100 is served as 100; a foreign token is refused', async () => {
    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const body = await types({ maxResults: 7, ...(nextToken ? { nextToken } : {}) });
      const page = body.instanceTypes!.instanceType!.map((t) => t.instanceTypeId!);
      assert.ok(page.length <= 7);
      seen.push(...page);
      nextToken = body.nextToken || undefined;
      pages++;
    } while (nextToken && pages < 50);
    assert.deepEqual(
      seen,
      instanceTypes.map((t) => t.instanceTypeId),
    );
    assert.equal((await typeIds({ maxResults: 1600 })).length, Math.min(100, instanceTypes.length));
    await expectApiError(types({ nextToken: 'not-a-token' }), 'InvalidParameter', 400);
  });

  test('DescribeInstanceTypeFamilies: every family with its generation; Generation filters; an unknown one matches nothing', async () => {
    const all = (await ecs.describeInstanceTypeFamilies(new $Ecs.DescribeInstanceTypeFamiliesRequest({ regionId: region }))).body!.instanceTypeFamilies!
      .instanceTypeFamily!;
    const expected = new Map(instanceTypes.map((t) => [t.family, t.generation]));
    assert.deepEqual(new Map(all.map((f) => [f.instanceTypeFamilyId!, f.generation!])), expected);
    assert.equal(all.length, expected.size);
    const g5 = (await ecs.describeInstanceTypeFamilies(new $Ecs.DescribeInstanceTypeFamiliesRequest({ regionId: region, generation: 'ecs-5' }))).body!;
    assert.ok(g5.instanceTypeFamilies!.instanceTypeFamily!.length > 0);
    assert.ok(g5.instanceTypeFamilies!.instanceTypeFamily!.every((f) => f.generation === 'ecs-5'));
    assert.ok(g5.instanceTypeFamilies!.instanceTypeFamily!.some((f) => f.instanceTypeFamilyId === 'ecs.g6'));
    const none = (await ecs.describeInstanceTypeFamilies(new $Ecs.DescribeInstanceTypeFamiliesRequest({ regionId: region, generation: 'ecs-99' }))).body!;
    assert.deepEqual(none.instanceTypeFamilies!.instanceTypeFamily, []);
  });

  test('DescribeImages: the public (system) images by default, 10 a page, with their OS fields', async () => {
    const system = images.filter((i) => !i.imageId.startsWith('m-'));
    const body = await imgs();
    assert.equal(body.totalCount, system.length);
    assert.equal(body.pageNumber, 1);
    assert.equal(body.pageSize, 10);
    assert.equal(body.regionId, region);
    assert.deepEqual(
      body.images!.image!.map((i) => i.imageId),
      system.slice(0, 10).map((i) => i.imageId),
    );
    const alinux = body.images!.image!.find((i) => i.imageId === 'aliyun_3_x64_20G_alibase_20240819.vhd')!;
    assert.equal(alinux.imageName, alinux.imageId);
    assert.equal(alinux.imageOwnerAlias, 'system');
    assert.equal(alinux.OSType, 'linux');
    assert.equal(alinux.platform, 'Aliyun');
    assert.equal(alinux.architecture, 'x86_64');
    assert.equal(alinux.size, 20);
    assert.equal(alinux.status, 'Available');
    assert.equal(alinux.isPublic, true);
    assert.equal(alinux.creationTime, '2024-08-19T00:00:00Z');
    assert.equal(alinux.OSNameEn, 'Alibaba Cloud Linux  3.2104 LTS 64 bit');
    assert.deepEqual(
      alinux.diskDeviceMappings!.diskDeviceMapping!.map((d) => [d.type, d.size]),
      [['system', '20']],
    );
    const all: string[] = [];
    for (let page = 1; page <= 5; page++) all.push(...(await imageIds({ pageNumber: page, pageSize: 7 })));
    assert.deepEqual(
      all,
      system.map((i) => i.imageId),
    );
    await expectApiError(imgs({ pageSize: 101 }), 'InvalidParameter', 400);
  });

  test('DescribeImages: ImageId (one or comma-separated), an unknown ID is an empty list; owner alias, OS type, architecture, name and status filters', async () => {
    assert.deepEqual(await imageIds({ imageId: 'ubuntu_22_04_x64_20G_alibase_20240926.vhd' }), ['ubuntu_22_04_x64_20G_alibase_20240926.vhd']);
    assert.deepEqual(await imageIds({ imageId: 'debian_12_6_x64_20G_alibase_20240717.vhd,centos_7_9_x64_20G_alibase_20240628.vhd' }), [
      'centos_7_9_x64_20G_alibase_20240628.vhd',
      'debian_12_6_x64_20G_alibase_20240717.vhd',
    ]);
    const unknown = await imgs({ imageId: 'm-bp1doesnotexist0000' });
    assert.equal(unknown.totalCount, 0);
    assert.deepEqual(unknown.images!.image, []);
    // Marketplace images (the m- Red Hat ones) only when asked for, or named by ID.
    const rhel = images.filter((i) => i.imageId.startsWith('m-')).map((i) => i.imageId);
    assert.deepEqual(await imageIds({ imageOwnerAlias: 'marketplace', pageSize: 100 }), rhel);
    assert.deepEqual(await imageIds({ imageId: rhel[0] }), [rhel[0]]);
    assert.deepEqual(await imageIds({ imageOwnerAlias: 'self' }), []);
    assert.deepEqual(await imageIds({ imageOwnerAlias: 'others' }), []);
    await expectApiError(imgs({ imageOwnerAlias: 'friends' }), 'InvalidImageOwnerAlias.ValueNotSupported', 400);
    assert.deepEqual(
      await imageIds({ OSType: 'windows' }),
      images.filter((i) => i.osType === 'windows').map((i) => i.imageId),
    );
    await expectApiError(imgs({ OSType: 'beos' }), 'InvalidOSType', 404);
    assert.deepEqual(await imageIds({ architecture: 'arm64' }), []);
    await expectApiError(imgs({ architecture: 'sparc' }), 'InvalidArchitecture', 404);
    assert.deepEqual(
      await imageIds({ imageName: 'UBUNTU', pageSize: 100 }),
      images.filter((i) => i.imageId.startsWith('ubuntu')).map((i) => i.imageId),
    );
    assert.deepEqual(await imageIds({ status: 'Deprecated' }), []);
    assert.equal((await imgs({ status: 'Available,Deprecated' })).totalCount, images.length - rhel.length);
    assert.equal((await imgs({ status: 'ALL' })).totalCount, images.length - rhel.length);
    await expectApiError(imgs({ status: 'Sleeping' }), 'InvalidParamter', 400);
    await expectApiError(imgs({ status: 'ALL,Available' }), 'InvalidParamter', 400);
    const e = await expectApiError(imgs({ instanceType: 'ecs.g7.large' }), 'UnsupportedParameter', 400);
    assert.match(e.message, /InstanceType/);
  });

  test('DescribeImages: the legacy pop-core client (V1, GET) gets the same answer', async () => {
    const pop = popClient(server, 'ecs');
    const r = (await pop.request('DescribeImages', { RegionId: region, ImageId: 'fedora_35_x64_20G_alibase_20220112.vhd' }, { method: 'GET' })) as {
      TotalCount: number;
      Images: { Image: { ImageId: string; Platform: string }[] };
    };
    assert.equal(r.TotalCount, 1);
    assert.deepEqual(
      r.Images.Image.map((i) => [i.ImageId, i.Platform]),
      [['fedora_35_x64_20G_alibase_20220112.vhd', 'Fedora']],
    );
  });

  test("DescribeZones: AvailableInstanceTypes lists the catalog's instance types in every zone", async () => {
    const zones = (await ecs.describeZones(new $Ecs.DescribeZonesRequest({ regionId: region }))).body!.zones!.zone!;
    assert.ok(zones.length > 0);
    for (const z of zones) {
      assert.deepEqual(
        z.availableInstanceTypes!.instanceTypes,
        instanceTypes.map((t) => t.instanceTypeId),
      );
    }
  });
});
