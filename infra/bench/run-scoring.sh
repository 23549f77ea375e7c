#!/usr/bin/env bash
# Scoring benchmark: a full rescoring of a 10-rule model over 100k leads and 1M interactions, and an
# incremental run for 1k changed contacts, each next to plain SQL doing the same work on the same
# database in the same run (ratio); then the time from a new interaction to the updated score through
# the local server.
#   infra/bench/run-scoring.sh [--contacts N] [--accounts N] [--interactions N] [--changed N] [--samples N] [--help]
# Works from any directory.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

export LEADCYCLE_BENCH_COMMAND="infra/bench/run-scoring.sh${*:+ $*}"
exec java -cp "$bench_jar" io.leadcycle.bench.ScoringBenchmark "$@"
