/**
 * An ECS instance as every layer above the store sees it (store/repos/instances.ts maps its rows).
 * Its status runs through up to two timed stages (domain/instance-lifecycle.ts).
 */
export interface Instance {
  id: string;
  accountId: string;
  regionId: string;
  zoneId: string;
  vpcId: string;
  vswitchId: string;
  instanceType: string;
  imageId: string;
  name: string;
  hostName: string;
  description: string;
  status: string;
  nextStatus: string | null;
  transitionAt: number | null;
  finalStatus: string | null;
  finalAt: number | null;
  deletionProtection: boolean;
  httpEndpoint: string;
  httpTokens: string;
  httpPutResponseHopLimit: number;
  /** enabled | disabled: tags under the metadata service's tags/instance/. */
  instanceMetadataTags: string;
  /** What RunInstances / CreateInstance were given beyond the columns (api/ecs/instance-params.ts checkedAttributes). */
  attributes: InstanceAttributes;
  createdAt: number;
  startedAt: number | null;
  /** The public address RunInstances / AllocatePublicIpAddress gave it, if any. */
  publicIp: string | null;
  resourceGroupId: string;
}

/** The stored creation parameters: system disk, charging, key pair, user data (each optional in older rows). */
export interface InstanceAttributes {
  SystemDiskCategory?: string;
  SystemDiskSize?: number;
  InstanceChargeType?: string;
  InternetChargeType?: string;
  InternetMaxBandwidthOut?: number;
  KeyPairName?: string;
  /** Base64, as given; '' when none. */
  UserData?: string;
  [name: string]: unknown;
}

/** What may change on an instance after it is created. */
export type InstanceChanges = Partial<Omit<Instance, 'id' | 'accountId'>>;
