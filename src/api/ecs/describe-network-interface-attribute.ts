import { Type } from '@sinclair/typebox';
import { CommonErrors } from '../../errors/common.ts';
import { EniErrors } from '../../errors/ecs/enis.ts';
import { describeEnis, membersOf } from '../../services/enis.ts';
import { defineAction } from '../define-action.ts';
import { RegionId } from '../params.ts';
import { N, Obj, S, Wrap } from '../schema-helpers.ts';
import { EniFields, eniItem } from './eni-views.ts';

/**
 * `Attribute` selects what comes with the ENI's fields. Empty and `basic` (what Terway sends on
 * its fast path, pkg/aliyun/client/ecs_attribute.go, reading the ENI's status, addresses, groups,
 * tags and attachment) answer the fields DescribeNetworkInterfaces lists, plus the traffic
 * settings. `connectionTrackingConfiguration` adds the ConnectionTrackingConfiguration block;
 * `attachment` adds the trunk members of the attachment: a trunk ENI's attached members (Attaching,
 * InUse or Detaching) by VLAN ID, none for any other ENI (ECS-SDK
 * DescribeNetworkInterfaceAttributeRequest.Attribute).
 */
const ATTRIBUTES = ['basic', 'attachment', 'connectionTrackingConfiguration'] as const;

/**
 * DIVERGENCE: eniplane does not model connection tracking settings (the create and modify
 * parameters are refused), so every ENI shows the cloud's defaults (CreateNetworkInterface:
 * TcpEstablishedTimeout 910, TcpClosedAndTimeWaitTimeout 3, UdpTimeout 30).
 */
const DEFAULT_CONNECTION_TRACKING = { TcpEstablishedTimeout: 910, TcpClosedAndTimeWaitTimeout: 3, UdpTimeout: 30 };

const Attachment = Obj({
  InstanceId: S,
  DeviceIndex: N,
  NetworkCardIndex: N,
  TrunkNetworkInterfaceId: S,
  MemberNetworkInterfaceIds: Type.Optional(Wrap('MemberNetworkInterfaceId', S)),
});

export const describeNetworkInterfaceAttribute = defineAction({
  product: 'Ecs',
  name: 'DescribeNetworkInterfaceAttribute',
  summary: 'One ENI, its fields at the top level of the response, with its traffic settings; Attribute basic, attachment or connectionTrackingConfiguration.',
  readOnly: true,
  params: Type.Object({ RegionId, NetworkInterfaceId: Type.String(), Attribute: Type.Optional(Type.String()) }),
  result: Obj({
    ...EniFields,
    Attachment,
    NetworkInterfaceTrafficConfig: Obj({ NetworkInterfaceTrafficMode: S, QueueNumber: N, QueuePairNumber: N }),
    ConnectionTrackingConfiguration: Type.Optional(Obj({ TcpEstablishedTimeout: N, TcpClosedAndTimeWaitTimeout: N, UdpTimeout: N })),
  }),
  errors: [EniErrors.eniNotFound, CommonErrors.invalidParameter],
  async handler(p, ctx) {
    const attribute = p.Attribute ?? '';
    if (attribute !== '' && !(ATTRIBUTES as readonly string[]).includes(attribute)) {
      throw CommonErrors.invalidParameter('Attribute', `Valid values: ${ATTRIBUTES.join(', ')}.`);
    }
    const page = await describeEnis(ctx, { ids: [p.NetworkInterfaceId] }, { style: 'page', limit: 1, offset: 0 });
    const item = page.items[0];
    if (!item) throw EniErrors.eniNotFound(p.NetworkInterfaceId);
    const eni = eniItem(item.details, item.eips, item.tags);
    const members = attribute === 'attachment' ? ((await membersOf(ctx, [item.details.eni])).get(item.details.eni.id) ?? []) : [];
    return {
      ...eni,
      Attachment: attribute === 'attachment' ? { ...eni.Attachment, MemberNetworkInterfaceIds: { MemberNetworkInterfaceId: members } } : eni.Attachment,
      NetworkInterfaceTrafficConfig: {
        NetworkInterfaceTrafficMode: eni.NetworkInterfaceTrafficMode,
        QueueNumber: eni.QueueNumber,
        QueuePairNumber: eni.QueuePairNumber,
      },
      ...(attribute === 'connectionTrackingConfiguration' && { ConnectionTrackingConfiguration: DEFAULT_CONNECTION_TRACKING }),
    };
  },
});
