/** A resource status; the in-between ones (Attaching, Detaching, Deleting, Pending…) are marked busy. */
const TRANSIENT = new Set(['Attaching', 'Detaching', 'Deleting', 'Pending', 'Starting', 'Stopping', 'Creating', 'Associating', 'Unassociating', 'Releasing']);

export function StatusBadge({ status }: { status: string }) {
  const transient = TRANSIENT.has(status);
  return (
    <span className={`status status-${status.toLowerCase()}`} aria-busy={transient || undefined}>
      {status}
    </span>
  );
}

export function isTransient(status: string | undefined): boolean {
  return status !== undefined && TRANSIENT.has(status);
}
