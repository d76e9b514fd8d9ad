#!/usr/bin/env bash
# Runs COMMAND with HOMESERVER_TEST_POSTGRES set to the admin connection string of a PostgreSQL server.
#   scripts/with-postgres.sh COMMAND [ARGS...]
# When the variable is already set, or a Docker engine answers (the tests then use Testcontainers), COMMAND just
# runs. Otherwise a throwaway cluster is created in a temporary directory on a free loopback port (fsync on, as in
# production), PostgreSQL being installed from Debian's packages first if initdb is missing; it is stopped and
# removed when COMMAND ends, and COMMAND's exit status is returned.
set -euo pipefail

if [ -n "${HOMESERVER_TEST_POSTGRES:-}" ] || { command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; }; then
    exec "$@"
fi

find_initdb() {
    command -v initdb 2>/dev/null || ls -1 /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1
}
initdb=$(find_initdb || true)
if [ -z "$initdb" ]; then
    echo "with-postgres: installing PostgreSQL from Debian's packages" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    initdb=$(find_initdb)
fi
bin=$(dirname "$(readlink -f "$initdb")")

dir=$(mktemp -d /tmp/homeserver-pg.XXXXXX)
run=()
if [ "$(id -u)" -eq 0 ]; then
    # initdb refuses to run as root.
    id postgres >/dev/null 2>&1 || useradd --system --home-dir "$dir" postgres
    chown postgres "$dir"
    run=(runuser -u postgres --)
fi

port=""
for _ in $(seq 1 50); do
    candidate=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then port=$candidate; break; fi
done
[ -n "$port" ] || { echo "with-postgres: no free port found" >&2; exit 1; }

stop() {
    "${run[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap stop EXIT

"${run[@]}" "$bin/initdb" -D "$dir/data" -U homeserver --auth=trust --encoding=UTF8 --locale=C >/dev/null
"${run[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=400" start >/dev/null
echo "with-postgres: PostgreSQL $("$bin/postgres" --version | awk '{print $NF}') on 127.0.0.1:$port" >&2

export HOMESERVER_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=homeserver;Database=postgres"
status=0
"$@" || status=$?
exit "$status"
