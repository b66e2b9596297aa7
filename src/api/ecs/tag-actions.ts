import { listTagResources } from './list-tag-resources.ts';
import { tagResources } from './tag-resources.ts';
import { untagResources } from './untag-resources.ts';

/** TagResources / UntagResources / ListTagResources (ECS flavour). */
export const ecsTagActions = [tagResources, untagResources, listTagResources];
