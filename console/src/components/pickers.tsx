import { useAction } from '../api/hooks.ts';

/**
 * Pickers of the resources a form refers to, shared by every dialog that needs them (Create an
 * ENI, Custom Launch, Create vSwitch…). Each lists the region's first page at the action's largest
 * page size (50 VPCs or vSwitches, 100 security groups); a longer list is named by ID instead.
 */

export interface VpcSummary {
  VpcId: string;
  VpcName: string;
  CidrBlock: string;
  Status: string;
}

export interface VSwitchSummary {
  VSwitchId: string;
  VSwitchName: string;
  VpcId: string;
  ZoneId: string;
  CidrBlock: string;
  AvailableIpAddressCount: number;
  Status: string;
}

export interface SecurityGroupSummary {
  SecurityGroupId: string;
  SecurityGroupName: string;
  VpcId: string;
  SecurityGroupType: string;
}

export function useVpcs() {
  const q = useAction<{ Vpcs: { Vpc: VpcSummary[] } }>('Vpc', 'DescribeVpcs', { PageSize: 50 });
  return { ...q, vpcs: q.data?.Vpcs.Vpc ?? [] };
}

export function useVSwitches(vpcId: string | undefined) {
  const q = useAction<{ VSwitches: { VSwitch: VSwitchSummary[] } }>('Vpc', 'DescribeVSwitches', { VpcId: vpcId, PageSize: 50 }, { enabled: !!vpcId });
  return { ...q, vswitches: q.data?.VSwitches.VSwitch ?? [] };
}

export function useSecurityGroups(vpcId: string | undefined) {
  const q = useAction<{ SecurityGroups: { SecurityGroup: SecurityGroupSummary[] } }>(
    'Ecs',
    'DescribeSecurityGroups',
    { VpcId: vpcId, MaxResults: 100 },
    { enabled: !!vpcId },
  );
  return { ...q, groups: q.data?.SecurityGroups.SecurityGroup ?? [] };
}

type SelectProps = { id?: string; 'aria-describedby'?: string; value: string; onChange(value: string): void };

export function VpcSelect({ value, onChange, ...aria }: SelectProps) {
  const { vpcs, isLoading } = useVpcs();
  return (
    <select {...aria} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{isLoading ? 'Loading…' : 'Select a VPC'}</option>
      {vpcs.map((v) => (
        <option key={v.VpcId} value={v.VpcId}>
          {v.VpcName ? `${v.VpcName} (${v.VpcId})` : v.VpcId} · {v.CidrBlock}
        </option>
      ))}
    </select>
  );
}

/** vSwitches of one VPC, each with its zone and free-address count, as the cloud's picker shows them. */
export function VSwitchSelect({ vpcId, zoneId, value, onChange, ...aria }: SelectProps & { vpcId: string; zoneId?: string }) {
  const { vswitches, isLoading } = useVSwitches(vpcId || undefined);
  const shown = zoneId ? vswitches.filter((v) => v.ZoneId === zoneId) : vswitches;
  return (
    <select {...aria} value={value} onChange={(e) => onChange(e.target.value)} disabled={!vpcId}>
      <option value="">{!vpcId ? 'Select a VPC first' : isLoading ? 'Loading…' : 'Select a vSwitch'}</option>
      {shown.map((v) => (
        <option key={v.VSwitchId} value={v.VSwitchId}>
          {v.VSwitchName ? `${v.VSwitchName} (${v.VSwitchId})` : v.VSwitchId} · {v.ZoneId} · {v.CidrBlock} · {v.AvailableIpAddressCount} free
        </option>
      ))}
    </select>
  );
}

/** One or more security groups of a VPC (a multiple select: Ctrl/Shift or Space to choose several). */
export function SecurityGroupsSelect({
  vpcId,
  value,
  onChange,
  ...aria
}: {
  id?: string;
  'aria-describedby'?: string;
  vpcId: string;
  value: string[];
  onChange(value: string[]): void;
}) {
  const { groups } = useSecurityGroups(vpcId || undefined);
  return (
    <select
      {...aria}
      multiple
      value={value}
      onChange={(e) => onChange([...e.target.selectedOptions].map((o) => o.value))}
      disabled={!vpcId}
      size={Math.min(6, Math.max(2, groups.length))}
    >
      {groups.map((g) => (
        <option key={g.SecurityGroupId} value={g.SecurityGroupId}>
          {g.SecurityGroupName ? `${g.SecurityGroupName} (${g.SecurityGroupId})` : g.SecurityGroupId} · {g.SecurityGroupType}
        </option>
      ))}
    </select>
  );
}
