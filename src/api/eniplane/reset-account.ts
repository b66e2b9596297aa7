import { Type } from '@sinclair/typebox';
import { resetAccount as reset } from '../../services/reset.ts';
import { defineAction } from '../define-action.ts';
import { N, Obj } from '../schema-helpers.ts';

/**
 * eniplane's own: removes every resource of the caller's account, in every region, in one
 * transaction (what moto's reset does for a test suite). The account, its AccessKeys and its
 * default resource group stay, so the next test starts from a fresh account with the same keys.
 * Only the caller's account: `eniplane reset --all` on the store resets every account
 * (docs/decisions/0010-faults-and-reset.md says why the API has no such switch).
 */
export const resetAccount = defineAction({
  product: 'Eniplane',
  name: 'ResetAccount',
  summary:
    "Remove every resource of the caller's account in one transaction (instances, ENIs, EIPs, VPCs, vSwitches, security groups, tags, resource groups, ClientTokens, fault rules); the account and its keys stay.",
  params: Type.Object({}),
  result: Obj({
    Removed: Obj({
      Instances: N,
      NetworkInterfaces: N,
      EipAddresses: N,
      Vpcs: N,
      VSwitches: N,
      SecurityGroups: N,
      Tags: N,
      ResourceGroups: N,
      ClientTokens: N,
      Faults: N,
    }),
  }),
  errors: [],
  async handler(_p, ctx) {
    const n = await reset(ctx);
    return {
      Removed: {
        Instances: n.instances,
        NetworkInterfaces: n.networkInterfaces,
        EipAddresses: n.eips,
        Vpcs: n.vpcs,
        VSwitches: n.vswitches,
        SecurityGroups: n.securityGroups,
        Tags: n.tags,
        ResourceGroups: n.resourceGroups,
        ClientTokens: n.clientTokens,
        Faults: n.faults,
      },
    };
  },
});
