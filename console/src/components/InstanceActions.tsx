import { useState } from 'react';
import { useActionMutation } from '../api/hooks.ts';
import { ConfirmDialog } from './Dialog.tsx';
import { ErrorAlert } from './ErrorAlert.tsx';
import { LinkButton } from './LinkButton.tsx';

/** The instance summary DescribeInstances answers, as the instance pages read it. */
export interface InstanceSummary {
  InstanceId: string;
  InstanceName: string;
  Status: string;
  InstanceType: string;
  InstanceTypeFamily: string;
  ZoneId: string;
  ImageId: string;
  OSName: string;
  OSNameEn: string;
  CreationTime: string;
  VpcAttributes: { VpcId: string; VSwitchId: string; PrivateIpAddress: { IpAddress: string[] } };
  SecurityGroupIds: { SecurityGroupId: string[] };
  PublicIpAddress: { IpAddress: string[] };
  EipAddress: { IpAddress: string };
  NetworkInterfaces: {
    NetworkInterface: { NetworkInterfaceId: string; Type: string; PrimaryIpAddress: string; PrivateIpSets: { PrivateIpSet: { PrivateIpAddress: string }[] } }[];
  };
}

type Pending = 'stop' | 'reboot' | 'release' | null;

/**
 * Start, stop, reboot and release, as the ECS console offers them: start at once; stop, reboot
 * and release after a confirmation (StopInstance/RebootInstance ForceStop, DeleteInstance Force).
 * Which are allowed in which state is the server's answer: every button is offered and a refusal
 * is shown here, with the cloud's code.
 */
export function InstanceActions({ instance, onReleased }: { instance: InstanceSummary; onReleased?(): void }) {
  const [pending, setPending] = useState<Pending>(null);
  const [force, setForce] = useState(false);
  const start = useActionMutation('Ecs', 'StartInstance');
  const stop = useActionMutation('Ecs', 'StopInstance');
  const reboot = useActionMutation('Ecs', 'RebootInstance');
  const release = useActionMutation('Ecs', 'DeleteInstance');
  const all = [start, stop, reboot, release];
  const error = all.find((m) => m.error)?.error;
  const id = instance.InstanceId;
  const label = instance.InstanceName ? `${instance.InstanceName} (${id})` : id;

  const open = (which: Pending) => {
    all.forEach((m) => m.reset());
    setForce(false);
    setPending(which);
  };
  const run = (mutation: (typeof all)[number], params: Record<string, unknown>, after?: () => void) =>
    mutation.mutate(
      { InstanceId: id, ...params },
      {
        onSettled: () => setPending(null),
        onSuccess: () => after?.(),
      },
    );

  return (
    <div className="instance-actions">
      <div className="row-actions">
        <LinkButton
          onClick={() => {
            all.forEach((m) => m.reset());
            run(start, {});
          }}
        >
          Start
        </LinkButton>
        <LinkButton onClick={() => open('stop')}>Stop</LinkButton>
        <LinkButton onClick={() => open('reboot')}>Reboot</LinkButton>
        <LinkButton danger onClick={() => open('release')}>
          Release
        </LinkButton>
      </div>
      <ErrorAlert error={error} />
      <ConfirmDialog
        title="Stop instance"
        open={pending === 'stop'}
        onClose={() => setPending(null)}
        confirmLabel="Stop instance"
        busy={stop.isPending}
        onConfirm={() => run(stop, { ForceStop: force || undefined })}
      >
        <p>
          Stop <strong>{label}</strong>? It goes Stopping, then Stopped.
        </p>
        <label className="checkbox">
          <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} /> Force stop (like pulling the power cord)
        </label>
      </ConfirmDialog>
      <ConfirmDialog
        title="Reboot instance"
        open={pending === 'reboot'}
        onClose={() => setPending(null)}
        confirmLabel="Reboot instance"
        busy={reboot.isPending}
        onConfirm={() => run(reboot, { ForceStop: force || undefined })}
      >
        <p>
          Reboot <strong>{label}</strong>? It goes Stopping, Starting, then Running.
        </p>
        <label className="checkbox">
          <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} /> Force reboot
        </label>
      </ConfirmDialog>
      <ConfirmDialog
        title="Release instance"
        open={pending === 'release'}
        onClose={() => setPending(null)}
        confirmLabel="Release instance"
        busy={release.isPending}
        onConfirm={() => run(release, { Force: force || undefined }, onReleased)}
      >
        <p>
          Release <strong>{label}</strong>? This cannot be undone. ENIs created with the instance (DeleteOnRelease) go with it; the others become Available.
        </p>
        <label className="checkbox">
          <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} /> Force release a running instance
        </label>
      </ConfirmDialog>
    </div>
  );
}
