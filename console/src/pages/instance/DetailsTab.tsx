/** An instance's Details tab: status, type with its quotas, placement, addresses, and the lifecycle actions. */
import { InstanceActions, type InstanceSummary } from '../../components/InstanceActions.tsx';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { privateIps } from '../Instances.tsx';
import type { InstanceTypeInfo } from '../InstanceDetail.tsx';

export function DetailsTab({ instance: i, type, onReleased }: { instance: InstanceSummary; type: InstanceTypeInfo | undefined; onReleased(): void }) {
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
