#!/usr/bin/env bash
# Make a local PostgreSQL server ready for the store tests and print its URL on stdout.
#
# As root: installs Debian's postgresql if it is missing, starts the cluster, and creates the role
# and database `congvan_test` (password `congvan_test`, on 127.0.0.1). Safe to run again. Prints
# nothing and exits 1, with the reason on stderr, when no server can be had (not root, no apt).
set -euo pipefail

role=congvan_test
database=congvan_test
port="${CONGVAN_PG_PORT:-5432}"

fail() { echo "postgres: $*" >&2; exit 1; }

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    [[ "$(id -u)" == 0 ]] || fail "PostgreSQL is not installed and installing it needs root (apt-get install postgresql)"
    echo "postgres: installing postgresql from Debian" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null 2>&1 ||
        fail "apt-get install postgresql failed"
fi
[[ "$(id -u)" == 0 ]] || fail "starting the PostgreSQL cluster needs root"
command -v pg_lsclusters >/dev/null || fail "pg_lsclusters not found (postgresql-common missing)"

cluster="$(pg_lsclusters --no-header | awk 'NR == 1 {print $1, $2}')"
if [[ -z "$cluster" ]]; then
    version="$(ls /usr/lib/postgresql | sort -V | tail -1)"
    pg_createcluster "$version" main >/dev/null 2>&1 || fail "pg_createcluster $version main failed"
    cluster="$version main"
fi
read -r version name <<<"$cluster"
port="$(pg_conftool "$version" "$name" show port 2>/dev/null | awk -F' = ' '{print $2}' || echo "$port")"
port="${port:-5432}"
if ! pg_lsclusters --no-header | awk -v v="$version" -v n="$name" '$1 == v && $2 == n {print $4}' | grep -q online; then
    pg_ctlcluster "$version" "$name" start >&2 || fail "pg_ctlcluster $version $name start failed"
fi

psql_admin() { su postgres -c "psql -p $port -v ON_ERROR_STOP=1 -qtA $*"; }
for _ in $(seq 1 30); do
    psql_admin "-c 'select 1'" >/dev/null 2>&1 && break
    sleep 0.5
done
psql_admin "-c 'select 1'" >/dev/null 2>&1 || fail "the server on port $port does not answer"

if [[ "$(psql_admin "-c \"select 1 from pg_roles where rolname = '$role'\"")" != 1 ]]; then
    psql_admin "-c \"create role $role login password '$role'\"" >/dev/null
fi
if [[ "$(psql_admin "-c \"select 1 from pg_database where datname = '$database'\"")" != 1 ]]; then
    psql_admin "-c \"create database $database owner $role encoding 'UTF8' template template0\"" >/dev/null
fi
echo "postgresql+psycopg://$role:$role@127.0.0.1:$port/$database"
