#!/usr/bin/env bash
# Moves a team's eniplane from SQLite to PostgreSQL: a backup first, the whole state copied
# (resources, IDs, addresses, spent nonces, ClientTokens, console sessions), the invariants checked
# on the copy, then the same answers from PostgreSQL. Run it with the SQLite server stopped: writes
# made after the copy's snapshot are not in it.
#
#   examples/sqlite-to-postgres.sh DATA_DIR POSTGRES_URL
#   examples/sqlite-to-postgres.sh .eniplane postgres://postgres@127.0.0.1:5432/eniplane
#
# POSTGRES_URL names an empty database (create it first: psql -c 'create database eniplane').
# ENIPLANE sets the command (default: npx eniplane).
set -euo pipefail

data_dir=${1:?usage: $0 DATA_DIR POSTGRES_URL}
db_url=${2:?usage: $0 DATA_DIR POSTGRES_URL}
eniplane=${ENIPLANE:-npx eniplane}

# 1. A consistent copy of the SQLite database, kept in case anything goes wrong (mode 0600: it
#    holds the AccessKey secrets). `db backup` also works while a server runs.
backup="$data_dir/before-postgres-$(date +%Y%m%d-%H%M%S).sqlite"
$eniplane db backup "$backup" --data-dir "$data_dir"

# 2. The whole state into PostgreSQL: migrated to the same version first, copied in one
#    transaction, refused if the database already holds a state; the invariant checker runs on it.
$eniplane db copy --from "$data_dir" --to "$db_url"

# 3. Checked again, as any time later: exit 1 on a violation.
$eniplane db check --db "$db_url"

echo "done: serve from PostgreSQL with: eniplane serve --db $db_url (the backup stays in $backup)"
# Going back works the same way: eniplane db copy --from "$db_url" --to NEW_DATA_DIR
