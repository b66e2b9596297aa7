import type { GuestModel } from '../../src/guest/model.ts';

/**
 * The golden-file instance: a primary ENI and one secondary ENI in the same vSwitch (the seed's
 * attach rule), each with two secondary private IPs, as metadata would describe it.
 */
export const TWO_ENI_MODEL: GuestModel = {
  instanceId: 'i-bp1golden000000000001',
  regionId: 'cn-hangzhou',
  zoneId: 'cn-hangzhou-k',
  imageId: 'ubuntu_22_04_x64_20G_alibase_20240926.vhd',
  nameservers: ['100.100.2.136', '100.100.2.138'],
  enis: [
    {
      mac: '00:16:3e:0a:00:01',
      eniId: 'eni-bp1golden0000000001',
      primary: true,
      index: 0,
      ifname: 'eth0',
      primaryIp: '192.168.1.10',
      secondaryIps: ['192.168.1.11', '192.168.1.12'],
      netmask: '255.255.255.0',
      prefixLength: 24,
      gateway: '192.168.1.253',
      vswitchId: 'vsw-bp1golden000000001',
      vswitchCidr: '192.168.1.0/24',
      vpcId: 'vpc-bp1golden000000001',
      vpcCidr: '192.168.0.0/16',
      ipv6s: [],
      vpcIpv6Cidrs: [],
      ipv4Prefixes: [],
      ipv6Prefixes: [],
    },
    {
      mac: '00:16:3e:0a:00:02',
      eniId: 'eni-bp1golden0000000002',
      primary: false,
      index: 1,
      ifname: 'eth1',
      primaryIp: '192.168.1.20',
      secondaryIps: ['192.168.1.21', '192.168.1.22'],
      netmask: '255.255.255.0',
      prefixLength: 24,
      gateway: '192.168.1.253',
      vswitchId: 'vsw-bp1golden000000001',
      vswitchCidr: '192.168.1.0/24',
      vpcId: 'vpc-bp1golden000000001',
      vpcCidr: '192.168.0.0/16',
      ipv6s: [],
      vpcIpv6Cidrs: [],
      ipv4Prefixes: [],
      ipv6Prefixes: [],
    },
  ],
};

const V6_GATEWAY = '2408:4005:3a2:c704:ffff:ffff:ffff:fff7';
const V6_VSWITCH = '2408:4005:3a2:c704::/64';

/**
 * The dual-stack golden instance: the same two ENIs in a vSwitch with an IPv6 /64, the primary ENI
 * with one IPv6 address, the secondary with two, an IPv4 /28 prefix and an IPv6 /80 prefix
 * (Terway's dual-stack prefix mode), as metadata would describe them.
 */
export const DUAL_STACK_MODEL: GuestModel = {
  ...TWO_ENI_MODEL,
  instanceId: 'i-bp1golden000000000006',
  enis: [
    {
      ...TWO_ENI_MODEL.enis[0]!,
      ipv6s: ['2408:4005:3a2:c704::10'],
      ipv6Gateway: V6_GATEWAY,
      vswitchIpv6Cidr: V6_VSWITCH,
      vpcIpv6Cidrs: ['2408:4005:3a2:c700::/56'],
    },
    {
      ...TWO_ENI_MODEL.enis[1]!,
      ipv6s: ['2408:4005:3a2:c704::20', '2408:4005:3a2:c704::21'],
      ipv6Gateway: V6_GATEWAY,
      vswitchIpv6Cidr: V6_VSWITCH,
      vpcIpv6Cidrs: ['2408:4005:3a2:c700::/56'],
      ipv4Prefixes: ['192.168.1.32/28'],
      ipv6Prefixes: ['2408:4005:3a2:c704:1a2b::/80'],
    },
  ],
};
