import type { ServiceContext } from './context.ts';
import { InstanceErrors } from '../errors/ecs/instances.ts';
import { eipsBoundTo } from '../store/repos/eips.ts';
import { updateInstance } from '../store/repos/instances.ts';
import { claimPublicAddress } from '../store/repos/public-addresses.ts';
import { drawPublicAddress } from './eips.ts';
import { requireInstance } from './instances.ts';

/**
 * An instance's public IP ("fixed public IP"): RunInstances gives one when InternetMaxBandwidthOut
 * is above 0; CreateInstance does not, AllocatePublicIpAddress does later. It comes from the same
 * pool as EIPs (serve --eip-pool) and is never an EIP's address (public_addresses' key). It goes
 * with the instance (DeleteInstance).
 */
export async function givePublicIp(ctx: ServiceContext, instanceId: string): Promise<string> {
  const address = await drawPublicAddress(ctx);
  await claimPublicAddress(ctx.tx, address, 'instance', instanceId);
  await updateInstance(ctx.tx, instanceId, { publicIp: address });
  return address;
}

/** AllocatePublicIpAddress: Running or Stopped, bandwidth above 0, no public IP and no EIP yet. */
export async function allocatePublicIp(ctx: ServiceContext, instanceId: string): Promise<string> {
  const inst = await requireInstance(ctx, instanceId, true, true);
  ctx = { ...ctx, regionId: inst.regionId };
  if (inst.effective !== 'Running' && inst.effective !== 'Stopped') throw InstanceErrors.incorrectStatus(inst.effective);
  if (inst.publicIp) throw InstanceErrors.publicIpAllocated();
  if (!((inst.attributes.InternetMaxBandwidthOut ?? 0) > 0)) throw InstanceErrors.publicIpNeedsBandwidth();
  if ((await eipsBoundTo(ctx.tx, [inst.id], ctx.now)).length > 0) throw InstanceErrors.publicIpWithEip();
  return givePublicIp(ctx, inst.id);
}
