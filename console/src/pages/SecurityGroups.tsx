import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { paramSchema, useAction, useActionMutation, useDeclarations } from '../api/hooks.ts';
import { ConfirmDialog, Dialog } from '../components/Dialog.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { Field } from '../components/Field.tsx';
import { Pager } from '../components/Pager.tsx';
import { useVpcs, VpcSelect } from '../components/pickers.tsx';
import { schemaHint } from '../components/schema-hint.ts';
import './network.css';
import { FormActions } from '../components/FormActions.tsx';
import { ModifyNameDialog } from '../components/ModifyNameDialog.tsx';
import { TableStatusRows } from '../components/TableStatusRows.tsx';
import { ScrollTable } from '../components/ScrollTable.tsx';
import { LinkButton } from '../components/LinkButton.tsx';

interface SecurityGroup {
  SecurityGroupId: string;
  SecurityGroupName: string;
  Description: string;
  SecurityGroupType: string;
  VpcId: string;
  EcsCount: number;
  RuleCount: number;
  CreationTime: string;
}

const PAGE_SIZE = 10;

/** The security groups page: DescribeSecurityGroups (PageNumber/PageSize, for the total), filtered by VPC. */
export function SecurityGroupsPage() {
  const { vpcs } = useVpcs();
  const [vpcId, setVpcId] = useState('');
  const [pageNumber, setPageNumber] = useState(1);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<SecurityGroup | null>(null);
  const [deleting, setDeleting] = useState<SecurityGroup | null>(null);
  const list = useAction<{ TotalCount: number; PageNumber: number; SecurityGroups: { SecurityGroup: SecurityGroup[] } }>('Ecs', 'DescribeSecurityGroups', {
    VpcId: vpcId || undefined,
    PageNumber: pageNumber,
    PageSize: PAGE_SIZE,
  });
  const groups = list.data?.SecurityGroups.SecurityGroup ?? [];
  return (
    <section className="network-page">
      <h1>Security groups</h1>
      <div className="filters">
        <div className="field">
          <label htmlFor="sg-vpc-filter">VPC</label>
          <select
            id="sg-vpc-filter"
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
          Create Security Group
        </button>
      </div>
      <ErrorAlert error={list.error} />
      <ScrollTable caption="Security groups">
        <thead>
          <tr>
            <th scope="col">ID / name</th>
            <th scope="col">VPC</th>
            <th scope="col">Type</th>
            <th scope="col">Rules</th>
            <th scope="col">Instances</th>
            <th scope="col">Description</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          <TableStatusRows columns={7} loading={list.isLoading} empty={groups.length === 0} emptyText="No security groups." />
          {groups.map((g) => (
            <tr key={g.SecurityGroupId}>
              <td>
                <Link to={`/security-groups/${g.SecurityGroupId}`}>{g.SecurityGroupId}</Link>
                <span className="sub">{g.SecurityGroupName || '—'}</span>
              </td>
              <td>
                <code>{g.VpcId}</code>
              </td>
              <td>{g.SecurityGroupType === 'enterprise' ? 'Advanced (enterprise)' : 'Basic (normal)'}</td>
              <td>{g.RuleCount}</td>
              <td>{g.EcsCount}</td>
              <td>{g.Description || '—'}</td>
              <td>
                <div className="row-actions">
                  <Link to={`/security-groups/${g.SecurityGroupId}`} aria-label={`Rules of ${g.SecurityGroupId}`}>
                    Rules
                  </Link>
                  <LinkButton onClick={() => setEditing(g)} label={`Modify ${g.SecurityGroupId}`}>
                    Modify
                  </LinkButton>
                  <LinkButton onClick={() => setDeleting(g)} label={`Delete ${g.SecurityGroupId}`}>
                    Delete
                  </LinkButton>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </ScrollTable>
      <Pager label="Security groups" answer={list.data} requested={pageNumber} pageSize={PAGE_SIZE} onPage={setPageNumber} />
      {creating && <CreateSecurityGroupDialog initialVpcId={vpcId} onClose={() => setCreating(false)} />}
      {editing && (
        <ModifyNameDialog
          title={`Modify security group ${editing.SecurityGroupId}`}
          product="Ecs"
          action="ModifySecurityGroupAttribute"
          resource={{
            id: { SecurityGroupId: editing.SecurityGroupId },
            nameParam: 'SecurityGroupName',
            name: editing.SecurityGroupName,
            description: editing.Description,
          }}
          onClose={() => setEditing(null)}
        />
      )}
      {deleting && <DeleteSecurityGroupDialog group={deleting} onClose={() => setDeleting(null)} />}
    </section>
  );
}

function CreateSecurityGroupDialog({ initialVpcId, onClose }: { initialVpcId: string; onClose(): void }) {
  const declarations = useDeclarations(['Ecs:CreateSecurityGroup']);
  const declaration = declarations.data?.['Ecs:CreateSecurityGroup'];
  const create = useActionMutation<{ SecurityGroupId: string }>('Ecs', 'CreateSecurityGroup');
  const [vpcId, setVpcId] = useState(initialVpcId);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [type, setType] = useState('normal');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ VpcId: vpcId, SecurityGroupName: name, Description: description, SecurityGroupType: type }, { onSuccess: onClose });
  };
  return (
    <Dialog title="Create Security Group" open onClose={onClose}>
      <form onSubmit={submit}>
        {declaration && <p className="hint">{declaration.Summary}</p>}
        <Field label="VPC">
          <VpcSelect value={vpcId} onChange={setVpcId} />
        </Field>
        <Field label="Name" hint={schemaHint(paramSchema(declaration, 'SecurityGroupName'))}>
          <input value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label="Description" hint={schemaHint(paramSchema(declaration, 'Description'))}>
          <textarea value={description} onChange={(e) => setDescription(e.target.value)} rows={2} />
        </Field>
        <Field label="Security group type">
          <select value={type} onChange={(e) => setType(e.target.value)}>
            <option value="normal">Basic (normal): members reach each other</option>
            <option value="enterprise">Advanced (enterprise): members isolated</option>
          </select>
        </Field>
        <ErrorAlert error={create.error} />
        <FormActions submitLabel="Create" disabled={create.isPending} onCancel={onClose} />
      </form>
    </Dialog>
  );
}

function DeleteSecurityGroupDialog({ group, onClose }: { group: SecurityGroup; onClose(): void }) {
  const remove = useActionMutation('Ecs', 'DeleteSecurityGroup');
  return (
    <ConfirmDialog
      title="Delete security group"
      open
      onClose={onClose}
      confirmLabel="Delete"
      busy={remove.isPending}
      onConfirm={() => remove.mutate({ SecurityGroupId: group.SecurityGroupId }, { onSuccess: onClose })}
    >
      <p>
        Delete security group <code>{group.SecurityGroupId}</code> and its rules? The cloud refuses while instances or ENIs are in it or another group refers to
        it.
      </p>
      <ErrorAlert error={remove.error} />
    </ConfirmDialog>
  );
}
