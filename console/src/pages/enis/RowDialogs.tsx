import { useState, type FormEvent } from 'react';
import { paramSchema, useAction, useActionMutation, useDeclarations } from '../../api/hooks.ts';
import { ConfirmDialog, Dialog } from '../../components/Dialog.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Field } from '../../components/Field.tsx';
import { SecurityGroupsSelect } from '../../components/pickers.tsx';
import { eipsOf, ENI_DECLARATIONS, type Eni } from './model.ts';
import { FormActions } from '../../components/FormActions.tsx';

/** The dialogs of one ENI row: bind, unbind, modify, associate or unassociate an EIP, delete. */
export type RowDialog = { kind: 'bind' | 'unbind' | 'modify' | 'associate' | 'unassociate' | 'delete'; eni: Eni };

export function RowDialogs({ dialog, onClose }: { dialog: RowDialog | null; onClose(): void }) {
  const eni = dialog?.eni;
  return (
    <>
      <Dialog title="Bind to an instance" open={dialog?.kind === 'bind'} onClose={onClose}>
        {dialog?.kind === 'bind' && eni && <BindForm eni={eni} onClose={onClose} />}
      </Dialog>
      <Dialog title="Modify ENI" open={dialog?.kind === 'modify'} onClose={onClose}>
        {dialog?.kind === 'modify' && eni && <ModifyForm eni={eni} onClose={onClose} />}
      </Dialog>
      <Dialog title="Associate an EIP" open={dialog?.kind === 'associate'} onClose={onClose}>
        {dialog?.kind === 'associate' && eni && <AssociateForm eni={eni} onClose={onClose} />}
      </Dialog>
      {dialog?.kind === 'unbind' && eni && (
        <Confirm
          title="Unbind ENI"
          confirmLabel="Unbind"
          product="Ecs"
          action="DetachNetworkInterface"
          params={{ InstanceId: eni.InstanceId, NetworkInterfaceId: eni.NetworkInterfaceId }}
          onClose={onClose}
        >
          Unbind ENI <strong>{eni.NetworkInterfaceId}</strong> from instance <strong>{eni.InstanceId}</strong>? It keeps its MAC and addresses.
        </Confirm>
      )}
      {dialog?.kind === 'unassociate' && eni && eipsOf(eni)[0] && (
        <Confirm
          title="Unassociate EIP"
          confirmLabel="Unassociate"
          product="Vpc"
          action="UnassociateEipAddress"
          params={{ AllocationId: eipsOf(eni)[0]!.AllocationId, InstanceId: eni.NetworkInterfaceId, InstanceType: 'NetworkInterface' }}
          onClose={onClose}
        >
          Unassociate EIP <strong>{eipsOf(eni)[0]!.PublicIpAddress}</strong> ({eipsOf(eni)[0]!.AllocationId}) from {eipsOf(eni)[0]!.PrivateIpAddress} of ENI{' '}
          <strong>{eni.NetworkInterfaceId}</strong>?
        </Confirm>
      )}
      {dialog?.kind === 'delete' && eni && (
        <Confirm
          title="Delete ENI"
          confirmLabel="Delete"
          product="Ecs"
          action="DeleteNetworkInterface"
          params={{ NetworkInterfaceId: eni.NetworkInterfaceId }}
          onClose={onClose}
        >
          Delete ENI <strong>{eni.NetworkInterfaceId}</strong>
          {eni.NetworkInterfaceName && <> ({eni.NetworkInterfaceName})</>}? Its addresses return to the vSwitch. This cannot be undone.
        </Confirm>
      )}
    </>
  );
}

/** A confirmation that runs one action; the server's refusal stays in the dialog. */
function Confirm({
  title,
  confirmLabel,
  product,
  action,
  params,
  onClose,
  children,
}: {
  title: string;
  confirmLabel: string;
  product: 'Ecs' | 'Vpc';
  action: string;
  params: Record<string, unknown>;
  onClose(): void;
  children: React.ReactNode;
}) {
  const run = useActionMutation(product, action);
  return (
    <ConfirmDialog
      title={title}
      open
      onClose={onClose}
      confirmLabel={confirmLabel}
      busy={run.isPending}
      onConfirm={() => run.mutate(params, { onSuccess: onClose })}
    >
      <p>{children}</p>
      <ErrorAlert error={run.error} />
    </ConfirmDialog>
  );
}

interface InstanceSummary {
  InstanceId: string;
  InstanceName: string;
  Status: string;
  ZoneId: string;
  InstanceType: string;
  VpcAttributes: { VpcId: string; VSwitchId: string };
}

function BindForm({ eni, onClose }: { eni: Eni; onClose(): void }) {
  // The instances of the ENI's VPC; which of them may take it (zone, hot-plug, quota) is the server's to say.
  const instances = useAction<{ Instances: { Instance: InstanceSummary[] } }>('Ecs', 'DescribeInstances', { VpcId: eni.VpcId, PageSize: 100 });
  const attach = useActionMutation('Ecs', 'AttachNetworkInterface');
  const [instanceId, setInstanceId] = useState('');
  const list = instances.data?.Instances.Instance ?? [];
  function submit(e: FormEvent) {
    e.preventDefault();
    attach.mutate({ InstanceId: instanceId, NetworkInterfaceId: eni.NetworkInterfaceId }, { onSuccess: onClose });
  }
  return (
    <form onSubmit={submit}>
      <p>
        ENI <strong>{eni.NetworkInterfaceId}</strong> · {eni.VpcId} · {eni.VSwitchId} · {eni.ZoneId}
      </p>
      <Field label="Instance" hint="Instances of the ENI's VPC, with their zone, type and status.">
        <select value={instanceId} onChange={(e) => setInstanceId(e.target.value)}>
          <option value="">{instances.isLoading ? 'Loading…' : 'Select an instance'}</option>
          {list.map((i) => (
            <option key={i.InstanceId} value={i.InstanceId}>
              {i.InstanceName ? `${i.InstanceName} (${i.InstanceId})` : i.InstanceId} · {i.ZoneId} · {i.InstanceType} · {i.Status}
            </option>
          ))}
        </select>
      </Field>
      <ErrorAlert error={instances.error ?? attach.error} />
      <FormActions submitLabel="Bind" disabled={!instanceId || attach.isPending} onCancel={onClose} />
    </form>
  );
}

function ModifyForm({ eni, onClose }: { eni: Eni; onClose(): void }) {
  const declarations = useDeclarations(ENI_DECLARATIONS);
  const decl = declarations.data?.['Ecs:ModifyNetworkInterfaceAttribute'];
  const nameSchema = paramSchema(decl, 'NetworkInterfaceName');
  const descriptionSchema = paramSchema(decl, 'Description');
  const modify = useActionMutation('Ecs', 'ModifyNetworkInterfaceAttribute');
  const initialGroups = eni.SecurityGroupIds.SecurityGroupId;
  const [name, setName] = useState(eni.NetworkInterfaceName);
  const [description, setDescription] = useState(eni.Description);
  const [groups, setGroups] = useState<string[]>(initialGroups);
  function submit(e: FormEvent) {
    e.preventDefault();
    const groupsChanged = groups.length !== initialGroups.length || groups.some((g) => !initialGroups.includes(g));
    modify.mutate(
      {
        NetworkInterfaceId: eni.NetworkInterfaceId,
        NetworkInterfaceName: name !== eni.NetworkInterfaceName ? name : undefined,
        Description: description !== eni.Description ? description : undefined,
        SecurityGroupId: groupsChanged ? groups : undefined,
      },
      { onSuccess: onClose },
    );
  }
  return (
    <form onSubmit={submit}>
      <p>
        ENI <strong>{eni.NetworkInterfaceId}</strong>
      </p>
      <Field label="ENI name" hint={nameSchema?.maxLength ? `At most ${nameSchema.maxLength} characters.` : undefined}>
        <input value={name} onChange={(e) => setName(e.target.value)} maxLength={nameSchema?.maxLength} />
      </Field>
      <Field label="Description" hint={descriptionSchema?.maxLength ? `At most ${descriptionSchema.maxLength} characters.` : undefined}>
        <textarea value={description} onChange={(e) => setDescription(e.target.value)} rows={2} maxLength={descriptionSchema?.maxLength} />
      </Field>
      <Field label="Security groups" hint="Groups of the ENI's VPC; Ctrl or Shift to choose several.">
        <SecurityGroupsSelect vpcId={eni.VpcId} value={groups} onChange={setGroups} />
      </Field>
      <ErrorAlert error={modify.error} />
      <FormActions submitLabel="Save" disabled={modify.isPending} onCancel={onClose} />
    </form>
  );
}

interface EipSummary {
  AllocationId: string;
  IpAddress: string;
  Status: string;
  Name?: string;
}

function AssociateForm({ eni, onClose }: { eni: Eni; onClose(): void }) {
  const eips = useAction<{ EipAddresses: { EipAddress: EipSummary[] } }>('Vpc', 'DescribeEipAddresses', { Status: 'Available', PageSize: 100 });
  const associate = useActionMutation('Vpc', 'AssociateEipAddress');
  const [allocationId, setAllocationId] = useState('');
  const [privateIp, setPrivateIp] = useState(eni.PrivateIpAddress);
  const list = eips.data?.EipAddresses.EipAddress ?? [];
  function submit(e: FormEvent) {
    e.preventDefault();
    associate.mutate(
      { AllocationId: allocationId, InstanceId: eni.NetworkInterfaceId, InstanceType: 'NetworkInterface', PrivateIpAddress: privateIp },
      { onSuccess: onClose },
    );
  }
  return (
    <form onSubmit={submit}>
      <p>
        ENI <strong>{eni.NetworkInterfaceId}</strong>
      </p>
      <Field label="EIP" hint="Available EIPs of the region.">
        <select value={allocationId} onChange={(e) => setAllocationId(e.target.value)}>
          <option value="">{eips.isLoading ? 'Loading…' : list.length === 0 ? 'No Available EIP' : 'Select an EIP'}</option>
          {list.map((x) => (
            <option key={x.AllocationId} value={x.AllocationId}>
              {x.IpAddress} ({x.AllocationId})
            </option>
          ))}
        </select>
      </Field>
      <Field label="Private IP address" hint="The ENI's address the EIP maps to (NAT mode).">
        <select value={privateIp} onChange={(e) => setPrivateIp(e.target.value)}>
          {eni.PrivateIpSets.PrivateIpSet.map((ip) => (
            <option key={ip.PrivateIpAddress} value={ip.PrivateIpAddress}>
              {ip.PrivateIpAddress}
              {ip.Primary ? ' (primary)' : ''}
            </option>
          ))}
        </select>
      </Field>
      <ErrorAlert error={eips.error ?? associate.error} />
      <FormActions submitLabel="Associate" disabled={!allocationId || associate.isPending} onCancel={onClose} />
    </form>
  );
}
