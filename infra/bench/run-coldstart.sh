#!/usr/bin/env bash
# Cold starts (issue 19): every function of template.yaml as its shaded jar under AWS's Java runtime
# interface client (the Lambda conformance suite, infra/lambda-conformance), R rounds, one function at a
# time, each round a fresh environment per function given the first event the suite sends it: on demand
# (JVM start to first answer) and, for SnapStart functions, with the SnapStart hooks (init and priming;
# restore to first answer). In the same rounds, two baselines under the same runtime: a function that
# only answers, and a plain JDBC function answering from the same database (TLS, SCRAM, one query).
# Prints per function the medians, over functions their p50 and max, and the ratio to the baseline.
#   infra/bench/run-coldstart.sh [--rounds R] [--help]
# Works from any directory; builds what it needs (./mvnw, every module, no unit tests).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

rounds=5
while [[ $# -gt 0 ]]; do
  case $1 in
    --rounds)
      [[ $# -ge 2 && $2 =~ ^[1-9][0-9]*$ ]] || { echo "--rounds needs a whole number of rounds" >&2; exit 2; }
      rounds=$2
      shift 2
      ;;
    --help | -h)
      sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "unknown option $1 (see --help)" >&2
      exit 2
      ;;
  esac
done

echo "$(date -u +%FT%TZ), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//'), load $(cut -d' ' -f1-3 /proc/loadavg)"
./mvnw -q -B verify -pl infra/lambda-conformance -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dconformance.parallelism=1 -Dconformance.rounds="$rounds" > /dev/null
cat infra/lambda-conformance/target/conformance/cold-starts-rounds.md
