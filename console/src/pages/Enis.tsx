import { keepPreviousData } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useAction, useDeclarations } from '../api/hooks.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { Field } from '../components/Field.tsx';
import { Pager } from '../components/Pager.tsx';
import { VpcSelect, VSwitchSelect } from '../components/pickers.tsx';
import { isTransient, StatusBadge } from '../components/StatusBadge.tsx';
import { useSession } from '../session.tsx';
import { CreateEniDialog } from './enis/CreateEniDialog.tsx';
import { ManageIpsDialog } from './enis/ManageIpsDialog.tsx';
import { eipsOf, ENI_DECLARATIONS, enumValues, secondaryIps, type Eni, type EniPage } from './enis/model.ts';
import { RowDialogs, type RowDialog } from './enis/RowDialogs.tsx';
import './enis.css';
import { ScrollTable } from '../components/ScrollTable.tsx';
import { LinkButton } from '../components/LinkButton.tsx';

/** Rows per page: one DescribeNetworkInterfaces page (PageNumber/PageSize, as the Pager counts). */
const PAGE_SIZE = 20;

interface Filters {
  VpcId: string;
  VSwitchId: string;
  InstanceId: string;
  Status: string;
  Type: string;
  PrivateIpAddress: string;
  TagKey: string;
  TagValue: string;
}

const NO_FILTERS: Filters = { VpcId: '', VSwitchId: '', InstanceId: '', Status: '', Type: '', PrivateIpAddress: '', TagKey: '', TagValue: '' };

/** The filters as DescribeNetworkInterfaces' own parameters (blank ones are not sent). */
function filterParams(f: Filters): Record<string, unknown> {
  return {
    VpcId: f.VpcId,
    VSwitchId: f.VSwitchId,
    InstanceId: f.InstanceId.trim(),
    Status: f.Status,
    Type: f.Type,
    PrivateIpAddress: f.PrivateIpAddress.trim() ? [f.PrivateIpAddress.trim()] : undefined,
    Tag: f.TagKey.trim() ? [{ Key: f.TagKey.trim(), Value: f.TagValue || undefined }] : undefined,
  };
}

/**
 * The ENIs page of the ECS console: the region's ENIs, the cloud's filters and server-side pages,
 * and the row actions of "Create and use an ENI" and "Assign a secondary private IP address".
 * Transient rows (Attaching, Detaching, Deleting) are polled every second until they settle.
 */
export function EnisPage() {
  const { region } = useSession();
  const declarations = useDeclarations(ENI_DECLARATIONS);
  const describe = declarations.data?.['Ecs:DescribeNetworkInterfaces'];
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [pageNumber, setPageNumber] = useState(1);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState('');
  const [managing, setManaging] = useState<string | null>(null);
  const [dialog, setDialog] = useState<RowDialog | null>(null);

  const list = useAction<EniPage>(
    'Ecs',
    'DescribeNetworkInterfaces',
    { ...filterParams(filters), PageNumber: pageNumber, PageSize: PAGE_SIZE },
    {
      placeholderData: keepPreviousData,
      refetchInterval: (query) => (query.state.data?.NetworkInterfaceSets.NetworkInterfaceSet.some((e) => isTransient(e.Status)) ? 1000 : false),
    },
  );
  const enis = list.data?.NetworkInterfaceSets.NetworkInterfaceSet ?? [];

  const apply = (next: Filters) => {
    setFilters(next);
    setPageNumber(1);
  };
  /** A select takes effect at once; text fields on Search. */
  const choose = (change: Partial<Filters>) => {
    const next = { ...draft, ...change };
    setDraft(next);
    apply(next);
  };
  const search = (e: FormEvent) => {
    e.preventDefault();
    apply(draft);
  };

  return (
    <>
      <h1>ENIs</h1>
      <div className="toolbar">
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          Create an ENI
        </button>
        {created && (
          <p className="notice" role="status">
            Created {created}.
          </p>
        )}
      </div>

      <form className="filters eni-filters" onSubmit={search} aria-label="Filter ENIs">
        <Field label="VPC">
          <VpcSelect value={draft.VpcId} onChange={(v) => choose({ VpcId: v, VSwitchId: '' })} />
        </Field>
        <Field label="vSwitch">
          <VSwitchSelect vpcId={draft.VpcId} value={draft.VSwitchId} onChange={(v) => choose({ VSwitchId: v })} />
        </Field>
        <Field label="Status">
          <select value={draft.Status} onChange={(e) => choose({ Status: e.target.value })}>
            <option value="">Any status</option>
            {enumValues(describe, 'Status').map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </Field>
        <Field label="Type">
          <select value={draft.Type} onChange={(e) => choose({ Type: e.target.value })}>
            <option value="">Any type</option>
            {enumValues(describe, 'Type').map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </Field>
        <Field label="Instance ID">
          <input value={draft.InstanceId} onChange={(e) => setDraft({ ...draft, InstanceId: e.target.value })} placeholder="i-…" size={14} />
        </Field>
        <Field label="Private IP address">
          <input value={draft.PrivateIpAddress} onChange={(e) => setDraft({ ...draft, PrivateIpAddress: e.target.value })} size={14} />
        </Field>
        <Field label="Tag key">
          <input value={draft.TagKey} onChange={(e) => setDraft({ ...draft, TagKey: e.target.value })} size={10} />
        </Field>
        <Field label="Tag value">
          <input value={draft.TagValue} onChange={(e) => setDraft({ ...draft, TagValue: e.target.value })} size={10} />
        </Field>
        <div className="filter-buttons">
          <button type="submit">Search</button>
          <button
            type="button"
            onClick={() => {
              setDraft(NO_FILTERS);
              apply(NO_FILTERS);
            }}
          >
            Reset
          </button>
        </div>
      </form>

      <ErrorAlert error={list.error} />
      <ScrollTable caption={`ENIs in ${region}`} className="eni-table">
        <thead>
          <tr>
            <th scope="col">ID / name</th>
            <th scope="col">Status</th>
            <th scope="col">Type</th>
            <th scope="col">VPC / vSwitch / zone</th>
            <th scope="col">Private IPs</th>
            <th scope="col">MAC</th>
            <th scope="col">Instance</th>
            <th scope="col">Security groups</th>
            <th scope="col">EIP</th>
            <th scope="col">Tags</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {enis.map((eni) => (
            <EniRow key={eni.NetworkInterfaceId} eni={eni} onManage={() => setManaging(eni.NetworkInterfaceId)} onDialog={setDialog} />
          ))}
          {list.isSuccess && enis.length === 0 && (
            <tr>
              <td colSpan={11}>No ENIs{JSON.stringify(filters) !== JSON.stringify(NO_FILTERS) ? ' match these filters' : ' in this region'}.</td>
            </tr>
          )}
          {list.isLoading && (
            <tr>
              <td colSpan={11}>Loading…</td>
            </tr>
          )}
        </tbody>
      </ScrollTable>
      {list.data && <Pager label="ENIs" answer={list.data} requested={pageNumber} pageSize={PAGE_SIZE} onPage={setPageNumber} />}

      <CreateEniDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(id) => {
          setCreating(false);
          setCreated(id);
        }}
      />
      <ManageIpsDialog eniId={managing} onClose={() => setManaging(null)} />
      <RowDialogs dialog={dialog} onClose={() => setDialog(null)} />
    </>
  );
}

function EniRow({ eni, onManage, onDialog }: { eni: Eni; onManage(): void; onDialog(d: RowDialog): void }) {
  const id = eni.NetworkInterfaceId;
  const eips = eipsOf(eni);
  const secondaries = secondaryIps(eni);
  const gone = eni.Status === 'Deleting';
  return (
    <tr data-eni={id}>
      <th scope="row">
        <span className="mono">{id}</span>
        {eni.NetworkInterfaceName && <span className="sub">{eni.NetworkInterfaceName}</span>}
      </th>
      <td>
        <StatusBadge status={eni.Status} />
      </td>
      <td>{eni.Type}</td>
      <td>
        <span className="mono">{eni.VpcId}</span>
        <span className="sub mono">{eni.VSwitchId}</span>
        <span className="sub">{eni.ZoneId}</span>
      </td>
      <td>
        <span className="mono">{eni.PrivateIpAddress}</span> <span className="sub">primary</span>
        {secondaries.map((ip) => (
          <span key={ip} className="sub mono">
            {ip}
          </span>
        ))}
      </td>
      <td className="mono">{eni.MacAddress}</td>
      <td className="mono">{eni.InstanceId || '—'}</td>
      <td>
        {eni.SecurityGroupIds.SecurityGroupId.map((g) => (
          <span key={g} className="mono block">
            {g}
          </span>
        ))}
      </td>
      <td>
        {eips.length === 0
          ? '—'
          : eips.map((e) => (
              <span key={e.AllocationId} className="block">
                {e.PublicIpAddress}
              </span>
            ))}
      </td>
      <td>
        {eni.Tags.Tag.map((t) => (
          <span key={t.TagKey} className="tag">
            {t.TagKey}
            {t.TagValue && `:${t.TagValue}`}
          </span>
        ))}
      </td>
      <td>
        <div className="row-actions">
          {eni.InstanceId ? (
            <LinkButton label={`Unbind ENI ${id} from its instance`} onClick={() => onDialog({ kind: 'unbind', eni })} disabled={gone}>
              Unbind
            </LinkButton>
          ) : (
            <LinkButton label={`Bind ENI ${id} to an instance`} onClick={() => onDialog({ kind: 'bind', eni })} disabled={gone}>
              Bind
            </LinkButton>
          )}
          <LinkButton label={`Modify ENI ${id}`} onClick={() => onDialog({ kind: 'modify', eni })} disabled={gone}>
            Modify
          </LinkButton>
          <LinkButton label={`Manage Secondary Private IP Address of ENI ${id}`} onClick={onManage} disabled={gone}>
            Manage Secondary Private IP Address
          </LinkButton>
          {eips.length > 0 ? (
            <LinkButton label={`Unassociate EIP from ENI ${id}`} onClick={() => onDialog({ kind: 'unassociate', eni })} disabled={gone}>
              Unassociate EIP
            </LinkButton>
          ) : (
            <LinkButton label={`Associate EIP with ENI ${id}`} onClick={() => onDialog({ kind: 'associate', eni })} disabled={gone}>
              Associate EIP
            </LinkButton>
          )}
          <LinkButton danger label={`Delete ENI ${id}`} onClick={() => onDialog({ kind: 'delete', eni })} disabled={gone}>
            Delete
          </LinkButton>
        </div>
      </td>
    </tr>
  );
}
