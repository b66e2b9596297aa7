/** One (resource, tag) pair, as ListTagResources lists them. */
export interface TagResource {
  resourceId: string;
  key: string;
  value: string;
}
