import { createHash } from 'node:crypto';

/**
 * The names the data plane gives what it creates (issue 15). Everything it makes carries its own
 * prefix, so it can find, adopt and remove its objects without ever touching the host's: network
 * namespaces start with `ep-` (or ENIPLANE_DATAPLANE_PREFIX), links it creates outside an instance with `ep`.
 *
 * Linux limits interface names to 15 bytes; namespace names are file names under /run/netns.
 */

export const DEFAULT_NAMESPACE_PREFIX = 'ep-';

/** A prefix is lowercase letters and digits ending in `-`: `ep-` (the default), `ci1-`, … */
const PREFIX_FORMAT = /^[a-z][a-z0-9]{0,7}-$/;

/**
 * The prefix of this process's namespaces: `ENIPLANE_DATAPLANE_PREFIX`, default `ep-`. Two servers
 * (or two test suites) with different prefixes share one machine without removing each other's
 * namespaces: ownership is the prefix followed by exactly an instance ID, a VPC ID or `internet`.
 * Read from the environment on each call so `serve` and the `dataplane` commands agree.
 */
export function namespacePrefix(): string {
  const prefix = process.env.ENIPLANE_DATAPLANE_PREFIX || DEFAULT_NAMESPACE_PREFIX;
  if (!PREFIX_FORMAT.test(prefix)) {
    throw new Error(`ENIPLANE_DATAPLANE_PREFIX "${prefix}": 2 to 9 lowercase letters and digits, starting with a letter, ending in "-"`);
  }
  return prefix;
}

/** An instance's namespace: `ep-i-bp1…`, named after its instance ID. */
export function instanceNamespace(instanceId: string): string {
  return `${namespacePrefix()}${instanceId}`;
}

/** A VPC's router namespace: its vSwitches' gateways, routes and security groups. */
export function vpcNamespace(vpcId: string): string {
  return `${namespacePrefix()}${vpcId}`;
}

/** The namespace that stands for the internet, where EIPs are reachable. */
export function internetNamespace(): string {
  return `${namespacePrefix()}internet`;
}

function shortHash(id: string, length: number): string {
  return createHash('sha256').update(id).digest('hex').slice(0, length);
}

/**
 * The router-side end of an ENI's veth pair, in its VPC's namespace: `ep` + 13 hex digits of the
 * ENI ID's hash (15 bytes). Security group chains match packets by this name.
 */
export function eniRouterLink(eniId: string): string {
  return `ep${shortHash(eniId, 13)}`;
}

/** The instance-side end while it is created in the router namespace, before it moves and is renamed ethN. */
export function eniTransitLink(eniId: string): string {
  return `eq${shortHash(eniId, 13)}`;
}

/**
 * The router-side end of a VPC's link to the internet namespace, in its router namespace: `ei` + 13
 * hex digits of the VPC ID's hash (15 bytes). Not `ep…`: those are ENI ports, and a router link of
 * that form that no ENI wants is removed as a stray. The EIP NAT rules match packets by this name.
 */
export function internetRouterLink(vpcId: string): string {
  return `ei${shortHash(vpcId, 13)}`;
}

/** The internet-side end of the same veth pair, in the internet namespace: `ev` + the same 13 hex digits. */
export function internetVpcLink(vpcId: string): string {
  return `ev${shortHash(vpcId, 13)}`;
}

/** Inside the instance the ENI is `eth<DeviceIndex>`, as the images name hot-plugged NICs. */
export function guestLinkName(deviceIndex: number): string {
  return `eth${deviceIndex}`;
}

/** The rest of an own namespace's name after the prefix. */
const OWN_SUFFIX = /^(?:i-[a-z0-9]+|vpc-[a-z0-9]+|internet)$/;

/** Ours: this prefix followed by exactly an instance ID, a VPC ID or `internet` (not `ep-x-i-…` of a prefix `ep-x-`). */
export function isOwnNamespace(name: string): boolean {
  const prefix = namespacePrefix();
  return name.startsWith(prefix) && OWN_SUFFIX.test(name.slice(prefix.length));
}
