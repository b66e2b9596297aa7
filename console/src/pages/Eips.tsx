import { useState, type FormEvent } from 'react';
import { paramSchema, useAction, useActionMutation, useDeclarations } from '../api/hooks.ts';
import { ConfirmDialog, Dialog } from '../components/Dialog.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { Field } from '../components/Field.tsx';
import { Pager } from '../components/Pager.tsx';
import { schemaHint } from '../components/schema-hint.ts';
import { isTransient, StatusBadge } from '../components/StatusBadge.tsx';
import './network.css';
import { FormActions } from '../components/FormActions.tsx';
import { TableStatusRows } from '../components/TableStatusRows.tsx';
import { ScrollTable } from '../components/ScrollTable.tsx';
import { LinkButton } from '../components/LinkButton.tsx';

interface Eip {
  AllocationId: string;
  IpAddress: string;
  Name: string;
  Description: string;
  Status: string;
  InstanceId: string;
  InstanceType: string;
  PrivateIpAddress: string;
  Bandwidth: string;
  InternetChargeType: string;
}

const PAGE_SIZE = 10;

/** The EIPs page: DescribeEipAddresses; Associating and Unassociating refresh every second. */
export function EipsPage() {
  const [pageNumber, setPageNumber] = useState(1);
  const [creating, setCreating] = useState(false);
  const [associating, setAssociating] = useState<Eip | null>(null);
  const [unassociating, setUnassociating] = useState<Eip | null>(null);
  const [releasing, setReleasing] = useState<Eip | null>(null);
  const [editing, setEditing] = useState<Eip | null>(null);
  const list = useAction<{ TotalCount: number; PageNumber: number; EipAddresses: { EipAddress: Eip[] } }>(
    'Vpc',
    'DescribeEipAddresses',
    { PageNumber: pageNumber, PageSize: PAGE_SIZE },
    { refetchInterval: (q) => (q.state.data?.EipAddresses.EipAddress.some((e) => isTransient(e.Status)) ? 1000 : false) },
  );
  const eips = list.data?.EipAddresses.EipAddress ?? [];
  return (
    <section className="network-page">
      <h1>EIPs</h1>
      <div className="toolbar">
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          Create EIP
        </button>
      </div>
      <ErrorAlert error={list.error} />
      <ScrollTable caption="Elastic IP addresses">
        <thead>
          <tr>
            <th scope="col">ID / name</th>
            <th scope="col">IP address</th>
            <th scope="col">Status</th>
            <th scope="col">Bound to</th>
            <th scope="col">Bandwidth</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          <TableStatusRows columns={6} loading={list.isLoading} empty={eips.length === 0} emptyText="No EIPs in this region." />
          {eips.map((e) => (
            <tr key={e.AllocationId}>
              <td>
                <code>{e.AllocationId}</code>
                <span className="sub">{e.Name || '—'}</span>
              </td>
              <td>{e.IpAddress}</td>
              <td>
                <StatusBadge status={e.Status} />
              </td>
              <td>
                {e.InstanceId ? (
                  <>
                    <code>{e.InstanceId}</code>
                    <span className="sub">
                      {e.InstanceType === 'NetworkInterface' ? 'ENI' : e.InstanceType === 'EcsInstance' ? 'ECS instance' : e.InstanceType}
                      {e.PrivateIpAddress ? ` · ${e.PrivateIpAddress}` : ''}
                    </span>
                  </>
                ) : (
                  '—'
                )}
              </td>
              <td>
                {e.Bandwidth} Mbit/s
                <span className="sub">{e.InternetChargeType}</span>
              </td>
              <td>
                <div className="row-actions">
                  {e.InstanceId ? (
                    <LinkButton onClick={() => setUnassociating(e)} label={`Unassociate ${e.AllocationId}`}>
                      Unassociate
                    </LinkButton>
                  ) : (
                    <LinkButton onClick={() => setAssociating(e)} label={`Associate ${e.AllocationId}`}>
                      Associate
                    </LinkButton>
                  )}
                  <LinkButton onClick={() => setEditing(e)} label={`Modify ${e.AllocationId}`}>
                    Modify
                  </LinkButton>
                  <LinkButton onClick={() => setReleasing(e)} label={`Release ${e.AllocationId}`}>
                    Release
                  </LinkButton>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </ScrollTable>
      <Pager label="EIPs" answer={list.data} requested={pageNumber} pageSize={PAGE_SIZE} onPage={setPageNumber} />
      {creating && <CreateEipDialog onClose={() => setCreating(false)} />}
      {associating && <AssociateEipDialog eip={associating} onClose={() => setAssociating(null)} />}
      {unassociating && <UnassociateEipDialog eip={unassociating} onClose={() => setUnassociating(null)} />}
      {releasing && <ReleaseEipDialog eip={releasing} onClose={() => setReleasing(null)} />}
      {editing && <ModifyEipDialog eip={editing} onClose={() => setEditing(null)} />}
    </section>
  );
}

/** ModifyEipAddressAttribute: only the fields that changed are sent, so an untouched one changes nothing. */
function ModifyEipDialog({ eip, onClose }: { eip: Eip; onClose(): void }) {
  const declarations = useDeclarations(['Vpc:ModifyEipAddressAttribute']);
  const declaration = declarations.data?.['Vpc:ModifyEipAddressAttribute'];
  const modify = useActionMutation('Vpc', 'ModifyEipAddressAttribute');
  const [name, setName] = useState(eip.Name);
  const [description, setDescription] = useState(eip.Description ?? '');
  const [bandwidth, setBandwidth] = useState(eip.Bandwidth);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const params: Record<string, unknown> = { AllocationId: eip.AllocationId };
    if (name !== eip.Name) params.Name = name;
    if (description !== (eip.Description ?? '')) params.Description = description;
    if (bandwidth !== eip.Bandwidth) params.Bandwidth = bandwidth;
    modify.mutate(params, { onSuccess: onClose });
  };
  return (
    <Dialog title={`Modify EIP ${eip.AllocationId}`} open onClose={onClose}>
      <form onSubmit={submit}>
        {declaration && <p className="hint">{declaration.Summary}</p>}
        <Field label="Name" hint={schemaHint(paramSchema(declaration, 'Name'))}>
          <input value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label="Description" hint={schemaHint(paramSchema(declaration, 'Description'))}>
          <textarea value={description} onChange={(e) => setDescription(e.target.value)} rows={2} />
        </Field>
        <Field label="Bandwidth (Mbit/s)" hint={schemaHint(paramSchema(declaration, 'Bandwidth'))}>
          <input type="text" inputMode="numeric" value={bandwidth} onChange={(e) => setBandwidth(e.target.value)} />
        </Field>
        <ErrorAlert error={modify.error} />
        <FormActions submitLabel="Save" disabled={modify.isPending} onCancel={onClose} />
      </form>
    </Dialog>
  );
}

function CreateEipDialog({ onClose }: { onClose(): void }) {
  const declarations = useDeclarations(['Vpc:AllocateEipAddress']);
  const declaration = declarations.data?.['Vpc:AllocateEipAddress'];
  const allocate = useActionMutation<{ AllocationId: string }>('Vpc', 'AllocateEipAddress');
  const [name, setName] = useState('');
  const [bandwidth, setBandwidth] = useState('5');
  const [chargeType, setChargeType] = useState('PayByTraffic');
  const [description, setDescription] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    allocate.mutate({ Name: name, Bandwidth: bandwidth, InternetChargeType: chargeType, Description: description }, { onSuccess: onClose });
  };
  return (
    <Dialog title="Create EIP" open onClose={onClose}>
      <form onSubmit={submit}>
        {declaration && <p className="hint">{declaration.Summary}</p>}
        <Field label="Name" hint={schemaHint(paramSchema(declaration, 'Name'))}>
          <input value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label="Bandwidth (Mbit/s)" hint={schemaHint(paramSchema(declaration, 'Bandwidth'))}>
          <input inputMode="numeric" value={bandwidth} onChange={(e) => setBandwidth(e.target.value)} />
        </Field>
        <Field label="Metering method">
          <select value={chargeType} onChange={(e) => setChargeType(e.target.value)}>
            <option value="PayByTraffic">Pay by data transfer (PayByTraffic)</option>
            <option value="PayByBandwidth">Pay by bandwidth (PayByBandwidth)</option>
          </select>
        </Field>
        <Field label="Description">
          <input value={description} onChange={(e) => setDescription(e.target.value)} />
        </Field>
        <ErrorAlert error={allocate.error} />
        <FormActions submitLabel="Create" disabled={allocate.isPending} onCancel={onClose} />
      </form>
    </Dialog>
  );
}

interface InstanceSummary {
  InstanceId: string;
  InstanceName: string;
  Status: string;
  EipAddress: { AllocationId: string };
}

interface EniSummary {
  NetworkInterfaceId: string;
  NetworkInterfaceName: string;
  Status: string;
  Type: string;
  PrivateIpAddress: string;
  PrivateIpSets: { PrivateIpSet: { PrivateIpAddress: string; Primary: boolean }[] };
}

/**
 * AssociateEipAddress with an ECS instance (InstanceType EcsInstance) or an ENI's private address
 * (InstanceType NetworkInterface). The lists are the first page of each (100 instances, 100 ENIs);
 * which may take an EIP is the server's to say.
 */
function AssociateEipDialog({ eip, onClose }: { eip: Eip; onClose(): void }) {
  const associate = useActionMutation('Vpc', 'AssociateEipAddress');
  const [kind, setKind] = useState<'EcsInstance' | 'NetworkInterface'>('NetworkInterface');
  const [target, setTarget] = useState('');
  const [privateIp, setPrivateIp] = useState('');
  const instances = useAction<{ Instances: { Instance: InstanceSummary[] } }>(
    'Ecs',
    'DescribeInstances',
    { MaxResults: 100 },
    { enabled: kind === 'EcsInstance' },
  );
  const enis = useAction<{ NetworkInterfaceSets: { NetworkInterfaceSet: EniSummary[] } }>(
    'Ecs',
    'DescribeNetworkInterfaces',
    { MaxResults: 100 },
    { enabled: kind === 'NetworkInterface' },
  );
  const eni = enis.data?.NetworkInterfaceSets.NetworkInterfaceSet.find((n) => n.NetworkInterfaceId === target);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    associate.mutate(
      { AllocationId: eip.AllocationId, InstanceId: target, InstanceType: kind, PrivateIpAddress: kind === 'NetworkInterface' ? privateIp : undefined },
      { onSuccess: onClose },
    );
  };
  return (
    <Dialog title={`Associate EIP ${eip.IpAddress}`} open onClose={onClose}>
      <form onSubmit={submit}>
        <fieldset>
          <legend>Bind to</legend>
          <div className="radio-row">
            <label>
              <input
                type="radio"
                name="eip-target"
                checked={kind === 'NetworkInterface'}
                onChange={() => {
                  setKind('NetworkInterface');
                  setTarget('');
                }}
              />{' '}
              ENI
            </label>
            <label>
              <input
                type="radio"
                name="eip-target"
                checked={kind === 'EcsInstance'}
                onChange={() => {
                  setKind('EcsInstance');
                  setTarget('');
                }}
              />{' '}
              ECS instance
            </label>
          </div>
        </fieldset>
        {kind === 'EcsInstance' ? (
          <Field label="Instance" hint="The EIP maps to the instance's primary private address.">
            <select value={target} onChange={(e) => setTarget(e.target.value)}>
              <option value="">{instances.isLoading ? 'Loading…' : 'Select an instance'}</option>
              {(instances.data?.Instances.Instance ?? []).map((i) => (
                <option key={i.InstanceId} value={i.InstanceId}>
                  {i.InstanceName ? `${i.InstanceName} (${i.InstanceId})` : i.InstanceId} · {i.Status}
                  {i.EipAddress.AllocationId ? ' · has an EIP' : ''}
                </option>
              ))}
            </select>
          </Field>
        ) : (
          <>
            <Field label="ENI">
              <select
                value={target}
                onChange={(e) => {
                  setTarget(e.target.value);
                  setPrivateIp('');
                }}
              >
                <option value="">{enis.isLoading ? 'Loading…' : 'Select an ENI'}</option>
                {(enis.data?.NetworkInterfaceSets.NetworkInterfaceSet ?? []).map((n) => (
                  <option key={n.NetworkInterfaceId} value={n.NetworkInterfaceId}>
                    {n.NetworkInterfaceName ? `${n.NetworkInterfaceName} (${n.NetworkInterfaceId})` : n.NetworkInterfaceId} · {n.Type} · {n.PrivateIpAddress}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Private IP address" hint="Left at the primary address unless you choose another.">
              <select value={privateIp} onChange={(e) => setPrivateIp(e.target.value)} disabled={!eni}>
                <option value="">Primary address{eni ? ` (${eni.PrivateIpAddress})` : ''}</option>
                {(eni?.PrivateIpSets.PrivateIpSet ?? [])
                  .filter((p) => !p.Primary)
                  .map((p) => (
                    <option key={p.PrivateIpAddress} value={p.PrivateIpAddress}>
                      {p.PrivateIpAddress}
                    </option>
                  ))}
              </select>
            </Field>
          </>
        )}
        <ErrorAlert error={associate.error ?? instances.error ?? enis.error} />
        <FormActions submitLabel="Associate" disabled={associate.isPending} onCancel={onClose} />
      </form>
    </Dialog>
  );
}

function UnassociateEipDialog({ eip, onClose }: { eip: Eip; onClose(): void }) {
  const unassociate = useActionMutation('Vpc', 'UnassociateEipAddress');
  return (
    <ConfirmDialog
      title="Unassociate EIP"
      open
      onClose={onClose}
      confirmLabel="Unassociate"
      busy={unassociate.isPending}
      onConfirm={() => unassociate.mutate({ AllocationId: eip.AllocationId }, { onSuccess: onClose })}
    >
      <p>
        Unassociate {eip.IpAddress} (<code>{eip.AllocationId}</code>) from <code>{eip.InstanceId}</code>?
      </p>
      <ErrorAlert error={unassociate.error} />
    </ConfirmDialog>
  );
}

function ReleaseEipDialog({ eip, onClose }: { eip: Eip; onClose(): void }) {
  const release = useActionMutation('Vpc', 'ReleaseEipAddress');
  return (
    <ConfirmDialog
      title="Release EIP"
      open
      onClose={onClose}
      confirmLabel="Release"
      busy={release.isPending}
      onConfirm={() => release.mutate({ AllocationId: eip.AllocationId }, { onSuccess: onClose })}
    >
      <p>
        Release {eip.IpAddress} (<code>{eip.AllocationId}</code>)? The address goes back to the pool. The cloud refuses while it is bound.
      </p>
      <ErrorAlert error={release.error} />
    </ConfirmDialog>
  );
}
