import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001-foundation.ts';
import * as m0002 from './0002-instances-enis.ts';
import * as m0003 from './0003-vswitch-listing-index.ts';
import * as m0004 from './0004-nonce-log.ts';
import * as m0005 from './0005-metadata.ts';
import * as m0006 from './0006-unique-account-names.ts';
import * as m0007 from './0007-eni-listing-indexes.ts';
import * as m0008 from './0008-eni-attributes.ts';
import * as m0009 from './0009-route-tables.ts';
import * as m0010 from './0010-resource-groups.ts';
import * as m0011 from './0011-ram-roles.ts';
import * as m0012 from './0012-instance-public-ip.ts';
import * as m0013 from './0013-ipv6.ts';
import * as m0014 from './0014-ipv4-prefixes.ts';
import * as m0015 from './0015-trunk-enis.ts';
import * as m0016 from './0016-console-sessions.ts';
import * as m0017 from './0017-throttle-counters.ts';
import * as m0018 from './0018-async-due-indexes.ts';
import * as m0019 from './0019-faults.ts';

/** Every migration, in order. Migrations are additive; a new one is a new file listed here. */
export const migrations: Record<string, Migration> = {
  '0001-foundation': m0001,
  '0002-instances-enis': m0002,
  '0003-vswitch-listing-index': m0003,
  '0004-nonce-log': m0004,
  '0005-metadata': m0005,
  '0006-unique-account-names': m0006,
  '0007-eni-listing-indexes': m0007,
  '0008-eni-attributes': m0008,
  '0009-route-tables': m0009,
  '0010-resource-groups': m0010,
  '0011-ram-roles': m0011,
  '0012-instance-public-ip': m0012,
  '0013-ipv6': m0013,
  '0014-ipv4-prefixes': m0014,
  '0015-trunk-enis': m0015,
  '0016-console-sessions': m0016,
  '0017-throttle-counters': m0017,
  '0018-async-due-indexes': m0018,
  '0019-faults': m0019,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
