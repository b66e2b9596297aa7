import { EniErrors } from '../../errors/ecs/enis.ts';
import { InstanceErrors } from '../../errors/ecs/instances.ts';
import { changeMembership } from '../../services/instances.ts';
import { defineAction } from '../define-action.ts';
import { Obj } from '../schema-helpers.ts';
import { membershipParams, membershipTarget } from './join-security-group.ts';

export const leaveSecurityGroup = defineAction({
  product: 'Ecs',
  name: 'LeaveSecurityGroup',
  summary:
    'Remove an instance (its primary ENI; Running or Stopped) or a secondary ENI from a security group; it must stay in at least one, and leaving a group it is not in is an error (since 2024-07-08).',
  params: membershipParams,
  result: Obj({}),
  errors: [
    EniErrors.eniAndInstanceConflict,
    EniErrors.regionIdRequired,
    EniErrors.instanceNotFound,
    EniErrors.eniNotFound,
    InstanceErrors.incorrectStatus,
    EniErrors.eniTypeNotAllowed,
    EniErrors.invalidEniState,
    EniErrors.securityGroupNotFound,
    InstanceErrors.notInSecurityGroup,
    InstanceErrors.lastSecurityGroup,
  ],
  async handler(p, ctx) {
    await changeMembership(ctx, membershipTarget(p), p.SecurityGroupId, false);
    return {};
  },
});
