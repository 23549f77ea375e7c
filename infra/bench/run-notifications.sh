#!/usr/bin/env bash
# Notification benchmark: N outbox events x R loopback subscribers delivered by the local server's
# threshold-notification timer against a fresh PostgreSQL; latency from outbox write to receipt, and a
# plain WebClient posting the same signed bodies as the ceiling; prints the ratio.
#   infra/bench/run-notifications.sh [--events N] [--receivers R] [--rate E] [--help]
# Works from any directory.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

export LEADCYCLE_BENCH_COMMAND="infra/bench/run-notifications.sh${*:+ $*}"
exec java -cp "$bench_jar" io.leadcycle.bench.NotificationBenchmark "$@"
