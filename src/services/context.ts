import type { AttachLocality } from '../domain/eni-rules.ts';
import type { AsyncFault } from '../domain/faults.ts';
import type { Quotas } from '../domain/quotas.ts';
import type { Random } from '../lib/random.ts';
import type { Tx } from '../store/schema.ts';

/** How long each asynchronous state lasts, in milliseconds (serve --delays). */
export interface Delays {
  /** CreateVpc: Pending → Available. */
  vpcCreate: number;
  /** CreateVSwitch: Pending → Available. */
  vswitchCreate: number;
  /** DeleteVpc / DeleteVSwitch: the resource lingers in its deleting state this long. */
  vpcDelete: number;
  vswitchDelete: number;
  /** AttachNetworkInterface: Attaching → InUse. */
  eniAttach: number;
  /** DetachNetworkInterface: Detaching → Available. */
  eniDetach: number;
  /** DeleteNetworkInterface: Deleting → gone. */
  eniDelete: number;
  /** RunInstances: Pending, then Starting, each this long. */
  instanceCreate: number;
  /** StartInstance / RebootInstance: Starting → Running. */
  instanceStart: number;
  /** StopInstance: Stopping → Stopped. */
  instanceStop: number;
  /** AssociateEipAddress / UnassociateEipAddress: Associating / Unassociating. */
  eipAssociate: number;
}

/** The server settings the use cases read; the rest of ServerConfig (strictness, clocks, listeners) stays above them. */
export interface ServiceSettings {
  delays: Delays;
  /** The account quotas in force (domain/quotas.ts; serve --quotas). */
  quotas: Quotas;
  /**
   * Where an ENI may attach: 'zone' (same VPC and zone, what the API allows and Terway relies on,
   * default) or 'vswitch' (same VPC and vSwitch, the seed document's stricter rule).
   */
  attachLocality: AttachLocality;
  /** Public addresses EIPs are drawn from. */
  eipPool: string;
  /** The IPv6 network VPCs' /56 blocks are drawn from (serve --ipv6-pool). */
  ipv6Pool: string;
}

/**
 * What a use case runs with: one open transaction, the caller's account and region, the instant
 * of the call, a random source and the settings. Whoever calls a service (api/invoke.ts, a CLI
 * command, a test) builds it; services know nothing of requests, wires or loggers.
 */
export interface ServiceContext {
  tx: Tx;
  accountId: string;
  /** The request's RegionId, or the server's default region when the action takes none. */
  regionId: string;
  /** The time of the call, read once, so one call sees one instant. */
  now: number;
  random: Random;
  settings: ServiceSettings;
  /**
   * An injected fault for the asynchronous transition this call starts (AttachNetworkInterface,
   * DetachNetworkInterface, DeleteNetworkInterface; domain/faults.ts asyncOutcome), or none.
   */
  asyncFault?: AsyncFault;
}
