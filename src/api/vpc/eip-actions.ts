import { allocateEipAddress } from './allocate-eip-address.ts';
import { associateEipAddress } from './associate-eip-address.ts';
import { describeEipAddresses } from './describe-eip-addresses.ts';
import { modifyEipAddressAttribute } from './modify-eip-address-attribute.ts';
import { releaseEipAddress } from './release-eip-address.ts';
import { unassociateEipAddress } from './unassociate-eip-address.ts';

/** Elastic IP address actions (VPC). */
export const eipActions = [allocateEipAddress, associateEipAddress, unassociateEipAddress, releaseEipAddress, describeEipAddresses, modifyEipAddressAttribute];
