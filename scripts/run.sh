#!/usr/bin/env bash
# The main job: set up, build, and run dbwright on the bundled example in a throwaway sandbox.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh >&2
exec ./build/dbwright inspect examples/saas "$@"
