#!/usr/bin/env bash
# Which CloudWatch EMF writer a function should carry (docs/operations.md): ours (a few counts embedded in
# the closing JSON log line) against powertools-metrics 2.3.0 and aws-embedded-metrics 4.2.0. For each,
# in --runs (15) fresh JVMs with Lambda's flags: the classes loaded and the time taken by the first metric
# line after the closing log line every invocation writes anyway; then the bytes each adds to a shaded
# function jar. Prints medians and each library's ratio to ours, measured in the same run.
#   infra/bench/run-emf-writers.sh [--runs N]
# Works from any directory; needs network access to Maven Central once (the candidates' jars).
set -euo pipefail

runs=15
while [[ $# -gt 0 ]]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    *) sed -n '2,8p' "$0"; exit 2 ;;
  esac
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
function_jar=functions/form-intake/target/form-intake.jar
work=infra/bench/target/emf-writers
if [[ ! -f $function_jar || -n $(find shared/*/src/main functions/form-intake/src/main -newer "$function_jar" -print -quit) ]]; then
  echo "emf-writers: building $function_jar" >&2
  ./mvnw -q -B -DskipTests package -pl functions/form-intake -am
fi
mkdir -p "$work/classes"
for candidate in powertools embedded-metrics; do
  ./mvnw -q -B -f "infra/bench/emf-writers/$candidate/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$root/$work/$candidate" >&2
done
libs() { ls "$work/$1"/*.jar | tr '\n' ':'; }
javac -d "$work/classes" -cp "$function_jar:$(libs powertools)$(libs embedded-metrics)" \
  infra/bench/emf-writers/FirstMetricLine.java infra/bench/emf-writers/JarGrowth.java

echo "command: infra/bench/run-emf-writers.sh --runs $runs"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%FT%TZ); $(java -version 2>&1 | head -1)"
echo
echo "first metric line after the closing log line (median of $runs fresh JVMs, -XX:TieredStopAtLevel=1):"
export AWS_LAMBDA_FUNCTION_NAME=measure   # the libraries then take the Lambda environment: standard output
declare -A millis
for candidate in log-line-only leadcycle powertools-metrics aws-embedded-metrics; do
  case $candidate in
    powertools-metrics) cp="$work/classes:$function_jar:$(libs powertools)" ;;
    aws-embedded-metrics) cp="$work/classes:$function_jar:$(libs embedded-metrics)" ;;
    *) cp="$work/classes:$function_jar" ;;
  esac
  result=$(for _ in $(seq "$runs"); do
    java -XX:+TieredCompilation -XX:TieredStopAtLevel=1 -cp "$cp" FirstMetricLine "$candidate" 2>&1 >/dev/null \
      | grep '^RESULT'
  done | sort -t= -k3 -n | awk -v n="$runs" '
    { split($3, c, "="); split($4, t, "="); classes[NR] = c[2]; micros[NR] = t[2] }
    END { m = int((NR + 1) / 2); printf "%s %.1f", classes[m], micros[m] / 1000 }')
  millis[$candidate]=${result#* }
  printf '  %-22s %5s classes  %7s ms\n' "$candidate" "${result% *}" "${result#* }"
done
for candidate in powertools-metrics aws-embedded-metrics; do
  awk -v c="$candidate" -v a="${millis[$candidate]}" -v b="${millis[leadcycle]}" \
    'BEGIN { printf "  %s / leadcycle: %.0fx the time\n", c, a / b }'
done
echo
echo "added to $function_jar ($(stat -c %s "$function_jar") bytes):"
java -cp "$work/classes" JarGrowth "$function_jar" "powertools-metrics=$work/powertools" \
  "aws-embedded-metrics=$work/embedded-metrics"
