/** The RAM role attached to an instance. */
export interface InstanceRamRole {
  instanceId: string;
  roleName: string;
  attachedAt: number;
}
