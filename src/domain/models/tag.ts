/** Internal resource kinds that can carry tags (the `tags.resource_type` column). */
export type TagKind = 'vpc' | 'vswitch' | 'securitygroup' | 'eni' | 'instance' | 'eip';

/** Whose tags: resources are tagged, listed and counted per account and region. */
export interface TagOwner {
  accountId: string;
  regionId: string;
}

/** One (resource, tag) pair, as ListTagResources lists them. */
export interface TagResource {
  resourceId: string;
  key: string;
  value: string;
}
