import { assignPrivateIpAddresses } from './assign-private-ip-addresses.ts';
import { assignIpv6Addresses } from './assign-ipv6-addresses.ts';
import { unassignIpv6Addresses } from './unassign-ipv6-addresses.ts';
import { attachNetworkInterface } from './attach-network-interface.ts';
import { createNetworkInterface } from './create-network-interface.ts';
import { deleteNetworkInterface } from './delete-network-interface.ts';
import { describeNetworkInterfaceAttribute } from './describe-network-interface-attribute.ts';
import { describeNetworkInterfaces } from './describe-network-interfaces.ts';
import { detachNetworkInterface } from './detach-network-interface.ts';
import { modifyNetworkInterfaceAttribute } from './modify-network-interface-attribute.ts';
import { unassignPrivateIpAddresses } from './unassign-private-ip-addresses.ts';

/** ENI and private-address actions (ECS). */
export const eniActions = [
  createNetworkInterface,
  describeNetworkInterfaces,
  describeNetworkInterfaceAttribute,
  modifyNetworkInterfaceAttribute,
  deleteNetworkInterface,
  attachNetworkInterface,
  detachNetworkInterface,
  assignPrivateIpAddresses,
  unassignPrivateIpAddresses,
  assignIpv6Addresses,
  unassignIpv6Addresses,
];
