/**
 * The system route table of a VPC, as the cloud shows it ("Route table overview"): created with
 * the VPC, it cannot be created or deleted, and the cloud adds its System entries itself —
 * 100.64.0.0/10, "used for cloud product communication within the VPC", and one entry per
 * vSwitch CIDR, added when the vSwitch is created and removed when it is deleted.
 */
export const CLOUD_SERVICE_CIDR = '100.64.0.0/10';

export type SystemEntryKind = 'service' | 'local';

export interface SystemRouteEntry {
  destinationCidrBlock: string;
  nextHopType: SystemEntryKind;
  vswitchId: string;
}

export function cloudServiceEntry(): SystemRouteEntry {
  return { destinationCidrBlock: CLOUD_SERVICE_CIDR, nextHopType: 'service', vswitchId: '' };
}

export function vswitchEntry(vswitchId: string, cidrBlock: string): SystemRouteEntry {
  return { destinationCidrBlock: cidrBlock, nextHopType: 'local', vswitchId };
}

/**
 * A route table's status follows its VPC's: the table is made with the VPC (Pending until the VPC
 * is Available) and goes with it (DescribeRouteTableList documents Pending, Available, Deleting).
 */
export function routeTableStatus(vpcStatus: string): string {
  return vpcStatus === 'Pending' || vpcStatus === 'Deleting' ? vpcStatus : 'Available';
}
