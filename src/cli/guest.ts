import type { Command } from 'commander';
import { join } from 'node:path';
import { chooseFormat, distroOf, findDistro, GUEST_FORMATS } from '../guest/distros.ts';
import { loadIndexState, RENDER_INDEX_STATE, serializeIndexState } from '../guest/index-state.ts';
import { readGuestModel, type TokenMode } from '../guest/metadata-client.ts';
import { renderGuest } from '../guest/render/index.ts';
import { loadRenderedFiles, RENDERED_FILES, serializeRenderedFiles } from '../guest/rendered-files.ts';
import { writeTreeAtomically } from '../guest/write-tree.ts';
import { registerGuestApply } from './guest-apply.ts';

interface RenderOptions {
  instance: string;
  metadata: string;
  root: string;
  distro?: string;
  format?: string;
  metadataToken: string;
  wait: string;
}

const TOKEN_MODES: readonly TokenMode[] = ['auto', 'required', 'off'];

async function render(opts: RenderOptions): Promise<void> {
  if (!(TOKEN_MODES as readonly string[]).includes(opts.metadataToken)) throw new Error(`--metadata-token must be one of ${TOKEN_MODES.join(', ')}`);
  const wait = Number(opts.wait);
  if (!Number.isFinite(wait) || wait < 0) throw new Error(`--wait must be a number of seconds, not "${opts.wait}"`);
  // Everything that can be refused without the network is refused first.
  const named = opts.distro === undefined ? undefined : findDistro(opts.distro);
  if (named) chooseFormat(named, opts.format);
  const statePath = join(opts.root, RENDER_INDEX_STATE);
  const previousIndexes = loadIndexState(statePath);
  const previousFiles = loadRenderedFiles(opts.root);

  const { model, indexes } = await readGuestModel(opts.metadata, opts.instance, {
    token: opts.metadataToken as TokenMode,
    hotplugDeadlineMs: wait * 1000,
    previousIndexes,
    onRetry: (reason) => console.error(`eniplane guest render: retrying: ${reason}`),
  });
  const spec = distroOf(model, named);
  const { format, restart } = chooseFormat(spec, opts.format);
  const rendered = renderGuest(model, format);
  const files = [
    ...rendered,
    { path: RENDER_INDEX_STATE, content: serializeIndexState(indexes), mode: 0o644 },
    { path: RENDERED_FILES, content: serializeRenderedFiles(rendered.map((f) => f.path)), mode: 0o644 },
  ];
  const { written, removed } = writeTreeAtomically(opts.root, files, previousFiles);

  console.log(`${model.instanceId}: ${model.enis.length} ENI(s), ${spec.key}, format ${format}`);
  for (const path of written) console.log(`wrote ${path}`);
  for (const path of removed) console.log(`removed ${path} (written by an earlier render, no longer part of the configuration)`);
  console.log(`restart: ${restart}`);
}

export function registerGuest(program: Command): void {
  const guest = program.command('guest').description('guest OS network configuration, read from the metadata service');
  guest
    .command('render')
    .description('write the network configuration files of an instance under a root directory')
    .requiredOption('--instance <id>', 'instance ID (sent as X-Eniplane-Instance-Id)')
    .requiredOption('--metadata <url>', 'metadata service base URL, e.g. http://100.100.100.200')
    .requiredOption('--root <dir>', "directory standing for the guest's / (files go to DIR/etc/...)")
    .option('--distro <id:version>', "guest OS as os-release ID:VERSION_ID (default: from the instance's image)")
    .option('--format <format>', `output format, when the distro offers several: ${GUEST_FORMATS.join(', ')}`)
    .option('--metadata-token <mode>', 'metadata token mode: auto, required, off', 'auto')
    .option('--wait <seconds>', "how long to wait for a hot-plugged ENI's metadata", '30')
    .action(render);
  registerGuestApply(guest);
}
