import { useState, type FormEvent } from 'react';
import type { ConsoleApiError } from '../../api/client.ts';

import { paramSchema, useAction, useActionMutation, useDeclarations, useView } from '../../api/hooks.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { ENI_DECLARATIONS, type EniPage } from './model.ts';
import { FormActions } from '../../components/FormActions.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { LinkButton } from '../../components/LinkButton.tsx';

/** The limit in force, from the server's own rule (src/console/views/eni-ip-limit.ts). */
export interface EniIpLimit {
  Limit: number;
  Reason: string;
  Used: number;
  Status: string;
  InstanceId: string;
  InstanceType: string;
}

interface NewRow {
  mode: 'auto' | 'given';
  count: string;
  address: string;
}

/**
 * "Manage Secondary Private IP Address" (the second seed document): the ENI's addresses, the
 * primary marked; Unassign per secondary address; "Assign New IP" adds rows, each automatic (a
 * count) or a given address; the limit in force and its reason come from the server.
 */
export function ManageIpsDialog({ eniId, onClose }: { eniId: string | null; onClose(): void }) {
  return (
    <Dialog title="Manage Secondary Private IP Address" open={eniId !== null} onClose={onClose} wide>
      {eniId && <ManageIps eniId={eniId} onClose={onClose} />}
    </Dialog>
  );
}

function ManageIps({ eniId, onClose }: { eniId: string; onClose(): void }) {
  const eniQuery = useAction<EniPage>('Ecs', 'DescribeNetworkInterfaces', { NetworkInterfaceId: [eniId], PageNumber: 1, PageSize: 1 });
  const limitQuery = useView<EniIpLimit>('eni-ip-limit', { NetworkInterfaceId: eniId });
  const declarations = useDeclarations(ENI_DECLARATIONS);
  const countSchema = paramSchema(declarations.data?.['Ecs:AssignPrivateIpAddresses'], 'SecondaryPrivateIpAddressCount');
  const assign = useActionMutation('Ecs', 'AssignPrivateIpAddresses');
  const unassign = useActionMutation('Ecs', 'UnassignPrivateIpAddresses');
  const [rows, setRows] = useState<NewRow[]>([]);
  const [assignError, setAssignError] = useState<ConsoleApiError | null>(null);
  const [done, setDone] = useState('');

  const eni = eniQuery.data?.NetworkInterfaceSets.NetworkInterfaceSet[0];
  const limit = limitQuery.data;
  const pending = rows.reduce((n, r) => n + (r.mode === 'given' ? 1 : Math.max(0, Number(r.count) || 0)), 0);
  const reached = limit !== undefined && limit.Used + pending >= limit.Limit;

  const setRow = (i: number, change: Partial<NewRow>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...change } : r)));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setAssignError(null);
    setDone('');
    const given = rows.filter((r) => r.mode === 'given').map((r) => r.address.trim());
    const count = rows.filter((r) => r.mode === 'auto').reduce((n, r) => n + (Number(r.count) || 0), 0);
    // The action takes addresses or a count, not both in one request: one call for each.
    try {
      const assigned: string[] = [];
      if (given.length > 0) assigned.push(...(await assignCall({ NetworkInterfaceId: eniId, PrivateIpAddress: given })));
      if (count > 0 || given.length === 0) assigned.push(...(await assignCall({ NetworkInterfaceId: eniId, SecondaryPrivateIpAddressCount: count })));
      setRows([]);
      setDone(`Assigned ${assigned.join(', ')}.`);
    } catch (err) {
      setAssignError(err as ConsoleApiError);
    }
  }

  async function assignCall(params: Record<string, unknown>): Promise<string[]> {
    const answer = (await assign.mutateAsync(params)) as unknown as {
      AssignedPrivateIpAddressesSet: { PrivateIpSet: { PrivateIpAddress: string[] } };
    };
    return answer.AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress;
  }

  const ips = eni?.PrivateIpSets.PrivateIpSet ?? [];
  return (
    <>
      <p>
        ENI <strong>{eniId}</strong> {eni && <StatusBadge status={eni.Status} />}
        {eni?.InstanceId && <> · attached to {eni.InstanceId}</>}
      </p>
      <ErrorAlert error={eniQuery.error ?? limitQuery.error} />
      {limit && (
        <p className="notice" role="status">
          Limit in force: <strong>{limit.Limit}</strong> private IP addresses ({limit.Used} in use): {limit.Reason}.{reached && <> The limit is reached.</>}
        </p>
      )}
      <ScrollTable caption={`Private IP addresses of ${eniId}`}>
        <thead>
          <tr>
            <th scope="col">Private IP address</th>
            <th scope="col">Kind</th>
            <th scope="col">EIP</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {ips.map((ip) => (
            <tr key={ip.PrivateIpAddress}>
              <td>{ip.PrivateIpAddress}</td>
              <td>{ip.Primary ? 'Primary' : 'Secondary'}</td>
              <td>{ip.AssociatedPublicIp.PublicIpAddress || '—'}</td>
              <td>
                {!ip.Primary && (
                  <LinkButton
                    label={`Unassign ${ip.PrivateIpAddress}`}
                    disabled={unassign.isPending}
                    onClick={() => {
                      setDone('');
                      unassign.mutate({ NetworkInterfaceId: eniId, PrivateIpAddress: [ip.PrivateIpAddress] });
                    }}
                  >
                    Unassign
                  </LinkButton>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </ScrollTable>
      <ErrorAlert error={unassign.error} />

      <form onSubmit={(e) => void submit(e)}>
        <h3>New addresses</h3>
        {rows.map((row, i) => (
          <fieldset className="ip-row" key={i}>
            <legend>New IP {i + 1}</legend>
            <label className="choice">
              <input type="radio" name={`ip-mode-${i}`} checked={row.mode === 'auto'} onChange={() => setRow(i, { mode: 'auto' })} /> Assign automatically
            </label>
            <label className="choice">
              <input type="radio" name={`ip-mode-${i}`} checked={row.mode === 'given'} onChange={() => setRow(i, { mode: 'given' })} /> Specify an address
            </label>
            {row.mode === 'auto' ? (
              <label>
                New IP {i + 1} count{' '}
                <input
                  type="number"
                  min={countSchema?.minimum}
                  max={countSchema?.maximum}
                  value={row.count}
                  onChange={(e) => setRow(i, { count: e.target.value })}
                />
              </label>
            ) : (
              <label>
                New IP {i + 1} address <input value={row.address} onChange={(e) => setRow(i, { address: e.target.value })} />
              </label>
            )}
            <LinkButton label={`Remove new IP ${i + 1}`} onClick={() => setRows(rows.filter((_, j) => j !== i))}>
              Remove
            </LinkButton>
          </fieldset>
        ))}
        <div className="dialog-actions">
          <button
            type="button"
            onClick={() => setRows([...rows, { mode: 'auto', count: '1', address: '' }])}
            disabled={!limit || reached}
            aria-describedby={reached ? 'eni-ip-limit-reason' : undefined}
          >
            Assign New IP
          </button>
          {reached && limit && (
            <span className="hint" id="eni-ip-limit-reason">
              Limit of {limit.Limit} reached: {limit.Reason}.
            </span>
          )}
        </div>
        <ErrorAlert error={assignError} />
        {done && (
          <p className="notice" role="status">
            {done}
          </p>
        )}
        <FormActions submitLabel="Modify" disabled={rows.length === 0 || assign.isPending} onCancel={onClose} cancelLabel="Close" />
      </form>
    </>
  );
}
