import { attachInstanceRamRoleAction } from './attach-instance-ram-role.ts';
import { createInstance } from './create-instance.ts';
import { describeInstanceRamRoleAction } from './describe-instance-ram-role.ts';
import { detachInstanceRamRoleAction } from './detach-instance-ram-role.ts';
import { allocatePublicIpAddress } from './allocate-public-ip-address.ts';
import { describeDisks } from './describe-disks.ts';
import { describeInstanceAttachmentAttributes } from './describe-instance-attachment-attributes.ts';
import { describeInstanceMaintenanceAttributes } from './describe-instance-maintenance-attributes.ts';
import { describeUserData } from './describe-user-data.ts';
import { deleteInstanceAction } from './delete-instance.ts';
import { describeInstanceAttribute } from './describe-instance-attribute.ts';
import { describeInstanceStatus } from './describe-instance-status.ts';
import { describeInstances } from './describe-instances.ts';
import { joinSecurityGroup } from './join-security-group.ts';
import { leaveSecurityGroup } from './leave-security-group.ts';
import { modifyInstanceAttribute } from './modify-instance-attribute.ts';
import { modifyInstanceMetadataOptions } from './modify-instance-metadata-options.ts';
import { rebootInstanceAction } from './reboot-instance.ts';
import { runInstances } from './run-instances.ts';
import { startInstanceAction } from './start-instance.ts';
import { stopInstanceAction } from './stop-instance.ts';

/** Instance actions (ECS), with the instance-or-ENI security group membership actions. */
export const instanceActions = [
  runInstances,
  createInstance,
  startInstanceAction,
  stopInstanceAction,
  rebootInstanceAction,
  deleteInstanceAction,
  describeInstances,
  describeInstanceAttribute,
  describeInstanceStatus,
  modifyInstanceAttribute,
  modifyInstanceMetadataOptions,
  joinSecurityGroup,
  leaveSecurityGroup,
  attachInstanceRamRoleAction,
  detachInstanceRamRoleAction,
  describeInstanceRamRoleAction,
  allocatePublicIpAddress,
  describeUserData,
  describeDisks,
  describeInstanceMaintenanceAttributes,
  describeInstanceAttachmentAttributes,
];
