import { Type } from '@sinclair/typebox';
import { VpcErrors } from '../../errors/vpc/vpcs.ts';
import { describeVpcs } from '../../services/vpcs.ts';
import { defineAction } from '../define-action.ts';
import { DryRun, RegionId } from '../params.ts';
import { B, N, Obj, S, Wrap } from '../schema-helpers.ts';
import { VpcItem, vpcItem } from './views.ts';

/** DescribeVpcsResponseBody's VPC fields, minus the two lists DescribeVpcAttribute does not carry. */
const { RouterTableIds: _routerTableIds, NatGatewayIds: _natGatewayIds, ...vpcFields } = VpcItem.properties;

/**
 * One VPC, its fields at the top level (VPC-SDK DescribeVpcAttributeResponseBody). The Terraform
 * provider waits on `Status` after CreateVpc and DeleteVpc and reads the VPC with this action;
 * it treats an HTTP 404 as "gone".
 */
export const describeVpcAttribute = defineAction({
  product: 'Vpc',
  name: 'DescribeVpcAttribute',
  summary: 'One VPC with its vSwitch IDs, tags and attribute flags, fields at the top level; IsDefault narrows to the default VPC.',
  readOnly: true,
  params: Type.Object({ RegionId, VpcId: Type.String(), IsDefault: Type.Optional(Type.Boolean()), DryRun }),
  result: Obj({
    ...vpcFields,
    ClassicLinkEnabled: B,
    SupportIpv4Gateway: B,
    Ipv4GatewayId: S,
    CloudResources: Wrap('CloudResourceSetType', Obj({ ResourceCount: N, ResourceType: S })),
    AssociatedCens: Wrap('AssociatedCen', Obj({ CenId: S, CenOwnerId: N, CenStatus: S })),
    AssociatedPropagationSources: Wrap(
      'AssociatedPropagationSources',
      Obj({ RoutePropagated: B, SourceInstanceId: S, SourceOwnerId: N, SourceType: S, Status: S }),
    ),
  }),
  errors: [VpcErrors.vpcNotFound],
  async handler(p, ctx) {
    const { views } = await describeVpcs(ctx, { ids: [p.VpcId], isDefault: p.IsDefault }, { offset: 0, limit: 1 });
    const view = views[0];
    if (!view) throw VpcErrors.vpcNotFound();
    const { RouterTableIds: _r, NatGatewayIds: _n, ...item } = vpcItem(view);
    return {
      ...item,
      ClassicLinkEnabled: false,
      SupportIpv4Gateway: false,
      Ipv4GatewayId: '',
      // The cloud counts the VPC's resources by type here; vSwitches are the ones eniplane holds
      // in a VPC besides instances and ENIs, which the cloud reports on their own pages.
      CloudResources: { CloudResourceSetType: view.vswitchIds.length > 0 ? [{ ResourceType: 'VSwitch', ResourceCount: view.vswitchIds.length }] : [] },
      AssociatedCens: { AssociatedCen: [] },
      AssociatedPropagationSources: { AssociatedPropagationSources: [] },
    };
  },
});
