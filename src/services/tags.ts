import type { ServiceContext } from './context.ts';
import {
  MAX_RESOURCE_IDS_PER_CALL,
  MAX_TAGS_PER_CALL,
  decodeTagCursor,
  encodeTagCursor,
  overTagQuota,
  validateTags,
  type TagCursor,
  type TagFilter,
  type TagRules,
} from '../domain/tags.ts';
import type { ApiError } from '../errors/api-error.ts';
import { CommonErrors } from '../errors/common.ts';
import { EcsTagErrors } from '../errors/ecs/tags.ts';
import { TagErrors } from '../errors/tags.ts';
import { VpcTagErrors } from '../errors/vpc/tags.ts';
import type { TagKind, TagOwner } from '../domain/models/tag.ts';
import { existingTargets, isTaggable } from '../store/repos/tag-targets.ts';
import { listTagResources as listRows, removeTags, tagsOf, upsertTags } from '../store/repos/tags.ts';

/**
 * What differs between the ECS and the VPC flavour of TagResources / Untag / ListTagResources:
 * the resource type names, which of them eniplane models, page sizes and the error codes.
 */
export interface TagFlavour {
  /**
   * Every ResourceType the product's API documents, as the caller writes it (after
   * `normaliseType`), mapped to eniplane's resource kind. `null`: a real type eniplane does
   * not model. A kind is taggable once store/repos/tag-targets.ts knows where it lives.
   */
  types: Readonly<Record<string, TagKind | null>>;
  normaliseType(type: string): string;
  rules: TagRules;
  /** Rows per ListTagResources page when MaxResults is not given (or not offered). */
  pageSize: number;
  errors: {
    missingRegionId(): ApiError;
    missingResourceType(): ApiError;
    missingResourceIds(): ApiError;
    missingTags(what: string): ApiError;
    tooManyResourceIds(): ApiError;
    tooManyTags(): ApiError;
    resourceTypeNotFound(): ApiError;
    resourceTypeNotModeled(type: string, supported: string): ApiError;
    resourceNotFound(): ApiError;
    resourceQuota(): ApiError;
    bothEmpty(): ApiError;
    tagValueWithoutKey(): ApiError;
    invalidNextToken(): ApiError;
  };
}

/**
 * ECS: lower-case types, exactly as [ECS-SDK] TagResourcesRequest.resourceType lists them
 * (the reference never says they are case-insensitive, so they are compared as written).
 */
export const ECS_TAGS: TagFlavour = {
  types: {
    instance: 'instance',
    disk: null,
    snapshot: null,
    image: null,
    securitygroup: 'securitygroup',
    volume: null,
    eni: 'eni',
    ddh: null,
    ddhcluster: null,
    keypair: null,
    launchtemplate: null,
    reservedinstance: null,
    snapshotpolicy: null,
    elasticityassurance: null,
    capacityreservation: null,
    command: null,
    invocation: null,
    activation: null,
    managedinstance: null,
  },
  normaliseType: (t) => t,
  rules: { errors: TagErrors, valueRejectsReservedPrefix: false },
  // DIVERGENCE: ECS ListTagResources has no MaxResults and does not document its page size; 50 is
  // the VPC flavour's default and ECS's ResourceId.N limit.
  pageSize: 50,
  errors: EcsTagErrors,
};

/** VPC: upper-case types, "case-insensitive" ([VPC-SDK] TagResourcesRequest.resourceType). */
export const VPC_TAGS: TagFlavour = {
  types: {
    VPC: 'vpc',
    VSWITCH: 'vswitch',
    ROUTETABLE: null,
    EIP: 'eip',
    VPNGATEWAY: null,
    NATGATEWAY: null,
    COMMONBANDWIDTHPACKAGE: null,
    PREFIXLIST: null,
    PUBLICIPADDRESSPOOL: null,
    IPV4GATEWAY: null,
    IPV6GATEWAY: null,
    NETWORKACL: null,
    TRAFFICMIRRORFILTER: null,
    TRAFFICMIRRORSESSION: null,
    FLOWLOG: null,
    HAVIP: null,
    DHCPOPTIONSSET: null,
    GATEWAYENDPOINT: null,
    IPV6ADDRESS: null,
  },
  normaliseType: (t) => t.toUpperCase(),
  rules: { errors: VpcTagErrors, valueRejectsReservedPrefix: true },
  // [VPC-SDK] ListTagResourcesRequest.maxResults: 1 to 50, default 50.
  pageSize: 50,
  errors: {
    missingRegionId: () => CommonErrors.missingParameter('RegionId'),
    missingResourceType: () => CommonErrors.missingParameter('ResourceType'),
    missingResourceIds: () => CommonErrors.missingParameter('ResourceId.N'),
    missingTags: (what) => CommonErrors.missingParameter(what),
    tooManyResourceIds: VpcTagErrors.tooManyResourceIds,
    tooManyTags: VpcTagErrors.tooManyTags,
    resourceTypeNotFound: VpcTagErrors.resourceTypeNotFound,
    resourceTypeNotModeled: VpcTagErrors.resourceTypeNotModeled,
    resourceNotFound: VpcTagErrors.resourceNotFound,
    resourceQuota: VpcTagErrors.resourceQuota,
    bothEmpty: VpcTagErrors.bothEmpty,
    tagValueWithoutKey: VpcTagErrors.keyMalformed,
    invalidNextToken: () => CommonErrors.invalidParameter('NextToken', 'The token is not one this server issued.'),
  },
};

const RESOURCE_GROUP_KEY = 'acs:rm:rgId';

/** The wire name of a kind in this flavour (ListTagResources answers with it). */
function wireType(f: TagFlavour, kind: TagKind): string {
  return Object.entries(f.types).find(([, k]) => k === kind)?.[0] ?? kind;
}

/** The wire types this flavour can tag in eniplane today. */
export function supportedTypes(f: TagFlavour): string[] {
  return Object.entries(f.types)
    .filter(([, k]) => k !== null && isTaggable(k))
    .map(([t]) => t);
}

function kindOf(f: TagFlavour, type: string | undefined): TagKind {
  if (type === undefined || type === '') throw f.errors.missingResourceType();
  const name = f.normaliseType(type);
  if (!(name in f.types)) throw f.errors.resourceTypeNotFound();
  const kind = f.types[name];
  if (!kind || !isTaggable(kind)) throw f.errors.resourceTypeNotModeled(name, supportedTypes(f).join(', '));
  return kind;
}

function ownerOf(ctx: ServiceContext): TagOwner {
  return { accountId: ctx.accountId, regionId: ctx.regionId };
}

/** ResourceId.N of Tag/Untag: required, at most 50, duplicates counted once. */
function resourceIdsOf(f: TagFlavour, ids: readonly string[] | undefined): string[] {
  if (!ids || ids.length === 0) throw f.errors.missingResourceIds();
  if (ids.length > MAX_RESOURCE_IDS_PER_CALL) throw f.errors.tooManyResourceIds();
  return [...new Set(ids)];
}

/** Every ID must name a live resource of the kind, owned by the caller, in the request's region; otherwise nothing changes. */
async function requireTargets(ctx: ServiceContext, f: TagFlavour, kind: TagKind, ids: readonly string[]): Promise<void> {
  const found = await existingTargets(ctx.tx, kind, ownerOf(ctx), ids, ctx.now, true);
  if (ids.some((id) => !found.has(id))) throw f.errors.resourceNotFound();
}

export interface TagResourcesInput {
  regionGiven: boolean;
  resourceType?: string;
  resourceIds?: readonly string[];
  tags?: readonly { Key?: string; Value?: string }[];
}

/** TagResources: adds tags to every resource, overwriting the value of a key a resource already has. */
export async function tagResources(ctx: ServiceContext, f: TagFlavour, input: TagResourcesInput): Promise<void> {
  if (!input.regionGiven) throw f.errors.missingRegionId();
  const kind = kindOf(f, input.resourceType);
  const ids = resourceIdsOf(f, input.resourceIds);
  if (!input.tags || input.tags.length === 0) throw f.errors.missingTags('Tag.N');
  if (input.tags.length > MAX_TAGS_PER_CALL) throw f.errors.tooManyTags();
  const tags = validateTags(input.tags, f.rules);
  await requireTargets(ctx, f, kind, ids);
  // The cloud counts a resource's existing tags before adding; the limit is on the result.
  if (overTagQuota(await tagsOf(ctx.tx, ids), ids, tags).length > 0) throw f.errors.resourceQuota();
  for (const id of ids) await upsertTags(ctx.tx, ownerOf(ctx), kind, id, tags, ctx.now);
}

export interface UntagResourcesInput {
  regionGiven: boolean;
  resourceType?: string;
  resourceIds?: readonly string[];
  tagKeys?: readonly string[];
  all?: boolean;
}

/**
 * UntagResources: removes the given keys (a key a resource does not carry is no error), or
 * every tag when All=true and no TagKey.N is given ("All ... takes effect only when TagKey.N
 * is not specified", [ECS-SDK] UntagResourcesRequest.all).
 */
export async function untagResources(ctx: ServiceContext, f: TagFlavour, input: UntagResourcesInput): Promise<void> {
  if (!input.regionGiven) throw f.errors.missingRegionId();
  const kind = kindOf(f, input.resourceType);
  const ids = resourceIdsOf(f, input.resourceIds);
  const keys = input.tagKeys ?? [];
  if (keys.length > MAX_TAGS_PER_CALL) throw f.errors.tooManyTags();
  // Neither keys nor All=true: refused rather than treated as a call that removes nothing.
  if (keys.length === 0 && input.all !== true) throw f.errors.missingTags('TagKey.N');
  for (const k of keys) if (k.length > 128) throw f.rules.errors.keyMalformed();
  await requireTargets(ctx, f, kind, ids);
  for (const id of ids) await removeTags(ctx.tx, id, keys.length > 0 ? keys : 'all');
}

export interface ListTagResourcesInput {
  regionGiven: boolean;
  resourceType?: string;
  resourceIds?: readonly string[];
  tags?: readonly { Key?: string; Value?: string }[];
  nextToken?: string;
  maxResults?: number;
}

export interface TagResourceView {
  resourceId: string;
  resourceType: string;
  key: string;
  value: string;
}

/**
 * ListTagResources: the tags of the caller's resources of one type in the request's region,
 * selected by ResourceId.N and/or Tag.N (at least one of them), a page at a time in
 * (resource ID, tag key) order.
 */
export async function listTagResources(
  ctx: ServiceContext,
  f: TagFlavour,
  input: ListTagResourcesInput,
): Promise<{ rows: TagResourceView[]; nextToken: string }> {
  if (!input.regionGiven) throw f.errors.missingRegionId();
  const kind = kindOf(f, input.resourceType);
  const ids = input.resourceIds ?? [];
  const tags = input.tags ?? [];
  if (ids.length === 0 && tags.length === 0) throw f.errors.bothEmpty();
  if (ids.length > MAX_RESOURCE_IDS_PER_CALL) throw f.errors.tooManyResourceIds();
  if (tags.length > MAX_TAGS_PER_CALL) throw f.errors.tooManyTags();
  const filters: TagFilter[] = tags.map((t) => {
    if (t.Key === undefined || t.Key === '') throw t.Value !== undefined ? f.errors.tagValueWithoutKey() : f.rules.errors.keyMalformed();
    // The cloud reads this key as "resources of resource group Value"; eniplane filters by group
    // through the Describe calls' ResourceGroupId only.
    if (t.Key === RESOURCE_GROUP_KEY) {
      throw CommonErrors.invalidParameter(
        'Tag.N.Key',
        `eniplane does not support the ${RESOURCE_GROUP_KEY} tag filter; filter by ResourceGroupId on the Describe calls.`,
      );
    }
    if (t.Key.length > 128) throw f.rules.errors.keyMalformed();
    if (t.Value !== undefined && t.Value.length > 128) throw f.rules.errors.valueMalformed();
    // Only Tag.N.Key: every value of that key. An explicit empty value matches the empty value.
    return t.Value === undefined ? { key: t.Key } : { key: t.Key, value: t.Value };
  });
  const limit = input.maxResults ?? f.pageSize;
  let after: TagCursor | undefined;
  if (input.nextToken) {
    after = decodeTagCursor(input.nextToken);
    if (!after) throw f.errors.invalidNextToken();
  }
  const rows = await listRows(ctx.tx, { owner: ownerOf(ctx), kind, resourceIds: input.resourceIds, filters, after }, ctx.now, limit);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const nextToken = rows.length > limit && last ? encodeTagCursor({ resourceId: last.resourceId, key: last.key }) : '';
  const type = wireType(f, kind);
  return { rows: page.map((r) => ({ resourceId: r.resourceId, resourceType: type, key: r.key, value: r.value })), nextToken };
}
