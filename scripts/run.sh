#!/usr/bin/env bash
# The main job: set up, build, and run `dbwright review` on the bundled example (schema, seed,
# workload, growth and backup policy of examples/saas) in a throwaway sandbox. The report goes to
# ./review (report.html, report.md, report.json and the artifacts); extra arguments are passed on.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh >&2
rc=0
./build/dbwright review examples/saas \
  --workload examples/saas/workload.sql --growth examples/saas/growth.toml \
  --tenant-column account_id --out review "$@" || rc=$?
# Exit 1 means "findings at or above --fail-on": the example's deliberate flaws, a finished report.
if ((rc > 1)); then exit "$rc"; fi
echo "open $(pwd)/review/report.html" >&2
