import type { GuestEni, GuestModel } from '../model.ts';
import { ipv6PrefixLengthOf } from '../model.ts';
import { describeEni, header, policyOf, primaryIpv6Gateway, upperMac, type RenderedFile } from './common.ts';

/**
 * Windows Server: a PowerShell script (Windows keeps its network settings in the registry, not
 * in files), idempotent, finding each adapter by MAC. It does what the seed's GUI steps do
 * (static addresses, the secondary IPs added under "Advanced"), with the secondary IPs marked
 * SkipAsSource so the primary address stays the source.
 *
 * DIVERGENCE (docs/divergences.md): Windows has no `ip rule`. Its strong host model (weak host
 * send/receive disabled, the default) already sends a packet only through the interface that
 * owns its source address, so each secondary ENI gets its own default route, with metric
 * 1000 + index so that the primary's stays preferred for traffic with no source chosen.
 */
export const WINDOWS_SCRIPT_PATH = 'ProgramData/eniplane/configure-enis.ps1';

const PRELUDE = `#Requires -RunAsAdministrator
$ErrorActionPreference = 'Stop'

function Get-EniAdapter([string]$Mac) {
    $adapter = Get-NetAdapter -Physical | Where-Object { $_.MacAddress -eq $Mac }
    if (-not $adapter) { throw "no network adapter with MAC $Mac (is the ENI attached and its driver loaded?)" }
    return $adapter
}

function Set-EniAddresses($Adapter, [string]$Primary, [string[]]$Secondary, [int]$PrefixLength) {
    Set-NetIPInterface -InterfaceIndex $Adapter.ifIndex -AddressFamily IPv4 -Dhcp Disabled
    $have = @(Get-NetIPAddress -InterfaceIndex $Adapter.ifIndex -AddressFamily IPv4 -ErrorAction SilentlyContinue | ForEach-Object { $_.IPAddress })
    if ($have -notcontains $Primary) { New-NetIPAddress -InterfaceIndex $Adapter.ifIndex -IPAddress $Primary -PrefixLength $PrefixLength | Out-Null }
    foreach ($ip in $Secondary) {
        if ($have -notcontains $ip) { New-NetIPAddress -InterfaceIndex $Adapter.ifIndex -IPAddress $ip -PrefixLength $PrefixLength -SkipAsSource $true | Out-Null }
    }
}

function Set-EniDefaultRoute($Adapter, [string]$Gateway, [int]$Metric) {
    Get-NetRoute -InterfaceIndex $Adapter.ifIndex -AddressFamily IPv4 -DestinationPrefix '0.0.0.0/0' -ErrorAction SilentlyContinue | Remove-NetRoute -Confirm:$false
    New-NetRoute -InterfaceIndex $Adapter.ifIndex -DestinationPrefix '0.0.0.0/0' -NextHop $Gateway -RouteMetric $Metric | Out-Null
}
`;

const PRELUDE_IPV6 = `
function Set-EniIpv6Addresses($Adapter, [string[]]$Addresses, [int]$PrefixLength) {
    Set-NetIPInterface -InterfaceIndex $Adapter.ifIndex -AddressFamily IPv6 -Dhcp Disabled -RouterDiscovery Disabled
    $have = @(Get-NetIPAddress -InterfaceIndex $Adapter.ifIndex -AddressFamily IPv6 -ErrorAction SilentlyContinue | ForEach-Object { $_.IPAddress })
    for ($i = 0; $i -lt $Addresses.Count; $i++) {
        if ($have -notcontains $Addresses[$i]) { New-NetIPAddress -InterfaceIndex $Adapter.ifIndex -IPAddress $Addresses[$i] -PrefixLength $PrefixLength -SkipAsSource ($i -gt 0) | Out-Null }
    }
}

function Set-EniIpv6DefaultRoute($Adapter, [string]$Gateway, [int]$Metric) {
    Get-NetRoute -InterfaceIndex $Adapter.ifIndex -AddressFamily IPv6 -DestinationPrefix '::/0' -ErrorAction SilentlyContinue | Remove-NetRoute -Confirm:$false
    New-NetRoute -InterfaceIndex $Adapter.ifIndex -DestinationPrefix '::/0' -NextHop $Gateway -RouteMetric $Metric | Out-Null
}
`;

const list = (xs: string[]) => `@(${xs.map((x) => `'${x}'`).join(', ')})`;

function eniBlock(model: GuestModel, eni: GuestEni): string {
  const v = `$${eni.ifname}`;
  const lines = [
    `# ${describeEni(eni)}`,
    `${v} = Get-EniAdapter '${upperMac(eni.mac, '-')}'`,
    `Set-EniAddresses ${v} '${eni.primaryIp}' ${list(eni.secondaryIps)} ${eni.prefixLength}`,
  ];
  if (eni.ipv6s.length) lines.push(`Set-EniIpv6Addresses ${v} ${list(eni.ipv6s)} ${ipv6PrefixLengthOf(eni)}`);
  if (eni.primary) {
    lines.push(`Set-EniDefaultRoute ${v} '${eni.gateway}' 0`);
    const gw6 = primaryIpv6Gateway(eni);
    if (gw6) lines.push(`Set-EniIpv6DefaultRoute ${v} '${gw6}' 0`);
    if (model.nameservers?.length) lines.push(`Set-DnsClientServerAddress -InterfaceIndex ${v}.ifIndex -ServerAddresses ${list(model.nameservers)}`);
  } else {
    const p = policyOf(eni);
    lines.push(
      `# Traffic from ${[eni.primaryIp, ...eni.secondaryIps, ...eni.ipv6s].join(', ')} leaves through ${eni.ifname} (strong host model).`,
      `Set-NetIPInterface -InterfaceIndex ${v}.ifIndex -AddressFamily IPv4 -WeakHostSend Disabled -WeakHostReceive Disabled`,
      `Set-EniDefaultRoute ${v} '${eni.gateway}' ${p.table}`,
    );
    const gw6 = p.routes6.find((r) => r.via)?.via;
    if (gw6) {
      lines.push(
        `Set-NetIPInterface -InterfaceIndex ${v}.ifIndex -AddressFamily IPv6 -WeakHostSend Disabled -WeakHostReceive Disabled`,
        `Set-EniIpv6DefaultRoute ${v} '${gw6}' ${p.table}`,
      );
    }
  }
  return lines.join('\n');
}

export function renderWindowsPs1(model: GuestModel): RenderedFile[] {
  const prelude = model.enis.some((e) => e.ipv6s.length) ? `${PRELUDE}${PRELUDE_IPV6}` : PRELUDE;
  const content = `${header(model)}# Run in an elevated PowerShell: powershell.exe -ExecutionPolicy Bypass -File C:\\ProgramData\\eniplane\\configure-enis.ps1\n${prelude}\n${model.enis.map((e) => eniBlock(model, e)).join('\n\n')}\n`;
  // CRLF: the line ending Windows tools expect.
  return [{ path: WINDOWS_SCRIPT_PATH, content: content.replace(/\n/g, '\r\n'), mode: 0o644 }];
}
