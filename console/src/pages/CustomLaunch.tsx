import { useId, useState } from 'react';
import { useNavigate } from 'react-router';
import { useAction, useActionMutation } from '../api/hooks.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { Field } from '../components/Field.tsx';
import { SecurityGroupsSelect, VpcSelect, VSwitchSelect } from '../components/pickers.tsx';
import type { InstanceTypeInfo } from './InstanceDetail.tsx';
import './instances.css';

type PrimaryMode = 'security-group' | 'existing-eni';

interface SecondaryRow {
  key: number;
  kind: 'existing' | 'new';
  networkInterfaceId: string;
  name: string;
}

interface AvailableEni {
  NetworkInterfaceId: string;
  NetworkInterfaceName: string;
  VSwitchId: string;
  ZoneId: string;
  PrimaryIpAddress: string;
}

/** Available secondary ENIs of a VPC: what may become a new instance's primary or secondary ENI (the server checks the rest). */
function useAvailableEnis(vpcId: string) {
  const q = useAction<{ NetworkInterfaceSets: { NetworkInterfaceSet: AvailableEni[] } }>(
    'Ecs',
    'DescribeNetworkInterfaces',
    { VpcId: vpcId, Status: 'Available', Type: 'Secondary', PageSize: 100 },
    { enabled: !!vpcId },
  );
  return q.data?.NetworkInterfaceSets.NetworkInterfaceSet ?? [];
}

function eniLabel(e: AvailableEni): string {
  return `${e.NetworkInterfaceName ? `${e.NetworkInterfaceName} (${e.NetworkInterfaceId})` : e.NetworkInterfaceId} · ${e.VSwitchId} · ${e.ZoneId} · ${e.PrimaryIpAddress}`;
}

/**
 * RunInstances, as the ECS console's Custom Launch: where (zone, VPC, vSwitch), what (type with
 * its ENI quotas, image), then the network: a security group, which creates a new primary ENI, or
 * an existing ENI as the primary one, never both (the seed's Important note); secondary ENIs,
 * existing or new (NetworkInterface.N).
 */
export function CustomLaunchPage() {
  const navigate = useNavigate();
  const [zoneId, setZoneId] = useState('');
  const [vpcId, setVpcId] = useState('');
  const [vswitchId, setVswitchId] = useState('');
  const [instanceType, setInstanceType] = useState('');
  const [imageId, setImageId] = useState('');
  const [mode, setMode] = useState<PrimaryMode>('security-group');
  const [groups, setGroups] = useState<string[]>([]);
  const [primaryEni, setPrimaryEni] = useState('');
  const [secondaries, setSecondaries] = useState<SecondaryRow[]>([]);
  const [name, setName] = useState('');
  const [nextKey, setNextKey] = useState(1);
  const modeName = useId();

  const zones = useAction<{ Zones: { Zone: { ZoneId: string; LocalName: string }[] } }>(
    'Ecs',
    'DescribeZones',
    { AcceptLanguage: 'en-US' },
    { staleTime: Infinity },
  );
  const types = useAction<{ InstanceTypes: { InstanceType: InstanceTypeInfo[] } }>(
    'Ecs',
    'DescribeInstanceTypes',
    { MaxResults: 100 },
    { staleTime: Infinity },
  );
  const images = useAction<{ Images: { Image: { ImageId: string; OSNameEn: string; OSName: string }[] } }>(
    'Ecs',
    'DescribeImages',
    { PageSize: 100 },
    { staleTime: Infinity },
  );
  const available = useAvailableEnis(vpcId);
  const run = useActionMutation<{ InstanceIdSets: { InstanceIdSet: string[] } }>('Ecs', 'RunInstances');
  const type = types.data?.InstanceTypes.InstanceType.find((t) => t.InstanceTypeId === instanceType);

  const launch = () => {
    const networkInterfaces: Record<string, unknown>[] = [];
    if (mode === 'existing-eni') networkInterfaces.push({ InstanceType: 'Primary', NetworkInterfaceId: primaryEni });
    for (const s of secondaries) {
      networkInterfaces.push(
        s.kind === 'existing'
          ? { InstanceType: 'Secondary', NetworkInterfaceId: s.networkInterfaceId }
          : { InstanceType: 'Secondary', NetworkInterfaceName: s.name || undefined },
      );
    }
    run.mutate(
      {
        ZoneId: zoneId,
        InstanceType: instanceType,
        ImageId: imageId,
        InstanceName: name,
        // One or the other, never both: the form sends only the chosen network.
        ...(mode === 'security-group' ? { VSwitchId: vswitchId, SecurityGroupIds: groups } : {}),
        NetworkInterface: networkInterfaces,
      },
      { onSuccess: (r) => navigate(`/instances/${r.InstanceIdSets.InstanceIdSet[0]}`) },
    );
  };

  const update = (key: number, change: Partial<SecondaryRow>) => setSecondaries((rows) => rows.map((r) => (r.key === key ? { ...r, ...change } : r)));

  return (
    <section>
      <h1>Custom Launch</h1>
      <form
        className="launch-form"
        onSubmit={(e) => {
          e.preventDefault();
          launch();
        }}
      >
        <fieldset>
          <legend>Where</legend>
          <Field label="Zone" hint="The vSwitch (or the existing primary ENI) must be in this zone; any zone if none is chosen.">
            <select
              value={zoneId}
              onChange={(e) => {
                setZoneId(e.target.value);
                setVswitchId('');
              }}
            >
              <option value="">Any zone</option>
              {zones.data?.Zones.Zone.map((z) => (
                <option key={z.ZoneId} value={z.ZoneId}>
                  {z.LocalName} ({z.ZoneId})
                </option>
              ))}
            </select>
          </Field>
          <Field label="VPC">
            <VpcSelect
              value={vpcId}
              onChange={(v) => {
                setVpcId(v);
                setVswitchId('');
                setGroups([]);
                setPrimaryEni('');
              }}
            />
          </Field>
        </fieldset>
        <fieldset>
          <legend>Instance</legend>
          <Field
            label="Instance type"
            hint={
              type
                ? `${type.CpuCoreCount} vCPU, ${type.MemorySize} GiB · ENI quota ${type.EniQuantity} (the primary one included) · ${type.EniPrivateIpAddressQuantity} private IPs per ENI`
                : 'Each type has its own ENI quota and per-ENI address quota.'
            }
          >
            <select value={instanceType} onChange={(e) => setInstanceType(e.target.value)}>
              <option value="">{types.isLoading ? 'Loading…' : 'Select an instance type'}</option>
              {types.data?.InstanceTypes.InstanceType.map((t) => (
                <option key={t.InstanceTypeId} value={t.InstanceTypeId}>
                  {t.InstanceTypeId} · {t.CpuCoreCount} vCPU {t.MemorySize} GiB · {t.EniQuantity} ENIs × {t.EniPrivateIpAddressQuantity} IPs
                </option>
              ))}
            </select>
          </Field>
          <Field label="Image">
            <select value={imageId} onChange={(e) => setImageId(e.target.value)}>
              <option value="">{images.isLoading ? 'Loading…' : 'Select an image'}</option>
              {images.data?.Images.Image.map((i) => (
                <option key={i.ImageId} value={i.ImageId}>
                  {i.OSNameEn || i.OSName} ({i.ImageId})
                </option>
              ))}
            </select>
          </Field>
          <Field label="Instance name">
            <input value={name} onChange={(e) => setName(e.target.value)} />
          </Field>
        </fieldset>
        <fieldset>
          <legend>Primary ENI</legend>
          <p className="hint">
            Either a security group, which creates a new primary ENI in the vSwitch, or an existing ENI as the primary ENI, never both (the instance then takes
            that ENI’s vSwitch and security groups).
          </p>
          <label className="radio">
            <input type="radio" name={modeName} checked={mode === 'security-group'} onChange={() => setMode('security-group')} /> Security group (a new primary
            ENI)
          </label>
          <label className="radio">
            <input type="radio" name={modeName} checked={mode === 'existing-eni'} onChange={() => setMode('existing-eni')} /> Existing ENI as the primary ENI
          </label>
          {mode === 'security-group' ? (
            <>
              <Field label="vSwitch">
                <VSwitchSelect vpcId={vpcId} zoneId={zoneId || undefined} value={vswitchId} onChange={setVswitchId} />
              </Field>
              <Field label="Security groups">
                <SecurityGroupsSelect vpcId={vpcId} value={groups} onChange={setGroups} />
              </Field>
            </>
          ) : (
            <Field label="Primary ENI" hint="Available secondary ENIs of the VPC.">
              <select value={primaryEni} onChange={(e) => setPrimaryEni(e.target.value)} disabled={!vpcId}>
                <option value="">{vpcId ? 'Select an ENI' : 'Select a VPC first'}</option>
                {available
                  .filter((e) => !zoneId || e.ZoneId === zoneId)
                  .map((e) => (
                    <option key={e.NetworkInterfaceId} value={e.NetworkInterfaceId}>
                      {eniLabel(e)}
                    </option>
                  ))}
              </select>
            </Field>
          )}
        </fieldset>
        <fieldset>
          <legend>Secondary ENIs</legend>
          {type && <p className="hint">This type takes {type.EniQuantity - 1} secondary ENI(s) besides the primary one.</p>}
          {secondaries.map((s, index) => (
            <div className="secondary-row" key={s.key}>
              <Field label={`Secondary ENI ${index + 1}`}>
                <select value={s.kind} onChange={(e) => update(s.key, { kind: e.target.value as SecondaryRow['kind'] })}>
                  <option value="new">New ENI (in the instance’s vSwitch)</option>
                  <option value="existing">Existing ENI</option>
                </select>
              </Field>
              {s.kind === 'existing' ? (
                <Field label={`Existing ENI ${index + 1}`}>
                  <select value={s.networkInterfaceId} onChange={(e) => update(s.key, { networkInterfaceId: e.target.value })}>
                    <option value="">Select an ENI</option>
                    {available
                      .filter((e) => e.NetworkInterfaceId !== primaryEni)
                      .map((e) => (
                        <option key={e.NetworkInterfaceId} value={e.NetworkInterfaceId}>
                          {eniLabel(e)}
                        </option>
                      ))}
                  </select>
                </Field>
              ) : (
                <Field label={`New ENI name ${index + 1}`}>
                  <input value={s.name} onChange={(e) => update(s.key, { name: e.target.value })} />
                </Field>
              )}
              <button type="button" onClick={() => setSecondaries((rows) => rows.filter((r) => r.key !== s.key))}>
                Remove secondary ENI {index + 1}
              </button>
            </div>
          ))}
          <button
            type="button"
            onClick={() => {
              setSecondaries((rows) => [...rows, { key: nextKey, kind: 'new', networkInterfaceId: '', name: '' }]);
              setNextKey((k) => k + 1);
            }}
          >
            Add secondary ENI
          </button>
        </fieldset>
        <ErrorAlert error={run.error} />
        <div className="dialog-actions">
          <button type="submit" className="primary" disabled={run.isPending}>
            Launch
          </button>
        </div>
      </form>
    </section>
  );
}
