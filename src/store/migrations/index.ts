import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001-foundation.ts';
import * as m0002 from './0002-instances-enis.ts';
import * as m0003 from './0003-vswitch-listing-index.ts';

/** Every migration, in order. Migrations are additive; a new one is a new file listed here. */
export const migrations: Record<string, Migration> = {
  '0001-foundation': m0001,
  '0002-instances-enis': m0002,
  '0003-vswitch-listing-index': m0003,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
