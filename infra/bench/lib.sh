# What the run-*.sh scripts share (sourced, not run): cd to the repository root, and build the local
# server's and the benchmarks' jars when they are missing or older than the sources. Then the script
# sets LEADCYCLE_BENCH_COMMAND and starts its benchmark from $bench_jar.

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

local_jar=infra/local/target/leadcycle-local.jar
bench_jar=infra/bench/target/leadcycle-bench.jar

# True when a jar is missing or a pom, template.yaml or main source (Java or resource) of the modules is
# newer than it.
stale() {
  local jar=$1
  [[ -f $jar ]] || return 0
  [[ -n $(find pom.xml template.yaml shared functions infra/database infra/local infra/bench \
      \( -name target -prune \) -o \( -type f \( -name pom.xml -o -name template.yaml -o -path '*/src/main/*' \) \
      -newer "$jar" -print \) 2>/dev/null | head -n 1) ]]
}

# A script whose run needs no local server (e.g. run-import.sh --baseline-only) sets bench_needs_local=false
# before sourcing this: only the benchmarks' jar is built then.
if [[ ${bench_needs_local:-true} == false ]]; then
  if stale "$bench_jar"; then
    echo "bench: building $bench_jar" >&2
    ./mvnw -q -B -DskipTests package -pl infra/bench -am \
      || { sleep 10; ./mvnw -q -B -DskipTests package -pl infra/bench -am; }
  fi
elif stale "$local_jar" || stale "$bench_jar"; then
  echo "bench: building $local_jar and $bench_jar" >&2
  # A build running at the same time in this tree can make the shade step fail once: retry.
  ./mvnw -q -B -DskipTests package -pl infra/local,infra/bench -am \
    || { sleep 10; ./mvnw -q -B -DskipTests package -pl infra/local,infra/bench -am; }
fi
