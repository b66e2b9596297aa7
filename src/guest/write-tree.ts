import { chmodSync, lstatSync, mkdirSync, renameSync, rmdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { RenderedFile } from './render/index.ts';

/**
 * Writes a rendering under `root` so that a failure leaves `root` as it was: every file goes to
 * a temporary name first (and the directories made for them are remembered); only when all are
 * written are they renamed into place. A rename within one directory is atomic, so a reader
 * (NetworkManager, netplan) never sees half a file. `obsolete` files (relative paths an earlier
 * run wrote) are removed after the renames.
 */
export function writeTreeAtomically(root: string, files: readonly RenderedFile[], obsolete: readonly string[] = []): { written: string[]; removed: string[] } {
  const top = resolve(root);
  const targets = files.map((f) => {
    const abs = resolve(join(top, f.path));
    const rel = relative(top, abs);
    if (rel === '' || rel.startsWith('..') || rel.startsWith(sep)) throw new Error(`refusing to write ${f.path} outside ${top}`);
    return { file: f, abs, tmp: `${abs}.eniplane-tmp-${process.pid}` };
  });
  for (const t of targets) {
    const existing = statOrUndefined(t.abs);
    if (existing?.isDirectory()) throw new Error(`cannot write ${t.abs}: it is a directory`);
  }
  const madeDirs: string[] = [];
  const written: string[] = [];
  try {
    for (const t of targets) {
      makeDirs(dirname(t.abs), madeDirs);
      writeFileSync(t.tmp, t.file.content, { mode: t.file.mode });
      written.push(t.tmp);
      // writeFileSync's mode is filtered by the umask; keyfiles must be exactly 0600.
      chmodSync(t.tmp, t.file.mode);
    }
  } catch (err) {
    for (const tmp of written) unlinkSync(tmp);
    for (const dir of madeDirs.reverse()) rmdirSync(dir);
    throw new Error(`writing under ${top} failed, nothing was changed: ${(err as Error).message}`, { cause: err });
  }
  for (const t of targets) renameSync(t.tmp, t.abs);
  // Last, once the new configuration is in place: files an earlier run wrote and this one did not.
  const removed: string[] = [];
  const keep = new Set(targets.map((t) => t.abs));
  for (const rel of obsolete) {
    const abs = resolve(join(top, rel));
    if (keep.has(abs) || relative(top, abs).startsWith('..')) continue;
    try {
      unlinkSync(abs);
      removed.push(abs);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot remove the stale ${abs}: ${(err as Error).message}`, { cause: err });
    }
  }
  return { written: targets.map((t) => t.abs), removed };
}

function statOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/** mkdir -p that records each directory it creates, outermost first. */
function makeDirs(dir: string, made: string[]): void {
  const st = statOrUndefined(dir);
  if (st) {
    if (!statSync(dir).isDirectory()) throw new Error(`${dir} is not a directory`);
    return;
  }
  makeDirs(dirname(dir), made);
  mkdirSync(dir);
  made.push(dir);
}
