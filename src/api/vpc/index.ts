import { createVpc } from './create-vpc.ts';
import { createVSwitch } from './create-vswitch.ts';
import { deleteVpc } from './delete-vpc.ts';
import { deleteVSwitch } from './delete-vswitch.ts';
import { describeRegions } from './describe-regions.ts';
import { describeRouteEntryList } from './describe-route-entry-list.ts';
import { describeRouteTableList } from './describe-route-table-list.ts';
import { describeVpcAttribute } from './describe-vpc-attribute.ts';
import { describeVpcs } from './describe-vpcs.ts';
import { describeVSwitchAttributes } from './describe-vswitch-attributes.ts';
import { describeVSwitches } from './describe-vswitches.ts';
import { describeZones } from './describe-zones.ts';
import { eipActions } from './eip-actions.ts';
import { modifyVpcAttribute } from './modify-vpc-attribute.ts';
import { modifyVSwitchAttribute } from './modify-vswitch-attribute.ts';
import { vpcTagActions } from './tag-actions.ts';

/** Every VPC-product action (Version 2016-04-28) eniplane implements. */
export const vpcActions = [
  describeRegions,
  describeZones,
  createVpc,
  describeVpcs,
  describeVpcAttribute,
  modifyVpcAttribute,
  deleteVpc,
  createVSwitch,
  describeVSwitches,
  describeVSwitchAttributes,
  modifyVSwitchAttribute,
  deleteVSwitch,
  describeRouteTableList,
  describeRouteEntryList,
  ...vpcTagActions,
  ...eipActions,
];
