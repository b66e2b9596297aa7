import type { GuestFormat } from '../distros.ts';
import type { GuestModel } from '../model.ts';
import { checkModel, type RenderedFile, type Renderer } from './common.ts';
import { renderIfupdown } from './ifupdown.ts';
import { renderNetplan } from './netplan.ts';
import { renderNetworkd } from './networkd.ts';
import { renderNmKeyfile } from './nm-keyfile.ts';
import { renderRhelIfcfg } from './rhel-ifcfg.ts';
import { renderSuseIfcfg } from './suse-ifcfg.ts';
import { renderWindowsPs1 } from './windows-ps1.ts';

export type { RenderedFile } from './common.ts';

export const RENDERERS: Record<GuestFormat, Renderer> = {
  'rhel-ifcfg': renderRhelIfcfg,
  ifupdown: renderIfupdown,
  netplan: renderNetplan,
  'suse-ifcfg': renderSuseIfcfg,
  'nm-keyfile': renderNmKeyfile,
  networkd: renderNetworkd,
  'windows-ps1': renderWindowsPs1,
};

/** Pure: the model in one format, after checking it is consistent; files sorted by path. */
export function renderGuest(model: GuestModel, format: GuestFormat): RenderedFile[] {
  checkModel(model);
  const files = RENDERERS[format](model);
  const paths = new Set<string>();
  for (const f of files) {
    if (f.path.startsWith('/') || f.path.split('/').includes('..')) throw new Error(`renderer ${format} produced an unsafe path ${f.path}`);
    if (paths.has(f.path)) throw new Error(`renderer ${format} produced ${f.path} twice`);
    paths.add(f.path);
  }
  return [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
