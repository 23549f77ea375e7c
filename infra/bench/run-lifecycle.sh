#!/usr/bin/env bash
# Lifecycle benchmark: N people submit signed submissions to a form whose scoring model makes each of them
# sales-ready at once; a loopback receiver subscribed to lead.sales_ready records each signed webhook. The
# local server's score-recalculation and threshold-notification timers are slowed to a minute (as AWS's
# schedule), so the writers' nudges are what is measured; prints p50/p99/max of submission -> webhook.
#   infra/bench/run-lifecycle.sh [--people N] [--rate R] [--scoring-timer S] [--help]
# Works from any directory.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

export LEADCYCLE_BENCH_COMMAND="infra/bench/run-lifecycle.sh${*:+ $*}"
exec java -cp "$bench_jar" io.leadcycle.bench.LifecycleBenchmark "$@"
