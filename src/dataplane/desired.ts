import { intToIpv4, parseIpv4Cidr, vswitchReserved } from '../domain/cidr.ts';
import { linkVpcsToInternet, type DesiredInternet, type DesiredNat, type SnapshotPublicAddress } from './desired-internet.ts';
import { eniRouterLink, guestLinkName, instanceNamespace, vpcNamespace } from './names.ts';

/**
 * What the machine should look like, computed from a snapshot of the store with no I/O, so it is
 * unit-tested without root (test/unit/dataplane-desired.test.ts).
 *
 * Topology (issue 15): routed, not bridged. One router namespace per VPC; each ENI of a live
 * instance is a veth pair whose router end stays there (proxy ARP, a /32 route per private IP)
 * and whose other end is `eth<DeviceIndex>` in the instance's namespace, with the ENI's MAC.
 * Every router is also linked to the internet namespace, where its EIPs are reachable
 * (desired-internet.ts).
 */

/** One ENI as the snapshot gives it: attached (InUse) to its instance. */
export interface SnapshotEni {
  id: string;
  mac: string;
  deviceIndex: number;
  primary: boolean;
  /** Every private IPv4 of the ENI, its primary address first. */
  privateIps: string[];
  /** Its IPv4 /28 prefixes (routed to it like its addresses). */
  ipv4Prefixes: string[];
  vswitchCidr: string;
}

export interface SnapshotInstance {
  id: string;
  vpcId: string;
  /** The status at the snapshot's time (instanceStatus). */
  status: string;
  enis: SnapshotEni[];
}

export interface Snapshot {
  instances: SnapshotInstance[];
  /** Associated EIPs and instances' public IPs (desired-internet.ts); none when absent. */
  publicAddresses?: SnapshotPublicAddress[];
}

/** The router end of one ENI, in its VPC's namespace. */
export interface DesiredPort {
  eniId: string;
  link: string;
  /** Where its peer lives, under which name and MAC. */
  instanceNs: string;
  guestLink: string;
  mac: string;
  /** Destinations routed to the link: `a.b.c.d/32` per private IP, and the ENI's prefixes. */
  routes: string[];
  /**
   * Every private IP of the ENI, a permanent neighbor with its MAC on the link: the cloud's fabric
   * knows where each address lives and never ARPs for it, so an address answers the moment the
   * guest configures it, whatever an earlier unanswered ARP left in the router's cache.
   */
  neighbors: string[];
}

export interface DesiredVpc {
  vpcId: string;
  ns: string;
  /** The gateway of every vSwitch an ENI here is in, as `/32` on the router's lo. */
  gateways: string[];
  /** The metadata service's address as `/32` on the router's lo (metadata-listeners.ts listens there). */
  metadataAddress: string;
  ports: DesiredPort[];
  /** The router end of its link to the internet namespace (desired-internet.ts). */
  internetLink: string;
  /** Public addresses translated 1:1 to its private ones (eip-nat.ts). */
  nat: DesiredNat[];
}

/** The primary ENI's configuration as the image applies it at boot. */
export interface GuestConfig {
  /** `address/prefix` of the vSwitch CIDR. */
  address: string;
  gateway: string;
}

export interface DesiredGuestLink {
  eniId: string;
  name: string;
  mac: string;
  routerLink: string;
  /**
   * up: the image brings it up and configures it (`config`); down: forced down and unconfigured
   * (a stopped instance); guest: left to the guest (a secondary ENI of a running instance: it
   * arrives down and unconfigured, `guest apply` configures it).
   */
  mode: 'up' | 'down' | 'guest';
  config?: GuestConfig;
}

export interface DesiredInstance {
  instanceId: string;
  ns: string;
  vpcNs: string;
  running: boolean;
  links: DesiredGuestLink[];
}

export interface DesiredState {
  vpcs: DesiredVpc[];
  instances: DesiredInstance[];
  internet: DesiredInternet;
}

/**
 * The metadata service's address, as on the cloud. Every instance's default route leads to its VPC
 * router, so the address lives on the router's lo and the router knows the caller by the source.
 */
export const METADATA_IP = '100.100.100.200';
export const METADATA_PORT = 80;

/** The guest runs while the instance is Running or on its way down (Stopping); otherwise its NICs are down. */
export const RUNNING_STATUSES: ReadonlySet<string> = new Set(['Running', 'Stopping']);

function vswitchNet(cidr: string) {
  const net = parseIpv4Cidr(cidr);
  if (typeof net === 'string') throw new Error(`stored vSwitch CIDR "${cidr}" is malformed (${net})`);
  return net;
}

/** The vSwitch gateway the cloud gives (the metadata service's `gateway`: domain/cidr.ts vswitchReserved). */
export function vswitchGateway(cidr: string): string {
  return intToIpv4(vswitchReserved(vswitchNet(cidr)).gateway);
}

function hostRoute(ip: string): string {
  return `${ip}/32`;
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function desiredState(snapshot: Snapshot): DesiredState {
  const vpcs = new Map<string, DesiredVpc>();
  const instances: DesiredInstance[] = [];
  for (const inst of [...snapshot.instances].sort((a, b) => byString(a.id, b.id))) {
    const ns = instanceNamespace(inst.id);
    const vpcNs = vpcNamespace(inst.vpcId);
    const running = RUNNING_STATUSES.has(inst.status);
    const vpc = vpcs.get(inst.vpcId) ?? {
      vpcId: inst.vpcId,
      ns: vpcNs,
      gateways: [],
      metadataAddress: hostRoute(METADATA_IP),
      ports: [],
      internetLink: '',
      nat: [],
    };
    vpcs.set(inst.vpcId, vpc);
    const links: DesiredGuestLink[] = [];
    for (const eni of [...inst.enis].sort((a, b) => a.deviceIndex - b.deviceIndex)) {
      const routerLink = eniRouterLink(eni.id);
      const name = guestLinkName(eni.deviceIndex);
      const gateway = vswitchGateway(eni.vswitchCidr);
      if (!vpc.gateways.includes(hostRoute(gateway))) vpc.gateways.push(hostRoute(gateway));
      vpc.ports.push({
        eniId: eni.id,
        link: routerLink,
        instanceNs: ns,
        guestLink: name,
        mac: eni.mac.toLowerCase(),
        routes: [...new Set([...eni.privateIps.map(hostRoute), ...eni.ipv4Prefixes])].sort(byString),
        neighbors: [...new Set(eni.privateIps)].sort(byString),
      });
      const primaryIp = eni.privateIps[0];
      const mode = !running ? 'down' : eni.primary ? 'up' : 'guest';
      links.push({
        eniId: eni.id,
        name,
        mac: eni.mac.toLowerCase(),
        routerLink,
        mode,
        ...(mode === 'up' && primaryIp && { config: { address: `${primaryIp}/${vswitchNet(eni.vswitchCidr).prefix}`, gateway } }),
      });
    }
    instances.push({ instanceId: inst.id, ns, vpcNs, running, links });
  }
  for (const vpc of vpcs.values()) {
    vpc.gateways.sort(byString);
    vpc.ports.sort((a, b) => byString(a.link, b.link));
  }
  const sorted = [...vpcs.values()].sort((a, b) => byString(a.vpcId, b.vpcId));
  return { vpcs: sorted, instances, internet: linkVpcsToInternet(sorted, snapshot) };
}
