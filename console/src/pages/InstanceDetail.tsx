import { useId, useState } from 'react';
import { NavLink, Route, Routes, useNavigate, useParams } from 'react-router';
import { useAction, useActionMutation, useView } from '../api/hooks.ts';
import { ConfirmDialog, Dialog } from '../components/Dialog.tsx';
import { CopyButton } from '../components/CopyButton.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { Field } from '../components/Field.tsx';
import { InstanceActions, type InstanceSummary } from '../components/InstanceActions.tsx';
import { StatusBadge, isTransient } from '../components/StatusBadge.tsx';
import { privateIps } from './Instances.tsx';
import './instances.css';

export interface InstanceTypeInfo {
  InstanceTypeId: string;
  InstanceTypeFamily: string;
  CpuCoreCount: number;
  MemorySize: number;
  EniQuantity: number;
  EniPrivateIpAddressQuantity: number;
  EniTotalQuantity: number;
}

/** One instance type's ENI quotas (DescribeInstanceTypes). */
export function useInstanceType(id: string | undefined) {
  const q = useAction<{ InstanceTypes: { InstanceType: InstanceTypeInfo[] } }>(
    'Ecs',
    'DescribeInstanceTypes',
    { InstanceTypes: id ? [id] : [] },
    { enabled: !!id, staleTime: Infinity },
  );
  return { ...q, type: q.data?.InstanceTypes.InstanceType[0] };
}

function useInstance(id: string) {
  const q = useAction<{ Instances: { Instance: InstanceSummary[] } }>(
    'Ecs',
    'DescribeInstances',
    { InstanceIds: [id] },
    { refetchInterval: (query) => (query.state.data?.Instances.Instance.some((i) => isTransient(i.Status)) ? 1000 : false) },
  );
  return { ...q, instance: q.data?.Instances.Instance[0] };
}

/** An instance: its details, its ENIs (with Bind Secondary ENI) and its guest OS network configuration. */
export function InstanceDetailPage() {
  const { instanceId = '' } = useParams();
  const navigate = useNavigate();
  const { instance, error, isLoading } = useInstance(instanceId);
  const { type } = useInstanceType(instance?.InstanceType);
  const base = `/instances/${instanceId}`;
  return (
    <section>
      <p>
        <NavLink to="/instances">← Instances</NavLink>
      </p>
      <h1>
        Instance {instanceId}
        {instance?.InstanceName ? ` (${instance.InstanceName})` : ''}
      </h1>
      <ErrorAlert error={error} />
      {isLoading && <p>Loading…</p>}
      {!isLoading && !error && !instance && <p role="alert">No instance {instanceId} in this region (released?).</p>}
      {instance && (
        <>
          <nav className="tabs" aria-label="Instance">
            <NavLink to={base} end>
              Details
            </NavLink>
            <NavLink to={`${base}/enis`}>ENIs</NavLink>
            <NavLink to={`${base}/os-configuration`}>OS configuration</NavLink>
          </nav>
          <Routes>
            <Route index element={<DetailsTab instance={instance} type={type} onReleased={() => navigate('/instances')} />} />
            <Route path="enis" element={<EnisTab instance={instance} type={type} />} />
            <Route path="os-configuration" element={<OsConfigurationTab instance={instance} />} />
          </Routes>
        </>
      )}
    </section>
  );
}

function DetailsTab({ instance: i, type, onReleased }: { instance: InstanceSummary; type: InstanceTypeInfo | undefined; onReleased(): void }) {
  return (
    <>
      <h2>Details</h2>
      <dl className="details">
        <dt>Status</dt>
        <dd>
          <StatusBadge status={i.Status} />
        </dd>
        <dt>Instance type</dt>
        <dd>
          {i.InstanceType}
          {type && (
            <span className="sub">
              {' '}
              · {type.CpuCoreCount} vCPU, {type.MemorySize} GiB · up to {type.EniQuantity} ENIs (the primary one included) · up to{' '}
              {type.EniPrivateIpAddressQuantity} private IPs per ENI
            </span>
          )}
        </dd>
        <dt>Image</dt>
        <dd>
          {i.OSNameEn || i.OSName} <span className="sub">{i.ImageId}</span>
        </dd>
        <dt>Zone</dt>
        <dd>{i.ZoneId}</dd>
        <dt>VPC</dt>
        <dd>{i.VpcAttributes.VpcId}</dd>
        <dt>vSwitch</dt>
        <dd>{i.VpcAttributes.VSwitchId}</dd>
        <dt>Private IPs</dt>
        <dd>{privateIps(i).join(', ')}</dd>
        <dt>Public IP / EIP</dt>
        <dd>{[...i.PublicIpAddress.IpAddress, i.EipAddress.IpAddress].filter(Boolean).join(', ') || 'none'}</dd>
        <dt>Security groups</dt>
        <dd>{i.SecurityGroupIds.SecurityGroupId.join(', ')}</dd>
        <dt>Created</dt>
        <dd>{i.CreationTime}</dd>
      </dl>
      <h2>Actions</h2>
      <InstanceActions instance={i} onReleased={onReleased} />
    </>
  );
}

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

function EnisTab({ instance, type }: { instance: InstanceSummary; type: InstanceTypeInfo | undefined }) {
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
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">ENIs of {id}</caption>
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
                    <button
                      type="button"
                      className="link"
                      onClick={() => {
                        detach.reset();
                        setUnbinding(e);
                      }}
                    >
                      Unbind
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
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
          <div className="dialog-actions">
            <button type="submit" className="primary" disabled={!chosen || attach.isPending}>
              OK
            </button>
            <button type="button" onClick={onClose}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

interface GuestConfig {
  InstanceId: string;
  ImageId: string;
  ImageDistro: string;
  Distro: string;
  Format: string;
  Formats: string[];
  Restart: string;
  EniCount: number;
  Files: { Path: string; Content: string; Mode: string }[];
  Distros: { Distro: string; Formats: string[] }[];
  Problem?: string;
}

/** What `eniplane guest render` writes for this instance (the server renders it with the CLI's code). */
function OsConfigurationTab({ instance }: { instance: InstanceSummary }) {
  const [distro, setDistro] = useState('');
  const [format, setFormat] = useState('');
  const config = useView<GuestConfig>(
    'guest-config',
    { InstanceId: instance.InstanceId, Distro: distro || undefined, Format: format || undefined },
    { placeholderData: (prev) => prev },
  );
  const c = config.data;
  const formats = distro ? (c?.Distros.find((d) => d.Distro === distro)?.Formats ?? []) : (c?.Formats ?? []);
  return (
    <>
      <h2>OS configuration</h2>
      <p className="hint">
        The files <code>eniplane guest render --instance {instance.InstanceId}</code> writes inside the guest from the metadata service, for the ENIs attached
        now (InUse): the seed’s “Configure the ENI in the OS” steps for this instance. Save each file at its path, then run the restart command.
      </p>
      <div className="filters">
        <Field label="Distro">
          <select
            value={distro}
            onChange={(e) => {
              setDistro(e.target.value);
              setFormat('');
            }}
          >
            <option value="">From the image{c?.ImageDistro ? ` (${c.ImageDistro})` : ''}</option>
            {c?.Distros.map((d) => (
              <option key={d.Distro} value={d.Distro}>
                {d.Distro}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Format">
          <select value={format} onChange={(e) => setFormat(e.target.value)}>
            <option value="">Default{formats[0] ? ` (${formats[0]})` : ''}</option>
            {formats.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <ErrorAlert error={config.error} />
      {config.isLoading && <p>Loading…</p>}
      {c?.Problem && (
        <p role="alert" className="notice">
          {c.Problem}. Choose a distro above.
        </p>
      )}
      {c && c.Distro && (
        <>
          <p>
            {c.Distro}, format {c.Format}: {c.EniCount} ENI(s), image {c.ImageId}.
          </p>
          {c.Files.map((f) => (
            <article key={f.Path} aria-label={f.Path}>
              <div className="file-head">
                <h3>{f.Path}</h3>
                <span className="hint">mode {f.Mode}</span>
                <CopyButton text={f.Content} label={`Copy ${f.Path}`} />
              </div>
              <pre className="code" tabIndex={0}>
                {f.Content}
              </pre>
            </article>
          ))}
          <div className="file-head">
            <h3>Restart command</h3>
            <CopyButton text={c.Restart} label="Copy the restart command" />
          </div>
          <pre className="code" tabIndex={0}>
            {c.Restart}
          </pre>
        </>
      )}
    </>
  );
}
