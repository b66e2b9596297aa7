import { createHash } from 'node:crypto';

/**
 * The names the data plane gives what it creates (issue 15). Everything it makes carries its own
 * prefix, so it can find, adopt and remove its objects without ever touching the host's: network
 * namespaces start with `ep-`, links it creates outside an instance with `ep`.
 *
 * Linux limits interface names to 15 bytes; namespace names are file names under /run/netns.
 */

export const NAMESPACE_PREFIX = 'ep-';

/** An instance's namespace: `ep-i-bp1…`, named after its instance ID. */
export function instanceNamespace(instanceId: string): string {
  return `${NAMESPACE_PREFIX}${instanceId}`;
}

/** A VPC's router namespace: its vSwitches' gateways, routes and security groups. */
export function vpcNamespace(vpcId: string): string {
  return `${NAMESPACE_PREFIX}${vpcId}`;
}

/** The namespace that stands for the internet, where EIPs are reachable. */
export const INTERNET_NAMESPACE = `${NAMESPACE_PREFIX}internet`;

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

/** Inside the instance the ENI is `eth<DeviceIndex>`, as the images name hot-plugged NICs. */
export function guestLinkName(deviceIndex: number): string {
  return `eth${deviceIndex}`;
}

export function isOwnNamespace(name: string): boolean {
  return name.startsWith(NAMESPACE_PREFIX);
}
