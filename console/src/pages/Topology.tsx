import { useState, type ReactNode } from 'react';
import { useAction } from '../api/hooks.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { useVpcs, type VSwitchSummary } from '../components/pickers.tsx';
import './network.css';

/**
 * The Topology page: one VPC drawn as VPC → vSwitches by zone → instances → ENIs with their
 * private addresses and EIPs, refetched every 2 s. Five bounded reads, each one page at the
 * action's largest size (50 vSwitches, 100 instances, 500 ENIs, 100 EIPs); when a VPC holds more,
 * the page says the picture is partial.
 */

const LIVE_MS = 2000;

interface Instance {
  InstanceId: string;
  InstanceName: string;
  Status: string;
  ZoneId: string;
  InstanceType: string;
  VpcAttributes: { VpcId: string; VSwitchId: string };
  EipAddress: { AllocationId: string; IpAddress: string };
}

interface Eni {
  NetworkInterfaceId: string;
  NetworkInterfaceName: string;
  Status: string;
  Type: string;
  VSwitchId: string;
  ZoneId: string;
  InstanceId: string;
  PrivateIpAddress: string;
  PrivateIpSets: { PrivateIpSet: { PrivateIpAddress: string; Primary: boolean; AssociatedPublicIp: { PublicIpAddress: string; AllocationId: string } }[] };
  Attachment?: { DeviceIndex: number };
}

interface Eip {
  AllocationId: string;
  IpAddress: string;
  Status: string;
  InstanceId: string;
  InstanceType: string;
  PrivateIpAddress: string;
}

/** An ENI as drawn: its addresses, and each EIP with the private address it maps to. */
interface EniNode {
  eni: Eni;
  addresses: string[];
  eips: { ip: string; privateIp: string; status: string }[];
}
interface InstanceNode {
  instance: Instance | null; // null: the vSwitch's ENIs attached to no instance
  enis: EniNode[];
}
interface VSwitchNode {
  vswitch: VSwitchSummary;
  instances: InstanceNode[];
}
interface ZoneNode {
  zoneId: string;
  vswitches: VSwitchNode[];
}

function buildTree(vswitches: VSwitchSummary[], instances: Instance[], enis: Eni[], eips: Eip[]): ZoneNode[] {
  const eipsOf = (eni: Eni) => {
    const found = new Map<string, { ip: string; privateIp: string; status: string }>();
    for (const p of eni.PrivateIpSets.PrivateIpSet) {
      const pub = p.AssociatedPublicIp?.PublicIpAddress;
      if (pub) found.set(pub, { ip: pub, privateIp: p.PrivateIpAddress, status: 'InUse' });
    }
    for (const e of eips) {
      const onEni = e.InstanceType === 'NetworkInterface' && e.InstanceId === eni.NetworkInterfaceId;
      const onInstance = e.InstanceType === 'EcsInstance' && eni.Type === 'Primary' && e.InstanceId === eni.InstanceId && eni.InstanceId !== '';
      if (onEni || onInstance) found.set(e.IpAddress, { ip: e.IpAddress, privateIp: e.PrivateIpAddress || eni.PrivateIpAddress, status: e.Status });
    }
    return [...found.values()];
  };
  const eniNode = (eni: Eni): EniNode => ({ eni, addresses: eni.PrivateIpSets.PrivateIpSet.map((p) => p.PrivateIpAddress), eips: eipsOf(eni) });
  const byDevice = (a: Eni, b: Eni) =>
    a.Type === 'Primary' ? -1 : b.Type === 'Primary' ? 1 : (a.Attachment?.DeviceIndex ?? 0) - (b.Attachment?.DeviceIndex ?? 0);
  const zones = new Map<string, VSwitchNode[]>();
  for (const vsw of [...vswitches].sort((a, b) => a.ZoneId.localeCompare(b.ZoneId) || a.CidrBlock.localeCompare(b.CidrBlock))) {
    const here = instances.filter((i) => i.VpcAttributes.VSwitchId === vsw.VSwitchId);
    const nodes: InstanceNode[] = here.map((instance) => ({
      instance,
      enis: enis
        .filter((n) => n.InstanceId === instance.InstanceId)
        .sort(byDevice)
        .map(eniNode),
    }));
    const loose = enis.filter((n) => n.VSwitchId === vsw.VSwitchId && (n.InstanceId === '' || !instances.some((i) => i.InstanceId === n.InstanceId)));
    if (loose.length > 0) nodes.push({ instance: null, enis: loose.map(eniNode) });
    const list = zones.get(vsw.ZoneId) ?? [];
    list.push({ vswitch: vsw, instances: nodes });
    zones.set(vsw.ZoneId, list);
  }
  return [...zones].map(([zoneId, vs]) => ({ zoneId, vswitches: vs }));
}

export function TopologyPage() {
  const { vpcs, error: vpcsError, isLoading } = useVpcs();
  const [chosen, setChosen] = useState('');
  const vpcId = chosen || vpcs[0]?.VpcId || '';
  const vpc = vpcs.find((v) => v.VpcId === vpcId);
  const live = { enabled: !!vpcId, refetchInterval: LIVE_MS };
  const vsw = useAction<{ TotalCount: number; VSwitches: { VSwitch: VSwitchSummary[] } }>('Vpc', 'DescribeVSwitches', { VpcId: vpcId, PageSize: 50 }, live);
  const ins = useAction<{ TotalCount: number; Instances: { Instance: Instance[] } }>('Ecs', 'DescribeInstances', { VpcId: vpcId, PageSize: 100 }, live);
  const nic = useAction<{ TotalCount: number; NetworkInterfaceSets: { NetworkInterfaceSet: Eni[] } }>(
    'Ecs',
    'DescribeNetworkInterfaces',
    { VpcId: vpcId, MaxResults: 500 },
    live,
  );
  const eip = useAction<{ TotalCount: number; EipAddresses: { EipAddress: Eip[] } }>('Vpc', 'DescribeEipAddresses', { PageSize: 100 }, live);
  const vswitches = vsw.data?.VSwitches.VSwitch ?? [];
  const instances = ins.data?.Instances.Instance ?? [];
  const enis = nic.data?.NetworkInterfaceSets.NetworkInterfaceSet ?? [];
  const eips = eip.data?.EipAddresses.EipAddress ?? [];
  const partial =
    (vsw.data && vsw.data.TotalCount > vswitches.length) ||
    (ins.data && ins.data.TotalCount > instances.length) ||
    (nic.data && nic.data.TotalCount > enis.length) ||
    (eip.data && eip.data.TotalCount > eips.length);
  const ready = vsw.data && ins.data && nic.data && eip.data;
  const tree = ready ? buildTree(vswitches, instances, enis, eips) : [];
  return (
    <section className="network-page">
      <h1>Topology</h1>
      <div className="filters">
        <div className="field">
          <label htmlFor="topology-vpc">VPC</label>
          <select id="topology-vpc" value={vpcId} onChange={(e) => setChosen(e.target.value)}>
            {vpcs.length === 0 && <option value="">{isLoading ? 'Loading…' : 'No VPCs'}</option>}
            {vpcs.map((v) => (
              <option key={v.VpcId} value={v.VpcId}>
                {v.VpcName ? `${v.VpcName} (${v.VpcId})` : v.VpcId} · {v.CidrBlock}
              </option>
            ))}
          </select>
        </div>
        <p className="hint" aria-live="polite">
          Live: refreshed every {LIVE_MS / 1000} s.
        </p>
      </div>
      <ErrorAlert error={vpcsError ?? vsw.error ?? ins.error ?? nic.error ?? eip.error} />
      {partial && <p className="notice">This VPC holds more than one page of some resources: the picture shows the first page of each.</p>}
      {!isLoading && vpcs.length === 0 && <p>No VPCs in this region: create one on the VPCs page.</p>}
      {vpc && ready && <TopologyPicture vpc={vpc} tree={tree} />}
    </section>
  );
}

// ---- the picture ----

const ROW = 72; // one ENI
const GAP = 10;
const X = { vpc: 10, zone: 210, vsw: 220, instance: 472, eni: 692 };
const W = { vpc: 188, zone: 240, vsw: 220, instance: 196, eni: 300 };
const WIDTH = X.eni + W.eni + 10;

function fit(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function TopologyPicture({ vpc, tree }: { vpc: { VpcId: string; VpcName: string; CidrBlock: string; Status: string }; tree: ZoneNode[] }) {
  const shapes: ReactNode[] = [];
  const lines: ReactNode[] = [];
  let y = 40;
  const vswitchCount = tree.reduce((n, z) => n + z.vswitches.length, 0);
  const instanceNodes = tree.flatMap((z) => z.vswitches.flatMap((v) => v.instances.filter((i) => i.instance)));
  const eniNodes = tree.flatMap((z) => z.vswitches.flatMap((v) => v.instances.flatMap((i) => i.enis)));
  const eipCount = eniNodes.reduce((n, e) => n + e.eips.length, 0);
  const vswCenters: number[] = [];
  for (const zone of tree) {
    const zoneTop = y;
    y += 22;
    for (const vn of zone.vswitches) {
      const vswTop = y;
      const rows = Math.max(
        1,
        vn.instances.reduce((n, i) => n + Math.max(1, i.enis.length), 0),
      );
      const vswHeight = rows * ROW + (rows - 1) * GAP;
      const vswMid = vswTop + Math.min(vswHeight, ROW) / 2;
      vswCenters.push(vswMid);
      const v = vn.vswitch;
      shapes.push(
        <g key={v.VSwitchId}>
          <rect x={X.vsw} y={vswTop} width={W.vsw} height={vswHeight} rx={4} fill="#eef4ff" stroke="#0b57d0" />
          <text x={X.vsw + 8} y={vswTop + 18} fontWeight={600}>
            {fit(v.VSwitchName || 'vSwitch (no name)', 28)}
          </text>
          <text x={X.vsw + 8} y={vswTop + 34}>
            {v.VSwitchId}
          </text>
          <text x={X.vsw + 8} y={vswTop + 50}>
            {v.CidrBlock} · {v.AvailableIpAddressCount} free · {v.Status}
          </text>
        </g>,
      );
      let iy = vswTop;
      for (const inode of vn.instances) {
        const rowsHere = Math.max(1, inode.enis.length);
        const h = rowsHere * ROW + (rowsHere - 1) * GAP;
        const key = inode.instance?.InstanceId ?? `${v.VSwitchId}-loose`;
        const mid = iy + Math.min(h, ROW) / 2;
        lines.push(
          <path key={`l-${key}`} d={`M${X.vsw + W.vsw} ${vswMid} C ${X.instance - 20} ${vswMid}, ${X.vsw + W.vsw + 20} ${mid}, ${X.instance} ${mid}`} />,
        );
        shapes.push(
          inode.instance ? (
            <g key={key}>
              <rect x={X.instance} y={iy} width={W.instance} height={h} rx={4} fill="#f3f0ff" stroke="#5b3cc4" />
              <text x={X.instance + 8} y={iy + 18} fontWeight={600}>
                {fit(inode.instance.InstanceName || 'Instance (no name)', 26)}
              </text>
              <text x={X.instance + 8} y={iy + 34}>
                {inode.instance.InstanceId}
              </text>
              <text x={X.instance + 8} y={iy + 50}>
                {inode.instance.InstanceType} · {inode.instance.Status}
              </text>
            </g>
          ) : (
            <g key={key}>
              <rect x={X.instance} y={iy} width={W.instance} height={h} rx={4} fill="#fff" stroke="#8b95a5" strokeDasharray="4 3" />
              <text x={X.instance + 8} y={iy + 18} fill="#4e5969">
                Not attached to an instance
              </text>
            </g>
          ),
        );
        let ey = iy;
        for (const en of inode.enis) {
          const e = en.eni;
          const emid = ey + ROW / 2;
          lines.push(
            <path
              key={`l-${e.NetworkInterfaceId}`}
              d={`M${X.instance + W.instance} ${mid} C ${X.eni - 14} ${mid}, ${X.instance + W.instance + 14} ${emid}, ${X.eni} ${emid}`}
            />,
          );
          const shown = en.addresses.slice(0, 3).join(', ') + (en.addresses.length > 3 ? ` +${en.addresses.length - 3}` : '');
          const eipText = en.eips.map((p) => `${p.ip} → ${p.privateIp}${p.status !== 'InUse' ? ` (${p.status})` : ''}`).join(', ');
          shapes.push(
            <g key={e.NetworkInterfaceId}>
              <rect x={X.eni} y={ey} width={W.eni} height={ROW} rx={4} fill="#ecfdf3" stroke="#067647" />
              <text x={X.eni + 8} y={ey + 16} fontWeight={600}>
                {e.NetworkInterfaceId}
              </text>
              <text x={X.eni + 8} y={ey + 32}>
                {e.Type} · {e.Status}
              </text>
              <text x={X.eni + 8} y={ey + 48}>
                {fit(shown, 44)}
              </text>
              <text x={X.eni + 8} y={ey + 64} fill={en.eips.length ? '#8a4b00' : '#4e5969'}>
                {fit(en.eips.length ? `EIP ${eipText}` : 'No EIP', 44)}
              </text>
            </g>,
          );
          ey += ROW + GAP;
        }
        iy += h + GAP;
      }
      y = vswTop + vswHeight + GAP;
    }
    const zoneHeight = y - zoneTop;
    shapes.unshift(
      <g key={`zone-${zone.zoneId}`}>
        <rect x={X.zone} y={zoneTop} width={W.zone} height={zoneHeight} rx={6} fill="none" stroke="#8b95a5" strokeDasharray="6 4" />
        <text x={X.zone + 8} y={zoneTop + 15} fill="#4e5969">
          Zone {zone.zoneId}
        </text>
      </g>,
    );
    y += GAP * 2;
  }
  const height = Math.max(y, 120);
  const vpcMid = 40 + 32;
  for (const [i, c] of vswCenters.entries())
    lines.push(<path key={`v-${i}`} d={`M${X.vpc + W.vpc} ${vpcMid} C ${X.vsw - 20} ${vpcMid}, ${X.vpc + W.vpc + 10} ${c}, ${X.vsw} ${c}`} />);
  const label =
    `VPC ${vpc.VpcId} (${vpc.CidrBlock}): ${vswitchCount} vSwitch${vswitchCount === 1 ? '' : 'es'} in ${tree.length} zone${tree.length === 1 ? '' : 's'}, ` +
    `${instanceNodes.length} instance${instanceNodes.length === 1 ? '' : 's'}, ${eniNodes.length} ENI${eniNodes.length === 1 ? '' : 's'}, ${eipCount} EIP${eipCount === 1 ? '' : 's'}.`;
  return (
    <>
      <div className="topology-wrap" tabIndex={0} role="region" aria-label="Topology picture (scrollable)">
        <svg role="img" aria-label={label} width={WIDTH} height={height} viewBox={`0 0 ${WIDTH} ${height}`} fontSize={12}>
          <title>{label}</title>
          <text x={X.vpc} y={20} fill="#4e5969">
            VPC
          </text>
          <text x={X.zone} y={20} fill="#4e5969">
            vSwitches by zone
          </text>
          <text x={X.instance} y={20} fill="#4e5969">
            Instances
          </text>
          <text x={X.eni} y={20} fill="#4e5969">
            ENIs, private addresses, EIPs
          </text>
          <g fill="none" stroke="#8b95a5" strokeWidth={1.2}>
            {lines}
          </g>
          <rect x={X.vpc} y={40} width={W.vpc} height={Math.max(64, height - 60)} rx={6} fill="#fff7e6" stroke="#8a4b00" />
          <text x={X.vpc + 8} y={58} fontWeight={600}>
            {fit(vpc.VpcName || 'VPC (no name)', 24)}
          </text>
          <text x={X.vpc + 8} y={74}>
            {vpc.VpcId}
          </text>
          <text x={X.vpc + 8} y={90}>
            {vpc.CidrBlock} · {vpc.Status}
          </text>
          {shapes}
        </svg>
      </div>
      <details className="topology-list">
        <summary>Topology as text</summary>
        <ul>
          <li>
            VPC {vpc.VpcId}
            {vpc.VpcName ? ` (${vpc.VpcName})` : ''}, {vpc.CidrBlock}, {vpc.Status}
            <ul>
              {tree.map((zone) => (
                <li key={zone.zoneId}>
                  Zone {zone.zoneId}
                  <ul>
                    {zone.vswitches.map((vn) => (
                      <li key={vn.vswitch.VSwitchId}>
                        vSwitch {vn.vswitch.VSwitchId}
                        {vn.vswitch.VSwitchName ? ` (${vn.vswitch.VSwitchName})` : ''}, {vn.vswitch.CidrBlock}, {vn.vswitch.AvailableIpAddressCount} free
                        <ul>
                          {vn.instances.map((inode) => (
                            <li key={inode.instance?.InstanceId ?? 'loose'}>
                              {inode.instance
                                ? `Instance ${inode.instance.InstanceId} (${inode.instance.InstanceType}, ${inode.instance.Status})`
                                : 'Not attached to an instance'}
                              <ul>
                                {inode.enis.map((en) => (
                                  <li key={en.eni.NetworkInterfaceId}>
                                    ENI {en.eni.NetworkInterfaceId} ({en.eni.Type}, {en.eni.Status}): {en.addresses.join(', ')}
                                    {en.eips.length > 0 && `; EIP ${en.eips.map((p) => `${p.ip} → ${p.privateIp}`).join(', ')}`}
                                  </li>
                                ))}
                              </ul>
                            </li>
                          ))}
                        </ul>
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
          </li>
        </ul>
      </details>
    </>
  );
}
