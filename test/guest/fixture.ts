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
    },
  ],
};
