/**
 * Which configuration format each guest OS gets, and the command that makes it take effect.
 * Data, from the seed "Create and use an ENI" (per-family file examples and its restart-command
 * table) and os-config.md; the reasoning is in docs/decisions/0003-guest-config.md.
 *
 * A distro is named as os-release `ID:VERSION_ID` (the `distro` field of src/catalog/images.json).
 */

import { findImage } from '../domain/images.ts';
import type { GuestModel } from './model.ts';

export const GUEST_FORMATS = ['rhel-ifcfg', 'ifupdown', 'netplan', 'suse-ifcfg', 'nm-keyfile', 'networkd', 'windows-ps1'] as const;
export type GuestFormat = (typeof GUEST_FORMATS)[number];

export interface DistroSpec {
  /** `ID:VERSION_ID`, e.g. `ubuntu:22.04`, `rhel:9`. */
  key: string;
  /** The format written when `--format` is not given. */
  format: GuestFormat;
  /** Every format offered for this distro (the default first) -> the command that applies it. */
  formats: Partial<Record<GuestFormat, string>>;
}

// The seeds' restart table, verbatim where it has a row.
const NETWORK = 'sudo service network restart (or: sudo systemctl restart network)';
const NETWORK_SYSV = 'sudo service network restart';
const NETWORK_MANAGER = 'sudo systemctl restart NetworkManager (or: sudo reboot)';
const NETPLAN = 'sudo netplan apply';
const NETWORKING = 'sudo systemctl restart networking (or: sudo reboot)';
// Not in the seeds: the formats we offer beyond them.
const NETWORKD = 'sudo systemctl restart systemd-networkd';
const WINDOWS = 'powershell.exe -ExecutionPolicy Bypass -File C:\\ProgramData\\eniplane\\configure-enis.ps1 (in an elevated prompt)';

function distro(key: string, formats: Partial<Record<GuestFormat, string>>): DistroSpec {
  return { key, format: Object.keys(formats)[0] as GuestFormat, formats };
}

const many = (id: string, versions: string[], formats: Partial<Record<GuestFormat, string>>) => versions.map((v) => distro(`${id}:${v}`, formats));

export const DISTROS: readonly DistroSpec[] = [
  // RHEL family: ifcfg-ethN (seed: "Alibaba Cloud Linux 2/3, CentOS 6/7/8, Red Hat 6/7/8/9,
  // Anolis 7/8, Fedora 33/34/35"). On the NetworkManager releases its ifcfg-rh plugin reads them,
  // and the restart command is NetworkManager's; keyfiles are offered there too.
  distro('alinux:2', { 'rhel-ifcfg': NETWORK }),
  distro('alinux:3', { 'rhel-ifcfg': NETWORK_MANAGER, 'nm-keyfile': NETWORK_MANAGER }),
  distro('centos:6', { 'rhel-ifcfg': NETWORK_SYSV }),
  distro('centos:7', { 'rhel-ifcfg': NETWORK }),
  distro('centos:8', { 'rhel-ifcfg': NETWORK_MANAGER, 'nm-keyfile': NETWORK_MANAGER }),
  distro('rhel:6', { 'rhel-ifcfg': NETWORK_SYSV }),
  distro('rhel:7', { 'rhel-ifcfg': NETWORK }),
  distro('rhel:8', { 'rhel-ifcfg': NETWORK_MANAGER, 'nm-keyfile': NETWORK_MANAGER }),
  // Not in the restart table; RHEL 9 has NetworkManager only, like RHEL 8.
  distro('rhel:9', { 'rhel-ifcfg': NETWORK_MANAGER, 'nm-keyfile': NETWORK_MANAGER }),
  distro('anolis:7', { 'rhel-ifcfg': NETWORK }),
  distro('anolis:8', { 'rhel-ifcfg': NETWORK_MANAGER, 'nm-keyfile': NETWORK_MANAGER }),
  ...many('fedora', ['33', '34', '35'], { 'rhel-ifcfg': NETWORK_MANAGER, 'nm-keyfile': NETWORK_MANAGER, networkd: NETWORKD }),
  // Past the seed's list: keyfiles, NetworkManager's own format (newer Fedoras no longer install
  // the ifcfg-rh plugin by default).
  ...many('fedora', ['36', '37', '38', '39', '40'], { 'nm-keyfile': NETWORK_MANAGER, 'rhel-ifcfg': NETWORK_MANAGER, networkd: NETWORKD }),
  // Debian family. The seed's table puts Debian 12 with netplan (its file examples list Debian
  // among the /etc/network/interfaces systems): the table wins, ifupdown stays selectable.
  ...many('ubuntu', ['14.04', '16.04'], { ifupdown: NETWORKING }),
  ...many('ubuntu', ['18.04', '20.04', '22.04', '24.04'], { netplan: NETPLAN, networkd: NETWORKD }),
  ...many('debian', ['8', '9'], { ifupdown: NETWORKING }),
  ...many('debian', ['10', '11'], { ifupdown: NETWORKING, networkd: NETWORKD }),
  distro('debian:12', { netplan: NETPLAN, ifupdown: NETWORKING, networkd: NETWORKD }),
  // SUSE: wicked reads ifcfg-/ifroute-/ifrule- files. SLES 11 (no wicked) is left out: it
  // cannot read the policy rules.
  ...many('sles', ['12', '15'], { 'suse-ifcfg': NETWORK }),
  distro('opensuse-leap:15', { 'suse-ifcfg': NETWORK }),
  // Leap 42.x called itself ID=opensuse.
  distro('opensuse:42', { 'suse-ifcfg': NETWORK }),
  ...many('windows', ['2012', '2016', '2019', '2022'], { 'windows-ps1': WINDOWS }),
];

const byKey = new Map(DISTROS.map((d) => [d.key, d]));

/**
 * `ID:VERSION_ID` -> its spec. A full VERSION_ID such as `rhel:9.2` or `opensuse-leap:15.5`
 * falls back to its major version. Unknown -> an error listing the known ones.
 */
export function findDistro(name: string): DistroSpec {
  const key = name.trim().toLowerCase();
  const m = /^([a-z0-9._-]+):([a-z0-9._-]+)$/.exec(key);
  if (m) {
    const exact = byKey.get(key) ?? byKey.get(`${m[1]}:${m[2]!.split('.')[0]}`);
    if (exact) return exact;
  }
  throw new Error(`unknown distro "${name}" (expected os-release ID:VERSION_ID); known: ${DISTROS.map((d) => d.key).join(', ')}`);
}

/** The format to write (the override, when offered for this distro) and its restart command. */
export function chooseFormat(spec: DistroSpec, override?: string): { format: GuestFormat; restart: string } {
  const offered = Object.keys(spec.formats) as GuestFormat[];
  if (override === undefined) return { format: spec.format, restart: spec.formats[spec.format]! };
  if (!(GUEST_FORMATS as readonly string[]).includes(override)) {
    throw new Error(`unknown format "${override}"; formats: ${GUEST_FORMATS.join(', ')}`);
  }
  const restart = spec.formats[override as GuestFormat];
  if (restart === undefined) throw new Error(`format ${override} is not offered for ${spec.key} (its formats: ${offered.join(', ')})`);
  return { format: override as GuestFormat, restart };
}

/**
 * `--distro` (`named`), or else the distro of the instance's image (meta-data/image-id in the
 * image catalog): what `eniplane guest render` and the console's OS configuration tab both write for.
 */
export function distroOf(model: Pick<GuestModel, 'instanceId' | 'imageId'>, named: DistroSpec | undefined): DistroSpec {
  if (named) return named;
  if (!model.imageId) throw new Error(`the metadata of ${model.instanceId} gives no image-id; name the OS with --distro ID:VERSION`);
  const image = findImage(model.imageId);
  if (!image) throw new Error(`image ${model.imageId} of ${model.instanceId} is not in eniplane's image catalog; name the OS with --distro ID:VERSION`);
  return findDistro(image.distro);
}
