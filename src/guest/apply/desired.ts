/** What the namespace should look like for one GuestModel: the planner's output, the differ's input. */

import type { Family } from './commands.ts';

export interface DesiredAddress {
  family: Family;
  ip: string;
  prefixLength: number;
  /** Added without the kernel's connected route (os-config.md §6.7: no duplicate subnet routes). */
  noprefixroute: boolean;
  /** IPv6: added without duplicate address detection (plan.ts says why). */
  nodad?: boolean;
}

export interface DesiredInterface {
  eniId: string;
  mac: string;
  primaryEni: boolean;
  /** The device's name now, as the kernel (or whoever plugged it) named it. */
  currentName: string;
  /** Its name once the plan has run: eth<index> when a rename is safe, else currentName. */
  name: string;
  /** Per family, the ENI's primary IP first: the kernel makes the first address of a subnet the source address. */
  addresses: DesiredAddress[];
  /** rp_filter to set, for secondary ENIs only. */
  rpFilter?: number;
  /** The ENI has IPv6 addresses: IPv6 must be enabled on its device (disable_ipv6 = 0). */
  ipv6?: boolean;
}

export interface DesiredRoute {
  family: Family;
  table: number;
  /** `default` or a CIDR. */
  dst: string;
  gateway?: string;
  dev: string;
  /**
   * Add only when the table has no route to dst that someone else made: the primary ENI's
   * default in main is usually there already (DHCP, the image's config), and main cannot hold two.
   */
  yieldToForeign?: boolean;
}

export interface DesiredRule {
  family: Family;
  priority: number;
  /** A host CIDR (/32, /128) or a delegated prefix (/28, /80). */
  src: string;
  table: number;
}

export interface DesiredState {
  interfaces: DesiredInterface[];
  routes: DesiredRoute[];
  rules: DesiredRule[];
  /** ENIs the metadata lists whose MAC no device in the namespace carries (yet). */
  missing: { eniId: string; mac: string }[];
  /** Things worth telling the operator (names kept, and why). */
  notes: string[];
}
