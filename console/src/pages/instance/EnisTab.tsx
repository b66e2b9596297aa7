/** An instance's ENIs tab: its primary and secondary ENIs, unbind, and Bind Secondary ENI. */
import { useId, useState } from 'react';
import { useAction, useActionMutation, useView } from '../../api/hooks.ts';
import { ConfirmDialog, Dialog } from '../../components/Dialog.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import type { InstanceSummary } from '../../components/InstanceActions.tsx';
import { StatusBadge, isTransient } from '../../components/StatusBadge.tsx';
import type { InstanceTypeInfo } from '../InstanceDetail.tsx';
import { FormActions } from '../../components/FormActions.tsx';
import { ScrollTable } from '../../components/ScrollTable.tsx';
import { LinkButton } from '../../components/LinkButton.tsx';

interface EniRow {
  NetworkInterfaceId: string;
  NetworkInterfaceName: string;
  Type: string;
  Status: string;
  VSwitchId: string;
  ZoneId: string;
  MacAddress: string;
  PrimaryIpAddress: string;
  Attachment: { DeviceIndex: number; TrunkNetworkInterfaceId: string };
  PrivateIpSets: { PrivateIpSet: { PrivateIpAddress: string; Primary: boolean }[] };
}

export function EnisTab({ instance, type }: { instance: InstanceSummary; type: InstanceTypeInfo | undefined }) {
  const id = instance.InstanceId;
  const enis = useAction<{ NetworkInterfaceSets: { NetworkInterfaceSet: EniRow[] } }>(
    'Ecs',
    'DescribeNetworkInterfaces',
    { InstanceId: id, PageSize: 100 },
    { refetchInterval: (q) => (q.state.data?.NetworkInterfaceSets.NetworkInterfaceSet.some((e) => isTransient(e.Status)) ? 1000 : false) },
  );
  const rows = [...(enis.data?.NetworkInterfaceSets.NetworkInterfaceSet ?? [])].sort(
    (a, b) => (a.Type === 'Primary' ? 0 : 1) - (b.Type === 'Primary' ? 0 : 1) || a.Attachment.DeviceIndex - b.Attachment.DeviceIndex,
  );
  const [binding, setBinding] = useState(false);
  const [unbinding, setUnbinding] = useState<EniRow | null>(null);
  const detach = useActionMutation('Ecs', 'DetachNetworkInterface');
  return (
    <>
      <h2>ENIs</h2>
      <div className="toolbar">
        <button type="button" className="primary" onClick={() => setBinding(true)}>
          Bind Secondary ENI
        </button>
        {type && (
          <span className="hint">
            {rows.filter((r) => !r.Attachment.TrunkNetworkInterfaceId).length} of {type.EniQuantity} ENIs ({instance.InstanceType}, the primary one included) ·
            up to {type.EniPrivateIpAddressQuantity} private IPs per ENI
          </span>
        )}
      </div>
      <ErrorAlert error={enis.error ?? detach.error} />
      <ScrollTable caption={`ENIs of ${id}`}>
        <thead>
          <tr>
            <th scope="col">ENI ID / name</th>
            <th scope="col">Type</th>
            <th scope="col">Status</th>
            <th scope="col">vSwitch / zone</th>
            <th scope="col">Primary private IP</th>
            <th scope="col">Secondary private IPs</th>
            <th scope="col">MAC</th>
            <th scope="col">Device index</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((e) => (
            <tr key={e.NetworkInterfaceId}>
              <td>
                {e.NetworkInterfaceId}
                {e.NetworkInterfaceName && <span className="sub">{e.NetworkInterfaceName}</span>}
              </td>
              <td>{e.Type}</td>
              <td>
                <StatusBadge status={e.Status} />
              </td>
              <td>
                {e.VSwitchId}
                <span className="sub">{e.ZoneId}</span>
              </td>
              <td>{e.PrimaryIpAddress}</td>
              <td>
                {e.PrivateIpSets.PrivateIpSet.filter((s) => !s.Primary)
                  .map((s) => s.PrivateIpAddress)
                  .join(', ')}
              </td>
              <td>{e.MacAddress}</td>
              <td>{e.Attachment.DeviceIndex}</td>
              <td>
                {e.Type !== 'Primary' && (
                  <LinkButton
                    onClick={() => {
                      detach.reset();
                      setUnbinding(e);
                    }}
                  >
                    Unbind
                  </LinkButton>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </ScrollTable>
      <ConfirmDialog
        title="Unbind ENI"
        open={unbinding !== null}
        onClose={() => setUnbinding(null)}
        confirmLabel="Unbind"
        busy={detach.isPending}
        onConfirm={() => detach.mutate({ InstanceId: id, NetworkInterfaceId: unbinding?.NetworkInterfaceId }, { onSettled: () => setUnbinding(null) })}
      >
        <p>
          Unbind <strong>{unbinding?.NetworkInterfaceId}</strong> from {id}? It goes Detaching, then Available; the guest loses the NIC.
        </p>
      </ConfirmDialog>
      {binding && <BindSecondaryEniDialog instanceId={id} onClose={() => setBinding(false)} />}
    </>
  );
}

interface Candidate {
  NetworkInterfaceId: string;
  NetworkInterfaceName: string;
  VSwitchId: string;
  ZoneId: string;
  Status: string;
  Type: string;
  PrimaryIpAddress: string;
  InstanceId: string;
  MayJoin: boolean;
  Code?: string;
  Message?: string;
}

/** The ENIs that may join (the server's own AttachNetworkInterface check), and the others disabled with its reason. */
function BindSecondaryEniDialog({ instanceId, onClose }: { instanceId: string; onClose(): void }) {
  const candidates = useView<{ VpcId: string; Candidates: Candidate[]; Truncated: boolean; Limit: number }>('attach-candidates', { InstanceId: instanceId });
  const attach = useActionMutation('Ecs', 'AttachNetworkInterface');
  const [chosen, setChosen] = useState('');
  const name = useId();
  const list = candidates.data?.Candidates ?? [];
  return (
    <Dialog title="Bind Secondary ENI" open onClose={onClose} wide>
      <ErrorAlert error={candidates.error} />
      {candidates.isLoading && <p>Loading…</p>}
      {candidates.data && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            attach.mutate({ InstanceId: instanceId, NetworkInterfaceId: chosen }, { onSuccess: onClose });
          }}
        >
          <fieldset>
            <legend>ENIs of {candidates.data.VpcId}</legend>
            <p className="hint">
              The first {candidates.data.Limit} ENIs of the instance’s VPC, those Available first; each unavailable one says why AttachNetworkInterface would
              refuse it now.{candidates.data.Truncated ? ' More ENIs exist: bind them from the ENIs page by ID.' : ''}
            </p>
            {list.length === 0 && <p>No other ENI in this VPC. Create one on the ENIs page.</p>}
            <ul className="candidates">
              {list.map((c) => (
                <li key={c.NetworkInterfaceId} className={c.MayJoin ? '' : 'disabled'}>
                  <label className="radio">
                    <input
                      type="radio"
                      name={name}
                      value={c.NetworkInterfaceId}
                      disabled={!c.MayJoin}
                      checked={chosen === c.NetworkInterfaceId}
                      onChange={() => setChosen(c.NetworkInterfaceId)}
                      aria-describedby={c.MayJoin ? undefined : `${name}-${c.NetworkInterfaceId}`}
                    />
                    <span>
                      {c.NetworkInterfaceId}
                      {c.NetworkInterfaceName ? ` (${c.NetworkInterfaceName})` : ''} · {c.VSwitchId} · {c.ZoneId} · {c.PrimaryIpAddress} · {c.Status}
                      {c.InstanceId ? ` on ${c.InstanceId}` : ''}
                    </span>
                  </label>
                  {!c.MayJoin && (
                    <span className="reason" id={`${name}-${c.NetworkInterfaceId}`}>
                      {c.Code}: {c.Message}
                    </span>
                  )}
                </li>
              ))}
            </ul>
          </fieldset>
          <ErrorAlert error={attach.error} />
          <FormActions submitLabel="OK" disabled={!chosen || attach.isPending} onCancel={onClose} />
        </form>
      )}
    </Dialog>
  );
}
