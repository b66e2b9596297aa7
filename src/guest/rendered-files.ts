import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The files the last `guest render` wrote under a root, so that the next one can remove those it
 * no longer writes (a detached ENI's ifcfg-eth2, the files of a format no longer chosen) and
 * nothing else: a file eniplane did not write is never deleted.
 */
export const RENDERED_FILES = 'var/lib/eniplane-guest/rendered-files.json';

export function loadRenderedFiles(root: string): string[] {
  const path = join(root, RENDERED_FILES);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new Error(`cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
  const doc = (() => {
    try {
      return JSON.parse(text) as { files?: unknown };
    } catch {
      return undefined;
    }
  })();
  const files = doc?.files;
  if (!Array.isArray(files) || files.some((f) => typeof f !== 'string' || f.startsWith('/') || f.split('/').includes('..'))) {
    throw new Error(`${path} is not a list of relative paths; remove it (stale files of earlier renders are then left alone)`);
  }
  return files as string[];
}

export function serializeRenderedFiles(paths: readonly string[]): string {
  return `${JSON.stringify({ version: 1, files: [...paths].sort() }, null, 2)}\n`;
}
