import { listTagResources } from './list-tag-resources.ts';
import { tagResources } from './tag-resources.ts';
import { unTagResources } from './un-tag-resources.ts';

/** TagResources / UnTagResources / ListTagResources (VPC flavour). */
export const vpcTagActions = [tagResources, unTagResources, listTagResources];
