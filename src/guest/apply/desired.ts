/** What the namespace should look like for one GuestModel: the planner's output, the differ's input. */

export interface DesiredAddress {
  ip: string;
  prefixLength: number;
  /** Added without the kernel's connected route (os-config.md §6.7: no duplicate subnet routes). */
  noprefixroute: boolean;
}

export interface DesiredInterface {
  eniId: string;
  mac: string;
  primaryEni: boolean;
  /** The device's name now, as the kernel (or whoever plugged it) named it. */
  currentName: string;
  /** Its name once the plan has run: eth<index> when a rename is safe, else currentName. */
  name: string;
  /** The ENI's primary IP first: the kernel makes the first address of a subnet the source address. */
  addresses: DesiredAddress[];
  /** rp_filter to set, for secondary ENIs only. */
  rpFilter?: number;
}

export interface DesiredRoute {
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
  priority: number;
  /** A /32 CIDR. */
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
