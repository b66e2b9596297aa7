import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useAction, useActionMutation, useDeclarations } from '../api/hooks.ts';
import { ConfirmDialog, Dialog } from '../components/Dialog.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { Field } from '../components/Field.tsx';
import { useSecurityGroups } from '../components/pickers.tsx';
import './network.css';
import { FormActions } from '../components/FormActions.tsx';
import { ScrollTable } from '../components/ScrollTable.tsx';
import { LinkButton } from '../components/LinkButton.tsx';

interface Permission {
  SecurityGroupRuleId: string;
  Direction: 'ingress' | 'egress';
  IpProtocol: string;
  PortRange: string;
  SourceCidrIp: string;
  Ipv6SourceCidrIp: string;
  SourceGroupId: string;
  DestCidrIp: string;
  Ipv6DestCidrIp: string;
  DestGroupId: string;
  Policy: string;
  Priority: string;
  Description: string;
  CreateTime: string;
}

interface GroupAttribute {
  SecurityGroupId: string;
  SecurityGroupName: string;
  Description: string;
  VpcId: string;
  InnerAccessPolicy: string;
  Permissions: { Permission: Permission[] };
}

type Direction = 'ingress' | 'egress';

/** What each direction's actions are called (ECS): inbound and outbound rules are separate actions. */
const ACTIONS: Record<Direction, { authorize: string; modify: string; revoke: string; peer: 'Source' | 'Dest'; title: string }> = {
  ingress: { authorize: 'AuthorizeSecurityGroup', modify: 'ModifySecurityGroupRule', revoke: 'RevokeSecurityGroup', peer: 'Source', title: 'Inbound' },
  egress: {
    authorize: 'AuthorizeSecurityGroupEgress',
    modify: 'ModifySecurityGroupEgressRule',
    revoke: 'RevokeSecurityGroupEgress',
    peer: 'Dest',
    title: 'Outbound',
  },
};

/** One security group and its rules: DescribeSecurityGroupAttribute (Direction all), with a rule editor. */
export function SecurityGroupDetailPage() {
  const { groupId = '' } = useParams();
  const attribute = useAction<GroupAttribute>('Ecs', 'DescribeSecurityGroupAttribute', { SecurityGroupId: groupId, Direction: 'all', MaxResults: 1000 });
  const group = attribute.data;
  const rules = group?.Permissions.Permission ?? [];
  return (
    <section className="network-page">
      <p>
        <Link to="/security-groups">Security groups</Link> › {groupId}
      </p>
      <h1>Security group {group?.SecurityGroupName || groupId}</h1>
      <ErrorAlert error={attribute.error} />
      {group && (
        <p>
          <code>{group.SecurityGroupId}</code> in <code>{group.VpcId}</code> · members{' '}
          {group.InnerAccessPolicy === 'Accept' ? 'reach each other' : 'are isolated'}
          {group.Description ? ` · ${group.Description}` : ''}
        </p>
      )}
      {group && (
        <>
          <RuleSection direction="ingress" group={group} rules={rules.filter((r) => r.Direction === 'ingress')} />
          <RuleSection direction="egress" group={group} rules={rules.filter((r) => r.Direction === 'egress')} />
        </>
      )}
    </section>
  );
}

function RuleSection({ direction, group, rules }: { direction: Direction; group: GroupAttribute; rules: Permission[] }) {
  const { title, peer } = ACTIONS[direction];
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<Permission | null>(null);
  const [deleting, setDeleting] = useState<Permission | null>(null);
  const headingId = `rules-${direction}`;
  return (
    <section className="rule-section" aria-labelledby={headingId}>
      <div className="toolbar">
        <h2 id={headingId}>{title} rules</h2>
        <button type="button" className="primary" onClick={() => setAdding(true)}>
          Add {title.toLowerCase()} rule
        </button>
      </div>
      <ScrollTable caption={`${title} rules`}>
        <thead>
          <tr>
            <th scope="col">Policy</th>
            <th scope="col">Priority</th>
            <th scope="col">Protocol</th>
            <th scope="col">Port range</th>
            <th scope="col">{peer === 'Source' ? 'Source' : 'Destination'}</th>
            <th scope="col">Description</th>
            <th scope="col">Rule ID</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {rules.length === 0 && (
            <tr>
              <td colSpan={8}>No {title.toLowerCase()} rules.</td>
            </tr>
          )}
          {rules.map((r) => (
            <tr key={r.SecurityGroupRuleId}>
              <td>{r.Policy}</td>
              <td>{r.Priority}</td>
              <td>{r.IpProtocol}</td>
              <td>{r.PortRange}</td>
              <td>{peerOf(r, direction)}</td>
              <td>{r.Description || '—'}</td>
              <td>
                <code>{r.SecurityGroupRuleId}</code>
              </td>
              <td>
                <div className="row-actions">
                  <LinkButton onClick={() => setEditing(r)} label={`Modify rule ${r.SecurityGroupRuleId}`}>
                    Modify
                  </LinkButton>
                  <LinkButton onClick={() => setDeleting(r)} label={`Delete rule ${r.SecurityGroupRuleId}`}>
                    Delete
                  </LinkButton>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </ScrollTable>
      {adding && <RuleDialog direction={direction} group={group} onClose={() => setAdding(false)} />}
      {editing && <RuleDialog direction={direction} group={group} rule={editing} onClose={() => setEditing(null)} />}
      {deleting && <DeleteRuleDialog direction={direction} groupId={group.SecurityGroupId} rule={deleting} onClose={() => setDeleting(null)} />}
    </section>
  );
}

function peerOf(r: Permission, direction: Direction): string {
  if (direction === 'ingress') return r.SourceCidrIp || r.Ipv6SourceCidrIp || r.SourceGroupId || '—';
  return r.DestCidrIp || r.Ipv6DestCidrIp || r.DestGroupId || '—';
}

const PROTOCOLS = [
  { value: 'TCP', label: 'TCP' },
  { value: 'UDP', label: 'UDP' },
  { value: 'ICMP', label: 'ICMP' },
  { value: 'GRE', label: 'GRE' },
  { value: 'ALL', label: 'All' },
];

/** The rule's peer as the form edits it: a CIDR block (IPv4 or IPv6) or a security group. */
function peerFields(rule: Permission | undefined, direction: Direction): { kind: 'cidr' | 'group'; cidr: string; group: string } {
  if (!rule) return { kind: 'cidr', cidr: '0.0.0.0/0', group: '' };
  const group = direction === 'ingress' ? rule.SourceGroupId : rule.DestGroupId;
  const cidr = direction === 'ingress' ? rule.SourceCidrIp || rule.Ipv6SourceCidrIp : rule.DestCidrIp || rule.Ipv6DestCidrIp;
  return cidr || !group ? { kind: 'cidr', cidr, group: '' } : { kind: 'group', cidr: '', group };
}

/**
 * Adds one rule through Permissions.1 of AuthorizeSecurityGroup(-Egress), or, given `rule`,
 * changes that rule in place with ModifySecurityGroupRule(-Egress) by its SecurityGroupRuleId,
 * sending only the fields that changed. What is sent is what the person typed: the port range's
 * format, the priority's range and whether the change duplicates another rule are the server's
 * to check. A rule keeps its kind of peer (CIDR block or group), as the cloud does.
 */
function RuleDialog({ direction, group, rule, onClose }: { direction: Direction; group: GroupAttribute; rule?: Permission; onClose(): void }) {
  const { authorize, modify, peer, title } = ACTIONS[direction];
  const action = rule ? modify : authorize;
  const declarations = useDeclarations([`Ecs:${action}`]);
  const summary = declarations.data?.[`Ecs:${action}`]?.Summary;
  const save = useActionMutation('Ecs', action);
  const { groups } = useSecurityGroups(group.VpcId);
  const initialPeer = peerFields(rule, direction);
  const [policy, setPolicy] = useState(rule?.Policy.toLowerCase() ?? 'accept');
  const [priority, setPriority] = useState(rule?.Priority ?? '1');
  const [protocol, setProtocol] = useState(rule?.IpProtocol.toUpperCase() ?? 'TCP');
  const [portRange, setPortRange] = useState(rule?.PortRange ?? '22/22');
  const [peerKind, setPeerKind] = useState<'cidr' | 'group'>(initialPeer.kind);
  const [cidr, setCidr] = useState(initialPeer.cidr);
  const [peerGroup, setPeerGroup] = useState(initialPeer.group);
  const [description, setDescription] = useState(rule?.Description ?? '');
  const peerWord = peer === 'Source' ? 'Source' : 'Destination';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const fields: Record<string, string> = { Policy: policy, Priority: priority, IpProtocol: protocol, PortRange: portRange, Description: description };
    if (peerKind === 'cidr') fields[cidr.includes(':') ? `Ipv6${peer}CidrIp` : `${peer}CidrIp`] = cidr;
    else fields[`${peer}GroupId`] = peerGroup;
    if (rule) {
      const was: Record<string, string> = {
        Policy: rule.Policy.toLowerCase(),
        Priority: rule.Priority,
        IpProtocol: rule.IpProtocol.toUpperCase(),
        PortRange: rule.PortRange,
        Description: rule.Description,
        [`${peer}CidrIp`]: initialPeer.cidr,
        [`Ipv6${peer}CidrIp`]: initialPeer.cidr,
        [`${peer}GroupId`]: initialPeer.group,
      };
      const changed = Object.fromEntries(Object.entries(fields).filter(([k, v]) => v !== was[k]));
      save.mutate({ SecurityGroupId: group.SecurityGroupId, SecurityGroupRuleId: rule.SecurityGroupRuleId, ...changed }, { onSuccess: onClose });
      return;
    }
    // Blank fields are left out, so the action applies its own defaults.
    const permission = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== ''));
    save.mutate({ SecurityGroupId: group.SecurityGroupId, Permissions: [permission] }, { onSuccess: onClose });
  };
  return (
    <Dialog title={rule ? `Modify ${title.toLowerCase()} rule ${rule.SecurityGroupRuleId}` : `Add ${title.toLowerCase()} rule`} open onClose={onClose}>
      <form onSubmit={submit}>
        {summary && <p className="hint">{summary}</p>}
        <Field label="Policy">
          <select value={policy} onChange={(e) => setPolicy(e.target.value)}>
            <option value="accept">Allow (accept)</option>
            <option value="drop">Deny (drop)</option>
          </select>
        </Field>
        <Field label="Priority" hint="1 (highest) to 100.">
          <input type="text" inputMode="numeric" value={priority} onChange={(e) => setPriority(e.target.value)} />
        </Field>
        <Field label="Protocol">
          <select
            value={protocol}
            onChange={(e) => {
              setProtocol(e.target.value);
              if (e.target.value !== 'TCP' && e.target.value !== 'UDP') setPortRange('-1/-1');
            }}
          >
            {PROTOCOLS.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Port range" hint="start/end, e.g. 22/22 or 1/65535; -1/-1 for ICMP, GRE and all protocols.">
          <input value={portRange} onChange={(e) => setPortRange(e.target.value)} />
        </Field>
        <fieldset>
          <legend>{peerWord}</legend>
          <div className="radio-row">
            <label>
              <input type="radio" name={`peer-${direction}`} checked={peerKind === 'cidr'} onChange={() => setPeerKind('cidr')} disabled={!!rule} /> CIDR block
            </label>
            <label>
              <input type="radio" name={`peer-${direction}`} checked={peerKind === 'group'} onChange={() => setPeerKind('group')} disabled={!!rule} /> Security
              group
            </label>
          </div>
          {rule && <p className="hint">A rule keeps its kind of {peerWord.toLowerCase()}: to change it, add a new rule, then delete this one.</p>}
          {peerKind === 'cidr' ? (
            <Field label={`${peerWord} CIDR block`} hint="IPv4 or IPv6, e.g. 10.0.0.0/8.">
              <input value={cidr} onChange={(e) => setCidr(e.target.value)} />
            </Field>
          ) : (
            <Field label={`${peerWord} security group`}>
              <select value={peerGroup} onChange={(e) => setPeerGroup(e.target.value)}>
                <option value="">Select a security group</option>
                {groups.map((g) => (
                  <option key={g.SecurityGroupId} value={g.SecurityGroupId}>
                    {g.SecurityGroupName ? `${g.SecurityGroupName} (${g.SecurityGroupId})` : g.SecurityGroupId}
                  </option>
                ))}
              </select>
            </Field>
          )}
        </fieldset>
        <Field label="Description">
          <input value={description} onChange={(e) => setDescription(e.target.value)} />
        </Field>
        <ErrorAlert error={save.error} />
        <FormActions submitLabel={rule ? 'Save' : 'Add rule'} disabled={save.isPending} onCancel={onClose} />
      </form>
    </Dialog>
  );
}

/** Deletes one rule by its ID (SecurityGroupRuleId.1), which the revoke actions declare. */
function DeleteRuleDialog({ direction, groupId, rule, onClose }: { direction: Direction; groupId: string; rule: Permission; onClose(): void }) {
  const revoke = useActionMutation('Ecs', ACTIONS[direction].revoke);
  return (
    <ConfirmDialog
      title="Delete rule"
      open
      onClose={onClose}
      confirmLabel="Delete"
      busy={revoke.isPending}
      onConfirm={() => revoke.mutate({ SecurityGroupId: groupId, SecurityGroupRuleId: [rule.SecurityGroupRuleId] }, { onSuccess: onClose })}
    >
      <p>
        Delete the {ACTIONS[direction].title.toLowerCase()} rule <code>{rule.SecurityGroupRuleId}</code> ({rule.Policy} {rule.IpProtocol} {rule.PortRange}{' '}
        {peerOf(rule, direction)})?
      </p>
      <ErrorAlert error={revoke.error} />
    </ConfirmDialog>
  );
}
