import { NavLink, Route, Routes, useNavigate, useParams } from 'react-router';
import { useAction } from '../api/hooks.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import type { InstanceSummary } from '../components/InstanceActions.tsx';
import { isTransient } from '../components/StatusBadge.tsx';
import './instances.css';
import { DetailsTab } from './instance/DetailsTab.tsx';
import { EnisTab } from './instance/EnisTab.tsx';
import { OsConfigurationTab } from './instance/OsConfigurationTab.tsx';

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
