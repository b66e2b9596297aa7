import { useState, type FormEvent } from 'react';
import { paramSchema, useAction, useActionMutation, useDeclarations } from '../api/hooks.ts';
import { ConfirmDialog, Dialog } from '../components/Dialog.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { Field } from '../components/Field.tsx';
import { Pager } from '../components/Pager.tsx';
import { isTransient, StatusBadge } from '../components/StatusBadge.tsx';
import { schemaHint } from '../components/schema-hint.ts';
import './network.css';
import { FormActions } from '../components/FormActions.tsx';
import { ModifyNameDialog } from '../components/ModifyNameDialog.tsx';
import { TableStatusRows } from '../components/TableStatusRows.tsx';
import { ScrollTable } from '../components/ScrollTable.tsx';
import { LinkButton } from '../components/LinkButton.tsx';

interface Vpc {
  VpcId: string;
  VpcName: string;
  Description: string;
  CidrBlock: string;
  Status: string;
  IsDefault: boolean;
  Ipv6CidrBlock: string;
  VSwitchIds: { VSwitchId: string[] };
  CreationTime: string;
}

const PAGE_SIZE = 10;

/** The VPCs page: DescribeVpcs a page at a time; Pending VPCs refresh every second until Available. */
export function VpcsPage() {
  const [pageNumber, setPageNumber] = useState(1);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Vpc | null>(null);
  const [deleting, setDeleting] = useState<Vpc | null>(null);
  const list = useAction<{ TotalCount: number; PageNumber: number; Vpcs: { Vpc: Vpc[] } }>(
    'Vpc',
    'DescribeVpcs',
    { PageNumber: pageNumber, PageSize: PAGE_SIZE },
    { refetchInterval: (q) => (q.state.data?.Vpcs.Vpc.some((v) => isTransient(v.Status)) ? 1000 : false) },
  );
  const vpcs = list.data?.Vpcs.Vpc ?? [];
  return (
    <section className="network-page">
      <h1>VPCs</h1>
      <div className="toolbar">
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          Create VPC
        </button>
      </div>
      <ErrorAlert error={list.error} />
      <ScrollTable caption="VPCs of the region">
        <thead>
          <tr>
            <th scope="col">ID / name</th>
            <th scope="col">IPv4 CIDR block</th>
            <th scope="col">Status</th>
            <th scope="col">vSwitches</th>
            <th scope="col">IPv6 CIDR block</th>
            <th scope="col">Description</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          <TableStatusRows columns={7} loading={list.isLoading} empty={vpcs.length === 0} emptyText="No VPCs in this region." />
          {vpcs.map((v) => (
            <tr key={v.VpcId}>
              <td>
                <code>{v.VpcId}</code>
                <span className="sub">
                  {v.VpcName || '—'}
                  {v.IsDefault ? ' (default)' : ''}
                </span>
              </td>
              <td>{v.CidrBlock}</td>
              <td>
                <StatusBadge status={v.Status} />
              </td>
              <td>{v.VSwitchIds.VSwitchId.length}</td>
              <td>{v.Ipv6CidrBlock || '—'}</td>
              <td>{v.Description || '—'}</td>
              <td>
                <div className="row-actions">
                  <LinkButton onClick={() => setEditing(v)} label={`Modify ${v.VpcId}`}>
                    Modify
                  </LinkButton>
                  <LinkButton onClick={() => setDeleting(v)} label={`Delete ${v.VpcId}`}>
                    Delete
                  </LinkButton>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </ScrollTable>
      <Pager label="VPCs" answer={list.data} requested={pageNumber} pageSize={PAGE_SIZE} onPage={setPageNumber} />
      {creating && <CreateVpcDialog onClose={() => setCreating(false)} />}
      {editing && (
        <ModifyNameDialog
          title={`Modify VPC ${editing.VpcId}`}
          product="Vpc"
          action="ModifyVpcAttribute"
          resource={{ id: { VpcId: editing.VpcId }, nameParam: 'VpcName', name: editing.VpcName, description: editing.Description }}
          onClose={() => setEditing(null)}
        />
      )}
      {deleting && <DeleteVpcDialog vpc={deleting} onClose={() => setDeleting(null)} />}
    </section>
  );
}

function CreateVpcDialog({ onClose }: { onClose(): void }) {
  const declarations = useDeclarations(['Vpc:CreateVpc']);
  const declaration = declarations.data?.['Vpc:CreateVpc'];
  const create = useActionMutation<{ VpcId: string }>('Vpc', 'CreateVpc');
  const [name, setName] = useState('');
  const [cidr, setCidr] = useState('');
  const [description, setDescription] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ VpcName: name, CidrBlock: cidr, Description: description }, { onSuccess: onClose });
  };
  return (
    <Dialog title="Create VPC" open onClose={onClose}>
      <form onSubmit={submit}>
        {declaration && <p className="hint">{declaration.Summary}</p>}
        <Field label="Name" hint={schemaHint(paramSchema(declaration, 'VpcName'))}>
          <input value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label="IPv4 CIDR block" hint={schemaHint(paramSchema(declaration, 'CidrBlock'), 'For example 192.168.0.0/16; left blank, the cloud chooses.')}>
          <input value={cidr} onChange={(e) => setCidr(e.target.value)} placeholder="192.168.0.0/16" />
        </Field>
        <Field label="Description" hint={schemaHint(paramSchema(declaration, 'Description'))}>
          <textarea value={description} onChange={(e) => setDescription(e.target.value)} rows={2} />
        </Field>
        <ErrorAlert error={create.error} />
        <FormActions submitLabel="Create" disabled={create.isPending} onCancel={onClose} />
      </form>
    </Dialog>
  );
}

function DeleteVpcDialog({ vpc, onClose }: { vpc: Vpc; onClose(): void }) {
  const remove = useActionMutation('Vpc', 'DeleteVpc');
  return (
    <ConfirmDialog
      title="Delete VPC"
      open
      onClose={onClose}
      confirmLabel="Delete"
      busy={remove.isPending}
      onConfirm={() => remove.mutate({ VpcId: vpc.VpcId }, { onSuccess: onClose })}
    >
      <p>
        Delete VPC <code>{vpc.VpcId}</code>
        {vpc.VpcName ? ` (${vpc.VpcName})` : ''}? The cloud refuses while it still holds vSwitches or security groups.
      </p>
      <ErrorAlert error={remove.error} />
    </ConfirmDialog>
  );
}
