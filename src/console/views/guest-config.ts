import type { FastifyInstance } from 'fastify';
import { findRegion } from '../../domain/regions.ts';
import { ApiError } from '../../errors/api-error.ts';
import { CommonErrors } from '../../errors/common.ts';
import { EniErrors } from '../../errors/ecs/enis.ts';
import { chooseFormat, distroOf, DISTROS, findDistro, type DistroSpec } from '../../guest/distros.ts';
import { readGuestModelFrom, type MetadataSource } from '../../guest/metadata-client.ts';
import { renderGuest } from '../../guest/render/index.ts';
import { buildVersionTree } from '../../metadata/build-tree.ts';
import { findMetadataInstance, loadMetadataInstance } from '../../metadata/load-instance.ts';
import { render, walk } from '../../metadata/tree.ts';
import { ConsoleErrors } from '../sessions.ts';
import type { ViewOptions } from './index.ts';

/**
 * `POST /console/api/views/guest-config {InstanceId, RegionId, Distro?, Format?}`: what
 * `eniplane guest render` writes for the instance, for its image's distro or the one chosen. The
 * metadata tree the metadata service would serve the instance now is built in-process and read
 * by the CLI's own crawl (guest/metadata-client.ts readGuestModelFrom), then rendered by the
 * CLI's renderers: the files are the ones the CLI would write, byte for byte.
 */

export interface GuestConfigFile {
  /** Where the file goes on the guest (`/etc/...`, or `C:\...` on Windows). */
  Path: string;
  /** The path under `guest render --root`. */
  RelativePath: string;
  Content: string;
  Mode: string;
}

export interface GuestConfig {
  InstanceId: string;
  ImageId: string;
  /** The distro of the instance's image ('' when the image is not in the catalog). */
  ImageDistro: string;
  /** The distro and format rendered ('' and no files when the image names no known distro and none was chosen). */
  Distro: string;
  Format: string;
  Formats: string[];
  Restart: string;
  EniCount: number;
  Files: GuestConfigFile[];
  /** Every distro the renderer knows, with its formats (the default first). */
  Distros: { Distro: string; Formats: string[] }[];
  /** Why nothing was rendered (an image outside the catalog and no distro chosen). */
  Problem?: string;
}

function pathOnGuest(relative: string, format: string): string {
  return format === 'windows-ps1' ? `C:\\${relative.replace(/\//g, '\\')}` : `/${relative}`;
}

const refused = (err: unknown) => new ApiError(400, 'Console.InvalidGuestConfiguration', (err as Error).message);

export function registerGuestConfig(app: FastifyInstance, opts: ViewOptions): void {
  const { deps } = opts;
  app.post('/views/guest-config', async (request): Promise<GuestConfig> => {
    const session = await opts.guarded(request);
    const body = (request.body ?? {}) as { InstanceId?: unknown; RegionId?: unknown; Distro?: unknown; Format?: unknown };
    if (typeof body.InstanceId !== 'string' || body.InstanceId === '') throw ConsoleErrors.badRequest('InstanceId is missing.');
    const regionId = typeof body.RegionId === 'string' && body.RegionId !== '' ? body.RegionId : deps.config.defaultRegion;
    if (!findRegion(regionId)) throw CommonErrors.invalidRegionId(regionId);
    const distroName = typeof body.Distro === 'string' && body.Distro !== '' ? body.Distro : undefined;
    const formatName = typeof body.Format === 'string' && body.Format !== '' ? body.Format : undefined;

    // Refused before anything is read, as the CLI refuses a bad --distro/--format first.
    let named: DistroSpec | undefined;
    try {
      named = distroName === undefined ? undefined : findDistro(distroName);
      if (named) chooseFormat(named, formatName);
    } catch (err) {
      throw refused(err);
    }

    const now = deps.clock.now();
    const inst = await findMetadataInstance(deps.store, body.InstanceId, now);
    if (!inst || inst.accountId !== session.accountId || inst.regionId !== regionId) throw EniErrors.ecsNotFound(body.InstanceId);
    const tree = buildVersionTree(await loadMetadataInstance(deps.store, inst, now));
    const source: MetadataSource = {
      where: 'the in-process metadata tree',
      async get(path) {
        const node = walk(tree, path.split('/'));
        return node ? { status: 200, text: render(node) } : { status: 404, text: '' };
      },
    };
    const { model } = await readGuestModelFrom(source, inst.id, { hotplugDeadlineMs: 0 });
    const image = model.imageId
      ? (() => {
          try {
            return distroOf(model, undefined).key;
          } catch {
            return '';
          }
        })()
      : '';
    const answer: Omit<GuestConfig, 'Distro' | 'Format' | 'Formats' | 'Restart' | 'Files'> = {
      InstanceId: inst.id,
      ImageId: model.imageId ?? '',
      ImageDistro: image,
      EniCount: model.enis.length,
      Distros: DISTROS.map((d) => ({ Distro: d.key, Formats: Object.keys(d.formats) })),
    };
    let spec: DistroSpec;
    try {
      spec = distroOf(model, named);
    } catch (err) {
      return { ...answer, Distro: '', Format: '', Formats: [], Restart: '', Files: [], Problem: (err as Error).message };
    }
    let chosen: ReturnType<typeof chooseFormat>;
    try {
      chosen = chooseFormat(spec, formatName);
    } catch (err) {
      throw refused(err);
    }
    const files = renderGuest(model, chosen.format).map((f) => ({
      Path: pathOnGuest(f.path, chosen.format),
      RelativePath: f.path,
      Content: f.content,
      Mode: `0${f.mode.toString(8)}`,
    }));
    return { ...answer, Distro: spec.key, Format: chosen.format, Formats: Object.keys(spec.formats), Restart: chosen.restart, Files: files };
  });
}
