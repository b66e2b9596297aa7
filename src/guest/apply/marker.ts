/**
 * How eniplane recognises what it created, so that it only ever removes its own.
 *
 * Routes carry `proto 77` and policy rules `protocol 77` (iproute2 ≥ 4.17 and Linux ≥ 4.17 both
 * know a rule's protocol; Debian 12 ships iproute2 6.1). 77 is not named in Debian's
 * /etc/iproute2/rt_protos, and we read state with `ip -N` (numeric) anyway, so a local name for
 * it cannot hide it. GCP's guest agent does the same with `proto 66` (os-config.md §5).
 */
export const ENIPLANE_PROTO = 77;

/** The kernel's id of the main routing table (`ip -N` prints it as 254). */
export const MAIN_TABLE = 254;

/**
 * Priority of a secondary ENI's `from <addr>` rules: the table number itself (eth1 → 1001), as
 * amazon-ec2-net-utils 2.x does (os-config.md §2). Every ENI has its own priority, so its rules
 * are easy to read in `ip rule`, and all of them sit before main (32766): traffic sourced from
 * a secondary ENI's address leaves through that ENI (os-config.md §6.1).
 *
 * DIVERGENCE: Alibaba's docs add `ip rule add from <ip> lookup 1001` with no priority (the kernel
 * picks one); a fixed priority makes the rules the same on every run (docs/divergences.md).
 */
export function rulePriorityOf(table: number): number {
  return table;
}

/** Loose reverse-path filtering (os-config.md §6.2): strict mode drops replies arriving on eth1. */
export const LOOSE_RP_FILTER = 2;
