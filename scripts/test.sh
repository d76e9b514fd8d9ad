#!/usr/bin/env bash
# The project's one test command (README.md): the .NET test projects against a real PostgreSQL and a real SQLite
# file, then the end-to-end tests with a real Matrix client (matrix-js-sdk) against started servers.
# PostgreSQL comes from Docker (Testcontainers) when an engine answers, otherwise from a throwaway local cluster
# (scripts/with-postgres.sh installs PostgreSQL from Debian's packages when it is missing).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${HOMESERVER_TESTS_WITH_POSTGRES:-}" ]; then
    export HOMESERVER_TESTS_WITH_POSTGRES=1
    exec scripts/with-postgres.sh "$0" "$@"
fi

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
status=0

dotnet test Homeserver.sln -c Release \
    --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results" || status=$?

passed=0 failed=0 skipped=0
for trx in "$results"/*.trx; do
    [ -e "$trx" ] || continue
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
    count() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
    t=$(count total); e=$(count executed); p=$(count passed); f=$(count failed)
    passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${t:-0} - ${e:-0}))
done

# End-to-end: Node.js and the pinned matrix-js-sdk (tests/e2e/package-lock.json).
if ! command -v node >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null
fi
(cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
(cd samples/echo-bot && npm ci --no-audit --no-fund --loglevel=error)
# Once per database: the servers the tests start use PostgreSQL, then a SQLite file. --test-force-exit because
# matrix-js-sdk leaves the local timeout of an aborted /sync request running (about 110 s) after stopClient().
for database in Postgres Sqlite; do
    (cd tests/e2e && HOMESERVER_E2E_DATABASE=$database node --test --test-force-exit --test-concurrency=1 --test-reporter=tap) \
        | tee "$results/e2e-$database.tap" || status=$?
    e2e_pass=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$results/e2e-$database.tap" | tail -n 1)
    e2e_fail=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$results/e2e-$database.tap" | tail -n 1)
    passed=$((passed + ${e2e_pass:-0})); failed=$((failed + ${e2e_fail:-0}))
done

# CI keeps only the end of the output, so the failures are named again here, after everything else.
if [ "$failed" -ne 0 ]; then
    echo "Failed tests:"
    for trx in "$results"/*.trx; do
        [ -e "$trx" ] || continue
        # Each failed test's name and the first lines of its message.
        awk '/<UnitTestResult /{failed = /outcome="Failed"/; if (failed) {match($0, /testName="[^"]*"/); print "  .NET: " substr($0, RSTART + 10, RLENGTH - 11)}}
             failed && /<Message>/{on = 1; n = 0}
             on && n < 6 {print "        " $0; n++}
             /<\/Message>/{on = 0}' "$trx" \
            | sed -e 's/<[^>]*>//g' -e 's/&quot;/"/g' -e 's/&lt;/</g' -e 's/&gt;/>/g' -e "s/&apos;/'/g" -e 's/&amp;/\&/g' || true
    done
    for tap in "$results"/e2e-*.tap; do
        [ -e "$tap" ] || continue
        grep -A 12 '^ *not ok ' "$tap" | sed "s|^|  $(basename "$tap" .tap): |" || true
    done
fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$passed" -eq 0 ]; then
    echo "No test ran." >&2
    exit 1
fi
exit "$status"
