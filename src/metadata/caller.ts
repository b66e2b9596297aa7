/**
 * Who is asking the metadata service, decided from what the request names and where it came from
 * (pure; unit-tested in test/unit/metadata.test.ts).
 *
 * On the loopback listener the request names its instance (header or path prefix): there is no
 * address to know it by. Through the data plane (100.100.100.200 in a VPC router namespace) the
 * source address decides, as on the cloud: the instance whose ENI in that VPC holds it. A request
 * there may still name an instance (the guest tool sends its `--instance`), but only its own.
 */

export type Connection =
  | { kind: 'loopback' }
  /** `holder`: the instance whose InUse ENI in the VPC holds the source address, if any. */
  | { kind: 'dataplane'; vpcId: string; address: string; holder: string | undefined };

export type CallerDecision = { instanceId: string } | { status: number; message: string };

export function decideCaller(connection: Connection, named: string | undefined): CallerDecision {
  if (connection.kind === 'loopback') {
    if (named) return { instanceId: named };
    return {
      status: 404,
      message:
        'No instance named. This listener cannot tell instances apart by source address: send the header X-Eniplane-Instance-Id: i-..., or prefix the path (/i-.../latest/meta-data/). With serve --dataplane netns, an instance asks http://100.100.100.200 from its own namespace.',
    };
  }
  const { vpcId, address, holder } = connection;
  if (!holder) return { status: 403, message: `Forbidden: no instance in ${vpcId} holds the source address ${address}.` };
  if (named && named !== holder)
    return { status: 403, message: `Forbidden: this request comes from ${holder} (${address}); it may not read the metadata of ${named}.` };
  return { instanceId: holder };
}

/**
 * Temporary RAM credentials go only to the instance itself: a caller known by its source address,
 * or one on this host's loopback (the loopback listener names instances by request, so anyone who
 * could reach it beyond this host could claim any instance: design.md "Security").
 */
export function mayReadCredentials(connection: Connection, remoteAddress: string | undefined): boolean {
  if (connection.kind === 'dataplane') return connection.holder !== undefined;
  return isLoopback(remoteAddress);
}

export function isLoopback(address: string | undefined): boolean {
  return address !== undefined && (address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.'));
}

/** An IPv4 source as the store writes it (`::ffff:10.0.0.5` from a dual-stack socket → `10.0.0.5`). */
export function plainIpv4(address: string | undefined): string {
  return (address ?? '').replace(/^::ffff:/i, '');
}
