import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One server per SQLite data directory. The lock file holds the owner's pid; a lock left by a
 * process that no longer exists is taken over. CLI commands (accounts, db status) don't lock.
 */
export function acquireDataDirLock(dataDir: string): () => void {
  const file = join(dataDir, 'eniplane.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(file, 'utf8') === String(process.pid)) unlinkSync(file);
        } catch {
          /* already gone */
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && alive(pid) && pid !== process.pid) {
        throw new Error(
          `the data directory ${dataDir} is in use by another eniplane server (pid ${pid}); stop it first, or use another --data-dir (several servers share one database only on PostgreSQL: --db postgres://...)`,
          { cause: err },
        );
      }
      unlinkSync(file); // stale: its owner is gone
    }
  }
  throw new Error(`could not lock ${file}`);
}
