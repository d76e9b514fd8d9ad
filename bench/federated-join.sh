#!/usr/bin/env bash
# The federated-join benchmark in one command: two of our servers federating over HTTPS on loopback, named
# 127.0.0.1:PORT so they need no discovery, then the load generator's federated-join scenario between them.
#   bench/federated-join.sh [MEMBERS] [LOCAL_MEMBERS]
# MEMBERS in the room's state (default 1000), LOCAL_MEMBERS of them registered on A (default all); the others are
# users of the load generator's own server, which is how 30,000 members are reached in minutes.
# The servers use SQLite files; with HOMESERVER_TEST_POSTGRES set (an Npgsql connection string, as
# scripts/with-postgres.sh exports), each gets a fresh PostgreSQL database there instead.
set -euo pipefail
cd "$(dirname "$0")/.."
members=${1:-1000}
local_members=${2:-$members}
for project in src/Homeserver bench/Homeserver.Load; do dotnet build -c Release "$project" -v quiet -nologo >/dev/null; done

work=$(mktemp -d /tmp/federated-join.XXXXXX)
pids=()
cleanup() {
    kill "${pids[@]}" 2>/dev/null || true
    for pid in "${pids[@]}"; do while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done; done
    rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

database() {
    local name=$1 connection=${HOMESERVER_TEST_POSTGRES:-}
    [ -n "$connection" ] || return 0
    local db="bench_join_${name}_$$" port host user
    port=$(sed -n 's/.*Port=\([0-9]*\).*/\1/p' <<<"$connection"); host=$(sed -n 's/.*Host=\([^;]*\).*/\1/p' <<<"$connection")
    user=$(sed -n 's/.*Username=\([^;]*\).*/\1/p' <<<"$connection")
    psql -qh "${host:-127.0.0.1}" -p "${port:-5432}" -U "${user:-postgres}" postgres -c "CREATE DATABASE $db" >/dev/null
    echo "--Homeserver:Database:Provider=Postgres --Homeserver:Database:ConnectionString=$(sed 's/Database=[^;]*//; s/;;*/;/g; s/;$//' <<<"$connection");Database=$db"
}

start() {
    local name=$1 federation client
    federation=$(free_port); client=$(free_port)
    mkdir -p "$work/$name"
    # shellcheck disable=SC2046 # the settings are two words without spaces
    set -- $(database "$name")
    dotnet src/Homeserver/bin/Release/net10.0/homeserver.dll \
        --Homeserver:ServerName="127.0.0.1:$federation" --Homeserver:DataDirectory="$work/$name" \
        --Homeserver:Listeners:Client="http://127.0.0.1:$client" --Homeserver:Listeners:Federation="https://127.0.0.1:$federation" \
        --Homeserver:Federation:VerifyTlsCertificates=false --Homeserver:RateLimits:Enabled=false \
        --Homeserver:Registration:Enabled=true "$@" >"$work/$name.log" 2>&1 &
    echo "$client $!"
}

read -r client_a pid_a < <(start a)
read -r client_b pid_b < <(start b)
pids=("$pid_a" "$pid_b")
for port in "$client_a" "$client_b"; do
    for _ in $(seq 1 300); do
        curl -fsS "http://127.0.0.1:$port/_matrix/client/versions" >/dev/null 2>&1 && break
        sleep 0.1
    done
done

dotnet run -c Release --no-build --project bench/Homeserver.Load -- federated-join \
    --url "http://127.0.0.1:$client_a" --remote-url "http://127.0.0.1:$client_b" --members "$members" --local-members "$local_members" --remote-pid "$pid_b"
