import assert from 'node:assert/strict';
import { test } from 'node:test';
import { images } from '../../src/domain/images.ts';
import { chooseFormat, DISTROS, findDistro } from '../../src/guest/distros.ts';

test('distros: every image in the catalog maps to a known distro', () => {
  for (const image of images) assert.doesNotThrow(() => findDistro(image.distro), image.imageId);
});

test('distros: the formats of the seed families', () => {
  const format = (d: string) => findDistro(d).format;
  for (const d of [
    'alinux:2',
    'alinux:3',
    'centos:6',
    'centos:7',
    'centos:8',
    'rhel:6',
    'rhel:7',
    'rhel:8',
    'rhel:9',
    'anolis:7',
    'anolis:8',
    'fedora:33',
    'fedora:35',
  ]) {
    assert.equal(format(d), 'rhel-ifcfg', d);
  }
  for (const d of ['ubuntu:18.04', 'ubuntu:20.04', 'ubuntu:22.04', 'ubuntu:24.04', 'debian:12']) assert.equal(format(d), 'netplan', d);
  for (const d of ['ubuntu:14.04', 'ubuntu:16.04', 'debian:8', 'debian:9', 'debian:10', 'debian:11']) assert.equal(format(d), 'ifupdown', d);
  for (const d of ['sles:12', 'sles:15', 'opensuse-leap:15', 'opensuse:42']) assert.equal(format(d), 'suse-ifcfg', d);
  for (const d of ['windows:2019', 'windows:2022']) assert.equal(format(d), 'windows-ps1', d);
});

test("distros: restart commands follow the seed's table", () => {
  const restart = (d: string) => chooseFormat(findDistro(d)).restart;
  assert.equal(restart('centos:6'), 'sudo service network restart');
  for (const d of ['alinux:2', 'centos:7', 'rhel:7', 'anolis:7', 'sles:15', 'opensuse-leap:15'])
    assert.match(restart(d), /^sudo service network restart \(or: sudo systemctl restart network\)$/, d);
  for (const d of ['alinux:3', 'centos:8', 'rhel:8', 'anolis:8', 'fedora:35']) assert.match(restart(d), /^sudo systemctl restart NetworkManager/, d);
  for (const d of ['ubuntu:18.04', 'ubuntu:22.04', 'debian:12']) assert.equal(restart(d), 'sudo netplan apply', d);
  for (const d of ['ubuntu:16.04', 'debian:10']) assert.match(restart(d), /^sudo systemctl restart networking/, d);
});

test('distros: a full VERSION_ID falls back to its major version; names are case-insensitive', () => {
  assert.equal(findDistro('rhel:9.2').key, 'rhel:9');
  assert.equal(findDistro('opensuse-leap:15.5').key, 'opensuse-leap:15');
  assert.equal(findDistro('Ubuntu:22.04').key, 'ubuntu:22.04');
});

test('distros: an unknown distro is refused with the list of known ones', () => {
  assert.throws(
    () => findDistro('plan9:4'),
    (err: Error) => err.message.includes('unknown distro "plan9:4"') && err.message.includes('ubuntu:22.04') && err.message.includes('windows:2022'),
  );
  assert.throws(() => findDistro('ubuntu'), /unknown distro/);
  assert.throws(() => findDistro('ubuntu:12.04'), /unknown distro/);
});

test('distros: --format picks another offered format with its own restart command, and refuses the others', () => {
  assert.deepEqual(chooseFormat(findDistro('rhel:9'), 'nm-keyfile'), {
    format: 'nm-keyfile',
    restart: 'sudo systemctl restart NetworkManager (or: sudo reboot)',
  });
  assert.deepEqual(chooseFormat(findDistro('debian:12'), 'ifupdown').format, 'ifupdown');
  assert.equal(chooseFormat(findDistro('ubuntu:22.04'), 'networkd').restart, 'sudo systemctl restart systemd-networkd');
  assert.throws(() => chooseFormat(findDistro('ubuntu:16.04'), 'netplan'), /not offered for ubuntu:16.04 \(its formats: ifupdown\)/);
  assert.throws(() => chooseFormat(findDistro('ubuntu:22.04'), 'yaml'), /unknown format "yaml"/);
});

test('distros: every entry offers its default format, and Windows formats only on Windows', () => {
  for (const d of DISTROS) {
    assert.ok(d.formats[d.format], d.key);
    assert.equal(d.key.startsWith('windows:'), Object.keys(d.formats).includes('windows-ps1'), d.key);
  }
});
