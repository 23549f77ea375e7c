#!/usr/bin/env bash
# File import benchmark (issue 12): a generated contacts CSV file (1M rows with repeats and bad rows)
# imported by plain SQL (COPY into a staging table + one set-based upsert keyed on the normalized email)
# and by the product (POST /v1/imports, PUT the file, the file-import function on the local server with
# -Xmx256m) on the same database in the same run; prints rows/s of both, the ratio, the server's peak heap
# and both sides' counts.
#   infra/bench/run-import.sh [--rows N] [--repeat-percent P] [--bad-percent B] [--baseline-only] [--help]
# Works from any directory.
set -euo pipefail

bench_needs_local=true
for arg in "$@"; do
  [[ $arg == --baseline-only || $arg == --help || $arg == -h ]] && bench_needs_local=false
done

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

export LEADCYCLE_BENCH_COMMAND="infra/bench/run-import.sh${*:+ $*}"
exec java -cp "$bench_jar" io.leadcycle.bench.ImportBenchmark "$@"
