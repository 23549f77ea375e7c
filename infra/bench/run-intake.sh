#!/usr/bin/env bash
# Intake benchmark: N signed submissions through the local server against a fresh PostgreSQL, and
# pgbench running the same transaction on that database as the ceiling; prints the ratio.
#   infra/bench/run-intake.sh [--requests N] [--concurrency C] [--warmup W] [--pgbench-seconds S] [--help]
# Needs pgbench (apt-get install postgresql-client). Works from any directory.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

export LEADCYCLE_BENCH_COMMAND="infra/bench/run-intake.sh${*:+ $*}"
exec java -jar "$bench_jar" "$@"
