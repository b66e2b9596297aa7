/** One entry of a VPC's system route table (the cloud maintains System entries itself). */
export interface RouteEntry {
  id: string;
  accountId: string;
  routeTableId: string;
  destinationCidrBlock: string;
  /** System (made by the cloud); custom entries are not implemented. */
  entryType: string;
  /** service (100.64.0.0/10) | local (a vSwitch's CIDR). */
  nextHopType: string;
  /** The vSwitch whose CIDR the entry routes; '' for other entries. */
  vswitchId: string;
  createdAt: number;
}
