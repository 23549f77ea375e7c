#!/usr/bin/env bash
# Intake benchmark: N signed submissions through the local server against a fresh PostgreSQL, and
# pgbench running the same transaction on that database as the ceiling; prints the ratio.
#   infra/bench/run-intake.sh [--requests N] [--concurrency C] [--warmup W] [--pgbench-seconds S] [--help]
# Needs pgbench (apt-get install postgresql-client). Works from any directory.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

local_jar=infra/local/target/leadcycle-local.jar
bench_jar=infra/bench/target/leadcycle-bench.jar

# True when a jar is missing or a pom or main source (Java or resource) of the modules is newer than it.
stale() {
  local jar=$1
  [[ -f $jar ]] || return 0
  [[ -n $(find pom.xml shared functions infra/database infra/local infra/bench \
      \( -name target -prune \) -o \( -type f \( -name pom.xml -o -path '*/src/main/*' \) -newer "$jar" -print \) \
      2>/dev/null | head -n 1) ]]
}

if stale "$local_jar" || stale "$bench_jar"; then
  echo "bench: building $local_jar and $bench_jar" >&2
  # A build running at the same time in this tree can make the shade step fail once: retry.
  ./mvnw -q -B -DskipTests package -pl infra/local,infra/bench -am \
    || { sleep 10; ./mvnw -q -B -DskipTests package -pl infra/local,infra/bench -am; }
fi

export LEADCYCLE_BENCH_COMMAND="infra/bench/run-intake.sh${*:+ $*}"
exec java -jar "$bench_jar" "$@"
