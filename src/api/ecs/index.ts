import { catalogActions } from './catalog-actions.ts';
import { describeAccountAttributes } from './describe-account-attributes.ts';
import { eniActions } from './eni-actions.ts';
import { instanceActions } from './instance-actions.ts';
import { ecsRegionActions } from './region-actions.ts';
import { securityGroupActions } from './security-group-actions.ts';
import { ecsTagActions } from './tag-actions.ts';

/** Every ECS action (Version 2014-05-26) eniplane implements. */
export const ecsActions = [
  ...ecsRegionActions,
  ...securityGroupActions,
  ...ecsTagActions,
  ...eniActions,
  ...instanceActions,
  ...catalogActions,
  describeAccountAttributes,
];
