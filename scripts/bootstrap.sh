#!/usr/bin/env bash
# Installs dbwright's Debian 12 packages (only the missing ones) and builds it into ./build.
# Idempotent: a second run installs nothing and rebuilds only what changed.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  libpq-dev libpg-query-dev nlohmann-json3-dev libcli11-dev libfmt-dev libssl-dev libtomlplusplus-dev
  googletest libgtest-dev libbenchmark-dev
  postgresql-15 postgresql-15-hypopg postgresql-client-15
  pgbackrest pgbouncer graphviz zstd time
  chromium chromium-driver zlib1g-dev
)

sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "bootstrap: installing ${missing[*]}" >&2
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null
fi

# Let ccache reuse objects across checkouts of this tree (CI builds in a fresh clone).
export CCACHE_BASEDIR=$PWD CCACHE_NOHASHDIR=true
build_type=${DBWRIGHT_BUILD_TYPE:-RelWithDebInfo}
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE="$build_type" ${DBWRIGHT_CMAKE_ARGS:-} >/dev/null
cmake --build build -j "$(nproc)"
