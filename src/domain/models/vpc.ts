/** A VPC as the store keeps it. Its system route table (and vRouter) live on it: one per VPC. */
export interface Vpc {
  id: string;
  accountId: string;
  regionId: string;
  cidrBlock: string;
  name: string;
  description: string;
  /** With nextStatus and transitionAt, the asynchronous state domain/async-state.ts resolves at a request's time. */
  status: string;
  nextStatus: string | null;
  transitionAt: number | null;
  isDefault: boolean;
  vrouterId: string;
  routeTableId: string;
  resourceGroupId: string;
  createdAt: number;
  /** The VPC's IPv6 /56, '' while IPv6 is off. */
  ipv6CidrBlock: string;
  /** The IPv6 block's line type (BGP), '' while IPv6 is off. */
  ipv6Isp: string;
}
