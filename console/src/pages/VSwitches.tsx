import { useState, type FormEvent } from 'react';
import { paramSchema, useAction, useActionMutation, useDeclarations, useView } from '../api/hooks.ts';
import { AddressUsage, type AddressUsageFigures } from '../components/AddressUsage.tsx';
import { ConfirmDialog, Dialog } from '../components/Dialog.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { Field } from '../components/Field.tsx';
import { Pager } from '../components/Pager.tsx';
import { useVpcs, VpcSelect } from '../components/pickers.tsx';
import { schemaHint } from '../components/schema-hint.ts';
import { isTransient, StatusBadge } from '../components/StatusBadge.tsx';
import './network.css';
import { FormActions } from '../components/FormActions.tsx';
import { ModifyNameDialog } from '../components/ModifyNameDialog.tsx';
import { TableStatusRows } from '../components/TableStatusRows.tsx';
import { ScrollTable } from '../components/ScrollTable.tsx';
import { LinkButton } from '../components/LinkButton.tsx';

interface VSwitch {
  VSwitchId: string;
  VSwitchName: string;
  Description: string;
  VpcId: string;
  ZoneId: string;
  CidrBlock: string;
  Ipv6CidrBlock: string;
  Status: string;
  AvailableIpAddressCount: number;
}

const PAGE_SIZE = 10;

/** The vSwitches page: DescribeVSwitches by VPC, each vSwitch's address use drawn from the vswitch-usage view. */
export function VSwitchesPage() {
  const { vpcs } = useVpcs();
  const [vpcId, setVpcId] = useState('');
  const [pageNumber, setPageNumber] = useState(1);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<VSwitch | null>(null);
  const [deleting, setDeleting] = useState<VSwitch | null>(null);
  const list = useAction<{ TotalCount: number; PageNumber: number; VSwitches: { VSwitch: VSwitch[] } }>(
    'Vpc',
    'DescribeVSwitches',
    { VpcId: vpcId || undefined, PageNumber: pageNumber, PageSize: PAGE_SIZE },
    { refetchInterval: (q) => (q.state.data?.VSwitches.VSwitch.some((v) => isTransient(v.Status)) ? 1000 : false) },
  );
  const vswitches = list.data?.VSwitches.VSwitch ?? [];
  const ids = vswitches.map((v) => v.VSwitchId);
  const usage = useView<{ VSwitches: AddressUsageFigures[] }>('vswitch-usage', { VSwitchIds: ids }, { enabled: ids.length > 0 });
  const usageOf = new Map((usage.data?.VSwitches ?? []).map((u) => [u.VSwitchId, u]));
  return (
    <section className="network-page">
      <h1>vSwitches</h1>
      <div className="filters">
        <div className="field">
          <label htmlFor="vswitch-vpc-filter">VPC</label>
          <select
            id="vswitch-vpc-filter"
            value={vpcId}
            onChange={(e) => {
              setVpcId(e.target.value);
              setPageNumber(1);
            }}
          >
            <option value="">All VPCs</option>
            {vpcs.map((v) => (
              <option key={v.VpcId} value={v.VpcId}>
                {v.VpcName ? `${v.VpcName} (${v.VpcId})` : v.VpcId}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          Create vSwitch
        </button>
      </div>
      <ErrorAlert error={list.error ?? usage.error} />
      <ScrollTable caption="vSwitches">
        <thead>
          <tr>
            <th scope="col">ID / name</th>
            <th scope="col">Zone</th>
            <th scope="col">IPv4 CIDR block</th>
            <th scope="col">Status</th>
            <th scope="col">Free addresses</th>
            <th scope="col">Address use</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          <TableStatusRows columns={7} loading={list.isLoading} empty={vswitches.length === 0} emptyText="No vSwitches." />
          {vswitches.map((v) => {
            const u = usageOf.get(v.VSwitchId);
            return (
              <tr key={v.VSwitchId}>
                <td>
                  <code>{v.VSwitchId}</code>
                  <span className="sub">{v.VSwitchName || '—'}</span>
                  <span className="sub">in {v.VpcId}</span>
                </td>
                <td>{v.ZoneId}</td>
                <td>
                  {v.CidrBlock}
                  {v.Ipv6CidrBlock && <span className="sub">{v.Ipv6CidrBlock}</span>}
                </td>
                <td>
                  <StatusBadge status={v.Status} />
                </td>
                <td>{v.AvailableIpAddressCount}</td>
                <td>{u ? <AddressUsage usage={u} width={160} /> : <span className="muted">…</span>}</td>
                <td>
                  <div className="row-actions">
                    <LinkButton onClick={() => setEditing(v)} label={`Modify ${v.VSwitchId}`}>
                      Modify
                    </LinkButton>
                    <LinkButton onClick={() => setDeleting(v)} label={`Delete ${v.VSwitchId}`}>
                      Delete
                    </LinkButton>
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </ScrollTable>
      <Pager label="vSwitches" answer={list.data} requested={pageNumber} pageSize={PAGE_SIZE} onPage={setPageNumber} />
      {creating && <CreateVSwitchDialog initialVpcId={vpcId} onClose={() => setCreating(false)} />}
      {editing && (
        <ModifyNameDialog
          title={`Modify vSwitch ${editing.VSwitchId}`}
          product="Vpc"
          action="ModifyVSwitchAttribute"
          resource={{ id: { VSwitchId: editing.VSwitchId }, nameParam: 'VSwitchName', name: editing.VSwitchName, description: editing.Description }}
          onClose={() => setEditing(null)}
        />
      )}
      {deleting && <DeleteVSwitchDialog vswitch={deleting} onClose={() => setDeleting(null)} />}
    </section>
  );
}

function CreateVSwitchDialog({ initialVpcId, onClose }: { initialVpcId: string; onClose(): void }) {
  const declarations = useDeclarations(['Vpc:CreateVSwitch']);
  const declaration = declarations.data?.['Vpc:CreateVSwitch'];
  const zones = useAction<{ Zones: { Zone: { ZoneId: string; LocalName: string }[] } }>(
    'Vpc',
    'DescribeZones',
    { AcceptLanguage: 'en-US' },
    { staleTime: Infinity },
  );
  const create = useActionMutation<{ VSwitchId: string }>('Vpc', 'CreateVSwitch');
  const { vpcs } = useVpcs();
  const [vpcId, setVpcId] = useState(initialVpcId);
  const [zoneId, setZoneId] = useState('');
  const [cidr, setCidr] = useState('');
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const vpc = vpcs.find((v) => v.VpcId === vpcId);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ VpcId: vpcId, ZoneId: zoneId, CidrBlock: cidr, VSwitchName: name, Description: description }, { onSuccess: onClose });
  };
  return (
    <Dialog title="Create vSwitch" open onClose={onClose}>
      <form onSubmit={submit}>
        {declaration && <p className="hint">{declaration.Summary}</p>}
        <Field label="VPC">
          <VpcSelect value={vpcId} onChange={setVpcId} />
        </Field>
        <Field label="Zone">
          <select value={zoneId} onChange={(e) => setZoneId(e.target.value)}>
            <option value="">Select a zone</option>
            {(zones.data?.Zones.Zone ?? []).map((z) => (
              <option key={z.ZoneId} value={z.ZoneId}>
                {z.LocalName} ({z.ZoneId})
              </option>
            ))}
          </select>
        </Field>
        <Field
          label="IPv4 CIDR block"
          hint={schemaHint(paramSchema(declaration, 'CidrBlock'), vpc ? `Inside the VPC's ${vpc.CidrBlock}.` : 'Inside the VPC’s block.')}
        >
          <input value={cidr} onChange={(e) => setCidr(e.target.value)} placeholder={vpc ? vpc.CidrBlock.replace(/\/\d+$/, '/24') : '192.168.1.0/24'} />
        </Field>
        <Field label="Name">
          <input value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label="Description">
          <textarea value={description} onChange={(e) => setDescription(e.target.value)} rows={2} />
        </Field>
        <ErrorAlert error={create.error ?? zones.error} />
        <FormActions submitLabel="Create" disabled={create.isPending} onCancel={onClose} />
      </form>
    </Dialog>
  );
}

function DeleteVSwitchDialog({ vswitch, onClose }: { vswitch: VSwitch; onClose(): void }) {
  const remove = useActionMutation('Vpc', 'DeleteVSwitch');
  return (
    <ConfirmDialog
      title="Delete vSwitch"
      open
      onClose={onClose}
      confirmLabel="Delete"
      busy={remove.isPending}
      onConfirm={() => remove.mutate({ VSwitchId: vswitch.VSwitchId }, { onSuccess: onClose })}
    >
      <p>
        Delete vSwitch <code>{vswitch.VSwitchId}</code> ({vswitch.CidrBlock})? The cloud refuses while an ENI or instance uses it.
      </p>
      <ErrorAlert error={remove.error} />
    </ConfirmDialog>
  );
}
