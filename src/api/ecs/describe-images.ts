import { Type } from '@sinclair/typebox';
import { images, type ImageSpec } from '../../domain/images.ts';
import { pageWindow } from '../../domain/paging.ts';
import { defineErrors } from '../../errors/api-error.ts';
import { defineAction } from '../define-action.ts';
import { CommaList, DryRun, PageParams, RegionId } from '../params.ts';
import { B, N, Obj, S, Wrap } from '../schema-helpers.ts';

/** [DOCS-ECS] "Images/DescribeImages.md" error table (the cloud's spellings: "specifed", "Paramter"). */
export const ImageErrors = defineErrors({
  ownerAliasInvalid: {
    code: 'InvalidImageOwnerAlias.ValueNotSupported',
    status: 400,
    message: 'The specified ImageOwnerAlias value is not supported.',
  },
  osTypeInvalid: { code: 'InvalidOSType', status: 404, message: 'The specifed OSType is not valid' },
  architectureInvalid: { code: 'InvalidArchitecture', status: 404, message: 'The specifed Architecture is not valid' },
  statusInvalid: {
    code: 'InvalidParamter',
    status: 400,
    message: (status: string) =>
      `Invalid Parameter: Status "${status}" is not one of Creating, Waiting, Available, UnAvailable, CreateFailed, Deprecated, ALL.`,
    description: 'A Status value the cloud does not know, or ALL combined with others (the cloud spells the code "Paramter").',
  },
  actionTypeInvalid: {
    code: 'InvalidParamter',
    status: 400,
    message: 'Invalid Parameter: ActionType must be CreateEcs or ChangeOS.',
  },
});

const OWNER_ALIASES = ['system', 'self', 'others', 'marketplace'];
const STATUSES = ['Creating', 'Waiting', 'Available', 'UnAvailable', 'CreateFailed', 'Deprecated'];

/**
 * Where a catalog image comes from on the cloud: Alibaba's public images are `system`; the
 * `m-` images (Red Hat) are Marketplace images there. eniplane has no custom or shared images.
 */
function ownerAlias(i: ImageSpec): string {
  return i.imageId.startsWith('m-') ? 'marketplace' : 'system';
}

/** Public image IDs carry their release date (`..._alibase_20240819.vhd`); that is their creation time. */
function creationTime(i: ImageSpec): string {
  const m = /_(\d{4})(\d{2})(\d{2})(?:\.vhd)?$/.exec(i.imageId);
  return m ? `${m[1]}-${m[2]}-${m[3]}T00:00:00Z` : '';
}

/**
 * One element of DescribeImages ([ECS-SDK] DescribeImagesResponseBody). Public images are named
 * by their ID on the cloud. Fields eniplane does not know for an image (boot mode, family,
 * snapshot, features, license, detection results) are left out rather than invented.
 */
const ImageItem = Obj({
  ImageId: S,
  ImageName: S,
  ImageVersion: S,
  ImageFamily: S,
  Description: S,
  ImageOwnerAlias: S,
  IsPublic: B,
  IsCopied: B,
  IsSelfShared: S,
  IsSubscribed: B,
  IsSupportIoOptimized: B,
  IsSupportCloudinit: Type.Optional(B),
  OSName: S,
  OSNameEn: S,
  OSType: S,
  Platform: S,
  Architecture: S,
  Size: N,
  Status: S,
  Progress: S,
  ProductCode: S,
  ResourceGroupId: S,
  CreationTime: S,
  DiskDeviceMappings: Wrap(
    'DiskDeviceMapping',
    Obj({ Device: S, Size: S, Type: S, SnapshotId: S, Format: S, ImportOSSBucket: S, ImportOSSObject: S, Progress: S }),
  ),
  Tags: Wrap('Tag', Obj({ TagKey: S, TagValue: S })),
});

function imageItem(i: ImageSpec) {
  return {
    ImageId: i.imageId,
    ImageName: i.imageId,
    ImageVersion: '',
    ImageFamily: '',
    Description: '',
    ImageOwnerAlias: ownerAlias(i),
    IsPublic: true,
    IsCopied: false,
    IsSelfShared: '',
    IsSubscribed: false,
    IsSupportIoOptimized: true,
    // Alibaba's public Linux images ship cloud-init; for Windows the catalog does not say.
    ...(i.osType === 'linux' && { IsSupportCloudinit: true }),
    OSName: i.osName,
    OSNameEn: i.osNameEn,
    OSType: i.osType,
    Platform: i.platform,
    Architecture: i.architecture,
    Size: i.size,
    Status: 'Available',
    Progress: '100%',
    ProductCode: '',
    ResourceGroupId: '',
    CreationTime: creationTime(i),
    DiskDeviceMappings: {
      DiskDeviceMapping: [
        { Device: '/dev/xvda', Size: String(i.size), Type: 'system', SnapshotId: '', Format: '', ImportOSSBucket: '', ImportOSSObject: '', Progress: '' },
      ],
    },
    Tags: { Tag: [] },
  };
}

export const describeImages = defineAction({
  product: 'Ecs',
  name: 'DescribeImages',
  summary:
    "List the public images of eniplane's catalog by ImageId (comma-separated), ImageOwnerAlias, OSType, Architecture, ImageName (substring) or Status; PageNumber/PageSize (at most 100). An unknown ImageId yields an empty list.",
  readOnly: true,
  pure: true,
  params: Type.Object({
    RegionId,
    ImageId: Type.Optional(CommaList(Type.String(), 100)),
    ImageName: Type.Optional(Type.String()),
    ImageOwnerAlias: Type.Optional(Type.String()),
    OSType: Type.Optional(Type.String()),
    Architecture: Type.Optional(Type.String()),
    Status: Type.Optional(CommaList(Type.String(), 10)),
    // Every catalog image runs on I/O optimized instances.
    IsSupportIoOptimized: Type.Optional(Type.Boolean()),
    ActionType: Type.Optional(Type.String()),
    DryRun,
    ...PageParams,
  }),
  result: Obj({ TotalCount: N, PageNumber: N, PageSize: N, RegionId: S, Images: Wrap('Image', ImageItem) }),
  errors: [ImageErrors.ownerAliasInvalid, ImageErrors.osTypeInvalid, ImageErrors.architectureInvalid, ImageErrors.statusInvalid, ImageErrors.actionTypeInvalid],
  async handler(p, ctx) {
    if (p.ImageOwnerAlias !== undefined && p.ImageOwnerAlias !== '' && !OWNER_ALIASES.includes(p.ImageOwnerAlias)) throw ImageErrors.ownerAliasInvalid();
    if (p.OSType !== undefined && p.OSType !== 'linux' && p.OSType !== 'windows') throw ImageErrors.osTypeInvalid();
    if (p.Architecture !== undefined && !['i386', 'x86_64', 'arm64'].includes(p.Architecture)) throw ImageErrors.architectureInvalid();
    if (p.ActionType !== undefined && p.ActionType !== 'CreateEcs' && p.ActionType !== 'ChangeOS') throw ImageErrors.actionTypeInvalid();
    const statuses = p.Status?.length ? p.Status : ['Available'];
    for (const s of statuses) {
      if (s === 'ALL' ? statuses.length > 1 : !STATUSES.includes(s)) throw ImageErrors.statusInvalid(s);
    }
    // Every catalog image is Available.
    const statusMatches = statuses.includes('ALL') || statuses.includes('Available');
    // No alias: system, self and others ([DOCS-ECS]); Marketplace images only when asked for, or
    // (inferred) when named by ImageId.
    const aliases = p.ImageOwnerAlias ? [p.ImageOwnerAlias] : p.ImageId?.length ? OWNER_ALIASES : ['system', 'self', 'others'];
    const name = p.ImageName?.toLowerCase();
    const matches = images.filter(
      (i) =>
        statusMatches &&
        aliases.includes(ownerAlias(i)) &&
        (!p.ImageId || p.ImageId.includes(i.imageId)) &&
        (p.OSType === undefined || i.osType === p.OSType) &&
        (p.Architecture === undefined || i.architecture === p.Architecture) &&
        (name === undefined || i.imageId.toLowerCase().includes(name)) &&
        p.IsSupportIoOptimized !== false,
    );
    const window = pageWindow(p.PageNumber, p.PageSize, 100);
    return {
      TotalCount: matches.length,
      PageNumber: window.pageNumber,
      PageSize: window.pageSize,
      RegionId: ctx.regionId,
      Images: { Image: matches.slice(window.offset, window.offset + window.limit).map(imageItem) },
    };
  },
});
