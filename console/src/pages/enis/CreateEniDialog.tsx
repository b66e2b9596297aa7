import { useState, type FormEvent } from 'react';
import { paramSchema, useActionMutation, useDeclarations } from '../../api/hooks.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Field } from '../../components/Field.tsx';
import { SecurityGroupsSelect, VpcSelect, VSwitchSelect } from '../../components/pickers.tsx';
import { TagRows, tagsParam, type TagRow } from '../../components/TagRows.tsx';
import { ENI_DECLARATIONS } from './model.ts';
import { FormActions } from '../../components/FormActions.tsx';
import { LinkButton } from '../../components/LinkButton.tsx';

type SecondaryMode = 'none' | 'count' | 'address';

/**
 * "Create an ENI" (the seed's first console step): VPC, vSwitch (zone, free addresses), security
 * groups of that VPC, the primary address automatic or given, secondary addresses by count or by
 * address, name, description, tags. Limits are the declaration's; every refusal is the server's.
 */
export function CreateEniDialog({ open, onClose, onCreated }: { open: boolean; onClose(): void; onCreated(id: string): void }) {
  const declarations = useDeclarations(ENI_DECLARATIONS);
  const decl = declarations.data?.['Ecs:CreateNetworkInterface'];
  const create = useActionMutation<{ NetworkInterfaceId: string }>('Ecs', 'CreateNetworkInterface');
  const [vpcId, setVpcId] = useState('');
  const [vswitchId, setVswitchId] = useState('');
  const [groups, setGroups] = useState<string[]>([]);
  const [primaryMode, setPrimaryMode] = useState<'auto' | 'given'>('auto');
  const [primaryIp, setPrimaryIp] = useState('');
  const [secondaryMode, setSecondaryMode] = useState<SecondaryMode>('none');
  const [count, setCount] = useState('1');
  const [addresses, setAddresses] = useState<string[]>(['']);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [tags, setTags] = useState<TagRow[]>([]);

  const nameSchema = paramSchema(decl, 'NetworkInterfaceName');
  const descriptionSchema = paramSchema(decl, 'Description');
  const countSchema = paramSchema(decl, 'SecondaryPrivateIpAddressCount');
  const addressesSchema = paramSchema(decl, 'PrivateIpAddress');
  const groupsSchema = paramSchema(decl, 'SecurityGroupIds');
  const tagSchema = paramSchema(decl, 'Tag');

  function reset() {
    setVpcId('');
    setVswitchId('');
    setGroups([]);
    setPrimaryMode('auto');
    setPrimaryIp('');
    setSecondaryMode('none');
    setCount('1');
    setAddresses(['']);
    setName('');
    setDescription('');
    setTags([]);
    create.reset();
  }

  function close() {
    reset();
    onClose();
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate(
      {
        VSwitchId: vswitchId,
        SecurityGroupIds: groups,
        PrimaryIpAddress: primaryMode === 'given' ? primaryIp.trim() : undefined,
        SecondaryPrivateIpAddressCount: secondaryMode === 'count' && count !== '' ? Number(count) : undefined,
        PrivateIpAddress: secondaryMode === 'address' ? addresses.map((a) => a.trim()).filter(Boolean) : undefined,
        NetworkInterfaceName: name,
        Description: description,
        Tag: tagsParam(tags),
      },
      {
        onSuccess: (answer) => {
          reset();
          onCreated(answer.NetworkInterfaceId);
        },
      },
    );
  }

  return (
    <Dialog title="Create an ENI" open={open} onClose={close} wide>
      <form onSubmit={submit} className="eni-form">
        <div className="form-grid">
          <Field label="VPC">
            <VpcSelect
              value={vpcId}
              onChange={(v) => {
                setVpcId(v);
                setVswitchId('');
                setGroups([]);
              }}
            />
          </Field>
          <Field label="vSwitch" hint="Its zone is the ENI's zone; the count is the vSwitch's free addresses.">
            <VSwitchSelect vpcId={vpcId} value={vswitchId} onChange={setVswitchId} />
          </Field>
          <Field
            label="Security groups"
            hint={`Groups of the selected VPC; Ctrl or Shift to choose several${groupsSchema?.maxItems !== undefined ? ` (a request names at most ${groupsSchema.maxItems})` : ''}.`}
          >
            <SecurityGroupsSelect vpcId={vpcId} value={groups} onChange={setGroups} />
          </Field>
          <Field label="ENI name" hint={nameSchema?.maxLength ? `At most ${nameSchema.maxLength} characters.` : undefined}>
            <input value={name} onChange={(e) => setName(e.target.value)} maxLength={nameSchema?.maxLength} />
          </Field>
          <Field label="Description" hint={descriptionSchema?.maxLength ? `At most ${descriptionSchema.maxLength} characters.` : undefined}>
            <textarea value={description} onChange={(e) => setDescription(e.target.value)} maxLength={descriptionSchema?.maxLength} rows={2} />
          </Field>
        </div>

        <fieldset>
          <legend>Primary private IP address</legend>
          <label className="choice">
            <input type="radio" name="primary-mode" checked={primaryMode === 'auto'} onChange={() => setPrimaryMode('auto')} /> Assign automatically
          </label>
          <label className="choice">
            <input type="radio" name="primary-mode" checked={primaryMode === 'given'} onChange={() => setPrimaryMode('given')} /> Specify an address
          </label>
          {primaryMode === 'given' && (
            <Field label="Primary private IP address" hint="An unused address of the vSwitch's CIDR block.">
              <input value={primaryIp} onChange={(e) => setPrimaryIp(e.target.value)} placeholder="e.g. 192.168.1.20" />
            </Field>
          )}
        </fieldset>

        <fieldset>
          <legend>Secondary private IP addresses</legend>
          <label className="choice">
            <input type="radio" name="secondary-mode" checked={secondaryMode === 'none'} onChange={() => setSecondaryMode('none')} /> None
          </label>
          <label className="choice">
            <input type="radio" name="secondary-mode" checked={secondaryMode === 'count'} onChange={() => setSecondaryMode('count')} /> By count
          </label>
          <label className="choice">
            <input type="radio" name="secondary-mode" checked={secondaryMode === 'address'} onChange={() => setSecondaryMode('address')} /> By address
          </label>
          {secondaryMode === 'count' && (
            <Field
              label="Secondary private IP address count"
              hint={
                countSchema?.maximum !== undefined ? `The request takes at most ${countSchema.maximum}; the ENI's limit in force is the server's.` : undefined
              }
            >
              <input type="number" min={countSchema?.minimum} max={countSchema?.maximum} value={count} onChange={(e) => setCount(e.target.value)} />
            </Field>
          )}
          {secondaryMode === 'address' && (
            <div className="address-rows">
              {addresses.map((a, i) => (
                <div className="address-row" key={i}>
                  <label>
                    Secondary IP address {i + 1} <input value={a} onChange={(e) => setAddresses(addresses.map((x, j) => (j === i ? e.target.value : x)))} />
                  </label>
                  <LinkButton label={`Remove secondary IP address ${i + 1}`} onClick={() => setAddresses(addresses.filter((_, j) => j !== i))}>
                    Remove
                  </LinkButton>
                </div>
              ))}
              <button
                type="button"
                onClick={() => setAddresses([...addresses, ''])}
                disabled={addressesSchema?.maxItems !== undefined && addresses.length >= addressesSchema.maxItems}
              >
                Add address
              </button>
            </div>
          )}
        </fieldset>

        <TagRows rows={tags} onChange={setTags} max={tagSchema?.maxItems} />

        <ErrorAlert error={create.error} />
        <FormActions submitLabel="Create" disabled={create.isPending} onCancel={close} />
      </form>
    </Dialog>
  );
}
