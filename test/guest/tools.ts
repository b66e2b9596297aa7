import { spawnSync } from 'node:child_process';

/**
 * Real validators (netplan, ifupdown) may be missing on a developer's machine: the test is then
 * skipped with a loud notice. In CI (CI=true) .ci/run installs them, and a missing one fails.
 */
export function toolSkip(command: string, debianPackage: string): string | false {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).status === 0;
  if (found) return false;
  if (process.env.CI === 'true') throw new Error(`${command} (Debian package ${debianPackage}) is required in CI (CI=true); .ci/run installs it`);
  const why = `*** SKIPPED: ${command} not installed (apt-get install ${debianPackage}); CI fails here ***`;
  console.error(why);
  return why;
}
