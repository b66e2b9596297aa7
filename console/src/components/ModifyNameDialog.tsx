import { useState, type FormEvent } from 'react';
import type { Product } from '../api/client.ts';
import { paramSchema, useActionMutation, useDeclarations } from '../api/hooks.ts';
import { Dialog } from './Dialog.tsx';
import { ErrorAlert } from './ErrorAlert.tsx';
import { Field } from './Field.tsx';
import { FormActions } from './FormActions.tsx';
import { schemaHint } from './schema-hint.ts';

/** What a Modify…Attribute action calls a resource's ID and name, and the values it has now. */
export interface NamedResource {
  /** e.g. { VpcId: 'vpc-…' }: sent with every change. */
  id: Record<string, string>;
  /** The action's name parameter: VpcName, VSwitchName, SecurityGroupName. */
  nameParam: string;
  name: string;
  description: string;
}

/**
 * The name-and-description dialog of a Modify…Attribute action (VPCs, vSwitches, security
 * groups). Only what changed is sent, so an untouched field changes nothing on the server; the
 * limits shown are the declaration's, the refusals the server's.
 */
export function ModifyNameDialog({
  title,
  product,
  action,
  resource,
  onClose,
}: {
  title: string;
  product: Product;
  action: string;
  resource: NamedResource;
  onClose(): void;
}) {
  const declarations = useDeclarations([`${product}:${action}`]);
  const declaration = declarations.data?.[`${product}:${action}`];
  const modify = useActionMutation(product, action);
  const [name, setName] = useState(resource.name);
  const [description, setDescription] = useState(resource.description);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const params: Record<string, unknown> = { ...resource.id };
    if (name !== resource.name) params[resource.nameParam] = name;
    if (description !== resource.description) params.Description = description;
    modify.mutate(params, { onSuccess: onClose });
  };
  return (
    <Dialog title={title} open onClose={onClose}>
      <form onSubmit={submit}>
        <Field label="Name" hint={schemaHint(paramSchema(declaration, resource.nameParam))}>
          <input value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label="Description" hint={schemaHint(paramSchema(declaration, 'Description'))}>
          <textarea value={description} onChange={(e) => setDescription(e.target.value)} rows={2} />
        </Field>
        <ErrorAlert error={modify.error} />
        <FormActions submitLabel="Save" disabled={modify.isPending} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
