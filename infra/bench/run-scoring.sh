#!/usr/bin/env bash
# Scoring benchmark: a full rescoring of a 10-rule model over 100k leads and 1M interactions, and an
# incremental run for 1k changed contacts, each next to plain SQL doing the same work on the same
# database in the same run (ratio); then the time from a new interaction to the updated score through
# the local server.
#   infra/bench/run-scoring.sh [--contacts N] [--accounts N] [--interactions N] [--changed N] [--samples N] [--help]
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

export LEADCYCLE_BENCH_COMMAND="infra/bench/run-scoring.sh${*:+ $*}"
exec java -cp "$bench_jar" io.leadcycle.bench.ScoringBenchmark "$@"
