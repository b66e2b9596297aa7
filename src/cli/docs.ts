import type { Command } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { renderCoverage, renderErrors } from '../api/docs.ts';

const FILES: Record<string, () => string> = {
  'docs/coverage.md': renderCoverage,
  'docs/errors.md': renderErrors,
};

export function registerDocs(program: Command): void {
  const docs = program.command('docs').description('documents generated from the action registry');
  docs
    .command('generate')
    .description('write docs/coverage.md and docs/errors.md')
    .action(() => {
      for (const [file, render] of Object.entries(FILES)) {
        writeFileSync(file, render());
        console.log(`wrote ${file}`);
      }
    });
  docs
    .command('check')
    .description('fail when the checked-in documents differ from the registry')
    .action(() => {
      const stale = Object.entries(FILES).filter(([file, render]) => {
        try {
          return readFileSync(file, 'utf8') !== render();
        } catch {
          return true;
        }
      });
      if (stale.length) throw new Error(`stale generated docs: ${stale.map(([f]) => f).join(', ')}; run "npm run docs" and commit them`);
      console.log('generated docs are up to date');
    });
}
