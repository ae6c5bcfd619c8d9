#!/usr/bin/env bash
# Set up, build, and run the whole test suite (real PostgreSQL, HypoPG, pgBackRest, PgBouncer,
# Graphviz). Ends with CTest's summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
ctest --test-dir build --output-on-failure -j "$(nproc)" "$@"
