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
}
