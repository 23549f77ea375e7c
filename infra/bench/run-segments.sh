#!/usr/bin/env bash
# Segment benchmark: a full evaluation of a segment on account size, a lead score and email clicks over 100k
# contacts and 1M interactions, next to the same query written by hand in the same run (ratio; target 1.5×);
# then the time from a contact's change to its contact.segment_joined webhook through the local server (< 5 s).
#   infra/bench/run-segments.sh [--short] [--contacts N] [--interactions N] [--rounds N] [--samples N] [--fsync on|off] [--help]
# --short runs in about a minute (10k contacts). Works from any directory.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

export LEADCYCLE_BENCH_COMMAND="infra/bench/run-segments.sh${*:+ $*}"
exec java -cp "$bench_jar" io.leadcycle.bench.SegmentBenchmark "$@"
