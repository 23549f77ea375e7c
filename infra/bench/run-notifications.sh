#!/usr/bin/env bash
# Notification benchmark: N outbox events x R loopback subscribers delivered by the local server's
# threshold-notification timer against a fresh PostgreSQL; latency from outbox write to receipt, and a
# plain WebClient posting the same signed bodies as the ceiling; prints the ratio.
#   infra/bench/run-notifications.sh [--events N] [--receivers R] [--rate E] [--help]
# Works from any directory.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

local_jar=infra/local/target/leadcycle-local.jar
bench_jar=infra/bench/target/leadcycle-bench.jar

# True when a jar is missing or a pom or main source (Java or resource) of the modules is newer than it.
stale() {
  local jar=$1
  [[ -f $jar ]] || return 0
  [[ -n $(find pom.xml template.yaml shared functions infra/database infra/local infra/bench \
      \( -name target -prune \) -o \( -type f \( -name pom.xml -o -name template.yaml -o -path '*/src/main/*' \) \
      -newer "$jar" -print \) 2>/dev/null | head -n 1) ]]
}

if stale "$local_jar" || stale "$bench_jar"; then
  echo "bench: building $local_jar and $bench_jar" >&2
  # A build running at the same time in this tree can make the shade step fail once: retry.
  ./mvnw -q -B -DskipTests package -pl infra/local,infra/bench -am \
    || { sleep 10; ./mvnw -q -B -DskipTests package -pl infra/local,infra/bench -am; }
fi

export LEADCYCLE_BENCH_COMMAND="infra/bench/run-notifications.sh${*:+ $*}"
exec java -cp "$bench_jar" io.leadcycle.bench.NotificationBenchmark "$@"
