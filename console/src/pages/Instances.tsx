import { useState } from 'react';
import { Link } from 'react-router';
import { useAction } from '../api/hooks.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { InstanceActions, type InstanceSummary } from '../components/InstanceActions.tsx';
import { Pager } from '../components/Pager.tsx';
import { StatusBadge, isTransient } from '../components/StatusBadge.tsx';
import './instances.css';
import { TableStatusRows } from '../components/TableStatusRows.tsx';
import { ScrollTable } from '../components/ScrollTable.tsx';

const PAGE_SIZE = 20;

interface DescribeInstances {
  TotalCount: number;
  PageNumber: number;
  PageSize: number;
  Instances: { Instance: InstanceSummary[] };
}

/** The region's instances (DescribeInstances, one server-side page at a time), live while any is in transition. */
export function InstancesPage() {
  const [page, setPage] = useState(1);
  const list = useAction<DescribeInstances>(
    'Ecs',
    'DescribeInstances',
    { PageNumber: page, PageSize: PAGE_SIZE },
    { refetchInterval: (q) => (q.state.data?.Instances.Instance.some((i) => isTransient(i.Status)) ? 1000 : false), placeholderData: (prev) => prev },
  );
  const instances = list.data?.Instances.Instance ?? [];
  return (
    <section>
      <h1>Instances</h1>
      <div className="toolbar">
        <Link className="button-link primary" to="/instances/launch">
          Custom Launch
        </Link>
      </div>
      <ErrorAlert error={list.error} />
      <ScrollTable caption="Instances of the region">
        <thead>
          <tr>
            <th scope="col">Instance ID / name</th>
            <th scope="col">Status</th>
            <th scope="col">Type</th>
            <th scope="col">Zone</th>
            <th scope="col">VPC / vSwitch</th>
            <th scope="col">Private IPs</th>
            <th scope="col">ENIs</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          <TableStatusRows
            columns={8}
            loading={list.isLoading}
            empty={instances.length === 0}
            emptyText="No instances in this region. Use Custom Launch to create one."
          />
          {instances.map((i) => (
            <tr key={i.InstanceId}>
              <td>
                <Link to={`/instances/${i.InstanceId}`}>{i.InstanceId}</Link>
                {i.InstanceName && <span className="sub">{i.InstanceName}</span>}
              </td>
              <td>
                <StatusBadge status={i.Status} />
              </td>
              <td>{i.InstanceType}</td>
              <td>{i.ZoneId}</td>
              <td>
                {i.VpcAttributes.VpcId}
                <span className="sub">{i.VpcAttributes.VSwitchId}</span>
              </td>
              <td>{privateIps(i).join(', ')}</td>
              <td>{i.NetworkInterfaces.NetworkInterface.length}</td>
              <td>
                <InstanceActions instance={i} />
              </td>
            </tr>
          ))}
        </tbody>
      </ScrollTable>
      {list.data && <Pager label="Instances" answer={list.data} requested={page} pageSize={PAGE_SIZE} onPage={setPage} />}
    </section>
  );
}

/** Every private IPv4 of the instance's ENIs, as DescribeInstances lists them. */
export function privateIps(i: InstanceSummary): string[] {
  const all = i.NetworkInterfaces.NetworkInterface.flatMap((n) =>
    n.PrivateIpSets.PrivateIpSet.length ? n.PrivateIpSets.PrivateIpSet.map((s) => s.PrivateIpAddress) : [n.PrimaryIpAddress],
  );
  return all.length ? all : i.VpcAttributes.PrivateIpAddress.IpAddress;
}
